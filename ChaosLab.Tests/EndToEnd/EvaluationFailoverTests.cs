using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using ChaosLab.Tests.Infrastructure.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// Shared evaluation work proved with real processes: two replicas (the ChaosLab.Web build, each
/// an OS process with its own data directory and no configured seal key) on one PostgreSQL
/// database play one run of a model profile (the fake OpenAI server, slowed so the run lasts
/// seconds). r1 is killed with SIGKILL while both replicas hold items; r2 takes them over once
/// their leases expire and completes the run with the totals, item by item, of the same run
/// played on r2 alone. Restarted, r1's dashboard shows the leaderboard r2's does.
/// </summary>
public sealed partial class EvaluationFailoverTests(ITestOutputHelper output)
{
    private const string AdminKey = "failover-test-admin-key-0123456789";
    private static readonly TimeSpan ModelLatency = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    // 28 items (14 warmup scenarios x 2 seeds), 4 at once over both replicas, 2 at most on each.
    private const string Assignment = """
        name: failover
        agent: fake
        tasks:
          - suite: tools
            tiers: [warmup]
        seeds: 2
        concurrency: 4
        """;

    [PostgresFact]
    public async Task ReplicaKilledMidRun_TheOtherCompletesItWithTheTotalsOfTheRunOnOneReplica()
    {
        await using var model = await FakeOpenAiServer.StartAsync(request => (request.ToolResultCount < StepsFor(request)
            ? FakeReply.ToolCall(ToolNames.Calculator, """{"expression":"(17 + 25) * 3"}""")
            : FakeReply.ToolCall(ToolNames.SubmitAnswer, """{"answer":"126"}""")).After(ModelLatency));
        using var data = new TempDirectory();
        var agentsFile = data.File("agents.yaml");
        await File.WriteAllTextAsync(agentsFile, model.ProfileYaml("fake"));
        var database = await PostgresServer.CreateDatabaseAsync();
        string[] Settings(string replica) =>
        [
            $"--ChaosLab:ReplicaId={replica}",
            "--ChaosLab:Database:Provider=postgres",
            $"--ChaosLab:Database:ConnectionString={database}",
            $"--ChaosLab:AdminKey={AdminKey}",
            $"--ChaosLab:Evaluation:AgentsFile={agentsFile}",
            "--ChaosLab:Evaluation:MaxConcurrency=2",
            "--ChaosLab:Evaluation:LeaseDuration=00:00:03",
            "--ChaosLab:Evaluation:PollInterval=00:00:00.200",
        ];
        var r1Data = Directory.CreateDirectory(data.File("r1")).FullName;
        var r1 = await ServerProcess.StartAsync(r1Data, Settings("r1"));
        await using var r2 = await ServerProcess.StartAsync(Directory.CreateDirectory(data.File("r2")).FullName, Settings("r2"));

        RunSummary shared;
        IReadOnlyList<string> heldByR1;
        await using (r1)
        {
            var runId = await StartRunAsync(r1);
            await WhenBothReplicasPlayAsync(database, runId);
            await r1.KillAsync();
            var sinceKill = System.Diagnostics.Stopwatch.StartNew();
            // Read after the kill: r1 can change nothing any more, and r2 waits for the leases.
            heldByR1 = [.. (await RunningAsync(database, runId)).Where(r => r.Owner == "r1").Select(r => r.Key)];
            output.WriteLine($"r1 killed holding {string.Join(", ", heldByR1)}");
            Assert.NotEmpty(heldByR1);
            shared = await WaitForEndAsync(r2, runId);
            output.WriteLine($"r2 completed the run {sinceKill.Elapsed.TotalSeconds:F1} s after the kill (leases of 3 s)");
        }

        var alone = await WaitForEndAsync(r2, await StartRunAsync(r2));

        Assert.Equal((RunStatus.Completed, shared.Total, 0), (shared.Status, shared.Done, shared.Errors));
        Assert.Equal((alone.Status, alone.Done, alone.Successes, alone.MeanScore), (shared.Status, shared.Done, shared.Successes, shared.MeanScore));
        var sharedItems = await ItemsAsync(r2, shared.Id);
        var aloneItems = await ItemsAsync(r2, alone.Id);
        Assert.Equal(aloneItems.Select(Result), sharedItems.Select(Result));
        // What r1 held was played again by r2 under a new episode; nothing else was played twice.
        Assert.All(sharedItems, i => Assert.Equal(heldByR1.Contains(i.Key) ? 2 : 1, i.Attempts));
        Assert.Equal(sharedItems.Count, sharedItems.Select(i => i.EpisodeId).Distinct().Count());

        await using var restarted = await ServerProcess.StartAsync(r1Data, Settings("r1"));
        Assert.Equal(await LeaderboardAsync(r2), await LeaderboardAsync(restarted));
    }

    private static async Task<string> StartRunAsync(ServerProcess server)
    {
        using var http = Authorized(server);
        using var created = await http.PostAsJsonAsync(new Uri("/api/runs", UriKind.Relative), new JsonObject { ["assignment"] = Assignment });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["run"]!["id"]!;
    }

    /// <summary>Until each replica holds at least one item of the run and some are done already, read from the store itself.</summary>
    private static async Task WhenBothReplicasPlayAsync(string database, string runId)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var running = await RunningAsync(database, runId);
            if (running.Any(r => r.Owner == "r1") && running.Any(r => r.Owner == "r2") && running[0].Done > 0)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Run {runId} never had items on both replicas at once.");
    }

    /// <summary>The run's running items with their replicas, each with the count of items done.</summary>
    private static async Task<List<(string Owner, string Key, long Done)>> RunningAsync(string database, string runId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT lease_owner, item_key, (SELECT COUNT(*) FROM eval_run_items d WHERE d.run_id = @run AND d.status = 'done') FROM eval_run_items WHERE run_id = @run AND status = 'running'", connection);
        query.Parameters.AddWithValue("run", runId);
        var running = new List<(string Owner, string Key, long Done)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            running.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return running;
    }

    /// <summary>
    /// How many calculator calls the scripted model makes before it answers: 1 to 3, read from the
    /// episode's question, which the sealed seed decides. Items played under another seal key
    /// (a replica with a key of its own) would show other step counts than the one-replica run.
    /// </summary>
    private static int StepsFor(FakeChatRequest request)
    {
        var question = request.Messages.FirstOrDefault(m => (string?)m?["role"] == "user")?["content"]?.ToJsonString() ?? "";
        return 1 + (SHA256.HashData(Encoding.UTF8.GetBytes(question))[0] % 3);
    }

    private static async Task<RunSummary> WaitForEndAsync(ServerProcess server, string runId)
    {
        using var http = server.CreateHttpClient();
        var deadline = DateTime.UtcNow + RunTimeout;
        while (true)
        {
            var run = (await http.GetFromJsonAsync<JsonObject>(new Uri($"/api/runs/{runId}", UriKind.Relative)))!["run"]!;
            if (RunStatus.IsFinal((string)run["status"]!) || DateTime.UtcNow > deadline)
            {
                return new RunSummary(
                    (string)run["id"]!, (string)run["name"]!, (string)run["agent"]!, (string?)run["model"], (string)run["harness"]!,
                    null, null, (string)run["origin"]!, (string)run["status"]!, default, null, null, (string?)run["error"],
                    (int)run["total"]!, (int)run["pending"]!, (int)run["running"]!, (int)run["done"]!, (int)run["errors"]!,
                    (int)run["successes"]!, (double?)run["mean_score"]);
            }

            await Task.Delay(100);
        }
    }

    private static async Task<IReadOnlyList<(string Key, int Attempts, string? EpisodeId, string? Outcome, double? Score, bool? Success, int? Steps)>> ItemsAsync(ServerProcess server, string runId)
    {
        using var http = server.CreateHttpClient();
        var items = (await http.GetFromJsonAsync<JsonObject>(new Uri($"/api/runs/{runId}/items", UriKind.Relative)))!["items"]!.AsArray();
        return [.. items.Select(i => ((string)i!["key"]!, (int)i["attempts"]!, (string?)i["episode_id"], (string?)i["outcome"], (double?)i["score"], (bool?)i["success"], (int?)i["steps"]))];
    }

    private static (string Key, string? Outcome, double? Score, bool? Success, int? Steps) Result((string Key, int Attempts, string? EpisodeId, string? Outcome, double? Score, bool? Success, int? Steps) item) =>
        (item.Key, item.Outcome, item.Score, item.Success, item.Steps);

    /// <summary>The dashboard's leaderboard as a person reads it: the text of its table rows, as the replica renders the page.</summary>
    private static async Task<IReadOnlyList<string>> LeaderboardAsync(ServerProcess server)
    {
        using var http = server.CreateHttpClient();
        var page = await http.GetStringAsync(new Uri("/web/", UriKind.Relative));
        var rows = TableRow().Matches(page).Select(m => Whitespace().Replace(Tag().Replace(m.Value, " "), " ").Trim()).ToList();
        Assert.NotEmpty(rows);
        return rows;
    }

    private static HttpClient Authorized(ServerProcess server)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }

    [GeneratedRegex("<tr[ >].*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

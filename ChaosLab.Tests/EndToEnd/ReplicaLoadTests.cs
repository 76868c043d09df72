using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// Two replicas under load at the test suite's scale: two ChaosLab.Web processes on one PostgreSQL
/// database each hold <see cref="SessionsPerReplica"/> WebSocket sessions at once, every session
/// plays its episode concurrently, and afterwards the store has every episode ended and both
/// replicas list the same ones. bench/ChaosLab.ReplicaLoad runs the same at 2,000 per replica.
/// </summary>
public sealed class ReplicaLoadTests
{
    private const int SessionsPerReplica = 100;
    private const string Agent = "replica-load-test";

    [PostgresFact]
    public async Task TwoReplicas_SessionsHeldAndPlayedOnEach_AllRecordedAndBothListTheSameEpisodes()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var data = new TempDirectory();
        string[] Settings(string replica) =>
        [
            $"--ChaosLab:ReplicaId={replica}",
            "--ChaosLab:Database:Provider=postgres",
            $"--ChaosLab:Database:ConnectionString={database}",
            $"--ChaosLab:MaxSessions={SessionsPerReplica}",
        ];
        await using var r1 = await ServerProcess.StartAsync(Directory.CreateDirectory(data.File("r1")).FullName, Settings("r1"));
        await using var r2 = await ServerProcess.StartAsync(Directory.CreateDirectory(data.File("r2")).FullName, Settings("r2"));
        ServerProcess[] replicas = [r1, r2];

        // Every session is open and reset before any plays: each replica is full at once.
        var clients = await Task.WhenAll(Enumerable.Range(0, 2 * SessionsPerReplica).Select(async i =>
        {
            var client = await WireClient.ConnectAsync(new UriBuilder(replicas[i % 2].Address) { Scheme = "ws", Path = "/ws" }.Uri);
            var reset = await client.RequestAsync(Frame("reset", new JsonObject { ["scenario_id"] = "W01", ["seed"] = i, ["agent"] = Agent }));
            Assert.Equal("observation", (string)reset["type"]!);
            return client;
        }));
        foreach (var replica in replicas)
        {
            using var http = replica.CreateHttpClient();
            var health = (await http.GetFromJsonAsync<JsonObject>(new Uri("/health", UriKind.Relative)))!;
            Assert.Equal((SessionsPerReplica, SessionsPerReplica), ((int)health["sessions"]!["open"]!, (int)health["sessions"]!["capacity"]!));
        }

        var finals = await Task.WhenAll(clients.Select(async client =>
        {
            await using (client)
            {
                for (var step = 0; step < 3; step++)
                {
                    await client.RequestAsync(Frame("step", Calculator));
                }

                return await client.RequestAsync(Frame("step", new JsonObject { ["type"] = "submit_answer", ["answer"] = "126" }));
            }
        }));

        // A submission is answered once its episode is durable: the lists are complete now.
        Assert.All(finals, f => Assert.True((bool)f["data"]!["done"]!, f.ToJsonString()));
        var lists = await Task.WhenAll(replicas.Select(ListAsync));
        Assert.Equal(2 * SessionsPerReplica, lists[0].Distinct().Count());
        Assert.Equal(lists[0], lists[1]);
    }

    private static readonly JsonObject Calculator = new()
    {
        ["type"] = "call_tool",
        ["tool_name"] = "calculator",
        ["arguments"] = new JsonObject { ["expression"] = "(17 + 25) * 3" },
    };

    private static JsonObject Frame(string type, JsonObject data) => new() { ["type"] = type, ["data"] = data.DeepClone() };

    /// <summary>The ended episodes of the load's agent as <paramref name="replica"/> lists them: id and outcome, in its order.</summary>
    private static async Task<List<string>> ListAsync(ServerProcess replica)
    {
        using var http = replica.CreateHttpClient();
        var page = (await http.GetFromJsonAsync<JsonObject>(new Uri($"/api/episodes?agent={Agent}&page_size=500&sort=started_at", UriKind.Relative)))!;
        return [.. page["items"]!.AsArray().Select(e => $"{e!["id"]!.GetValue<string>()} {e["outcome"]!.GetValue<string>()}")];
    }
}

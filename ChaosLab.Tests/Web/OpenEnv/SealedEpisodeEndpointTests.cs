using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// Sealed episodes over the real server, tried as an adversary would: nothing reachable from any
/// API route or dashboard page while one runs reveals its seed, clean results, fault decisions
/// or answer key, and the cheats that read them score nothing.
/// </summary>
public sealed partial class SealedEpisodeEndpointTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Theory]
    [InlineData("""{"mode":"sealed"}""", "mode", "registered agent")]
    [InlineData("""{"mode":"sealed","agent":"someone"}""", "mode", "registered agent")]
    [InlineData("""{"mode":"sealed","agent":"sealed-agent"}""", "agent_key", "send its key")]
    [InlineData("""{"mode":"sealed","agent":"sealed-agent","agent_key":"sealed-agent-key-wrong"}""", "agent_key", "Wrong agent_key")]
    [InlineData("""{"mode":"sealed","agent":"sealed-agent","agent_key":"sealed-agent-key-0123456789","seed":5}""", "seed", "drawn by the server")]
    [InlineData("""{"agent":"resilient"}""", "agent_key", "reserved")]
    [InlineData("""{"mode":"ranked"}""", "mode", "Unknown mode")]
    public async Task Reset_SealedWithoutTheRightToIt_422Saying(string body, string field, string message)
    {
        using var response = await PostAsync("/reset", body);
        var issue = (await ReadAsync(response))["detail"]!.AsArray().Single()!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["body", field], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(message, issue["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningSealedEpisode_EveryApiRouteAndDashboardPage_RevealsNoSecret()
    {
        await using var agent = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await agent.RequestAsync(SealedReset(new JsonObject { ["task_id"] = "task3", ["tier"] = "expert" }));
        var episodeId = reset["data"]!["episode_id"]!.GetValue<string>();
        var question = reset["data"]!["observation"]!["question"]!.GetValue<string>();
        var seenByAgent = new StringBuilder(reset.ToJsonString());
        foreach (var action in Retrievals(question))
        {
            seenByAgent.Append((await agent.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = action })).ToJsonString());
        }

        var state = (await agent.RequestAsync(new JsonObject { ["type"] = "state" })).ToJsonString();
        var exposed = new List<(string Where, string Text)> { ("the agent's own /ws state", state) };
        foreach (var path in ApiRoutes(episodeId).Concat(DashboardPages(episodeId)))
        {
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            exposed.Add((path, await response.Content.ReadAsStringAsync()));
        }

        var running = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
        var matchedByFault = new List<string>();
        foreach (var kind in FaultKinds.All.Select(k => k.Name()))
        {
            var page = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes?fault={kind}&agent={TestAgents.Sealed}"))!;
            matchedByFault.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        }

        await agent.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "unknown" } });
        var ended = await WaitForEndAsync(episodeId);
        var secrets = Secrets(ended, seenByAgent.ToString());

        // The ended record does hold every kind of secret, so finding none while it ran means something.
        Assert.Contains(secrets, s => s.Kind == "seed");
        Assert.Contains(secrets, s => s.Kind == "fault decision");
        Assert.Contains(secrets, s => s.Kind == "clean result");
        Assert.Contains(secrets, s => s.Kind == "answer key");
        Assert.Null(running["grade"]);
        Assert.Null(running["episode"]!["seed"]);
        Assert.Empty(running["episode"]!["fault_kinds"]!.AsArray());
        Assert.All(running["steps"]!.AsArray(), s =>
        {
            Assert.Null(s!["clean_result"]);
            Assert.Empty(s["faults"]!.AsArray());
            Assert.Empty(s["reward_components"]!.AsArray());
        });
        Assert.DoesNotContain(episodeId, matchedByFault);
        foreach (var (where, text) in exposed)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret.Value, StringComparison.Ordinal), $"{where} shows the {secret.Kind} '{secret.Value}' while the episode runs");
            }
        }
    }

    /// <summary>
    /// The two cheats the adversary scored 0.85 with: read the running episode's record, or learn
    /// its seed and replay it (here locally, which is what a sibling session would give). In
    /// practice episodes, where the seed is the client's own, the same cheat must work, or this
    /// test would pass for the wrong reason.
    /// </summary>
    [Fact]
    public async Task RecordReadingAndSeedReplayCheats_SealedEpisodes_ScoreAtMostFivePercent()
    {
        var scenarios = ScenarioCatalog.All.Where(s => s.Family != ScenarioFamily.TicketRevenue).Where((_, i) => i % 4 == 0).ToList();

        var sealedScores = new List<double>();
        var practiceScores = new List<double>();
        foreach (var scenario in scenarios)
        {
            sealedScores.Add(await CheatAsync(scenario.Id, sealedMode: true));
            practiceScores.Add(await CheatAsync(scenario.Id, sealedMode: false));
        }

        Assert.True(scenarios.Count >= 12);
        Assert.True(sealedScores.Average() <= 0.05, $"sealed mean {sealedScores.Average():0.000}");
        Assert.True(practiceScores.Average() >= 0.8, $"practice mean {practiceScores.Average():0.000}: the cheat itself is broken");
    }

    [Fact]
    public async Task Reset_SameEpisodeIdRacedOnTwoSockets_ExactlyOneStartsAndItsRecordCompletes()
    {
        for (var pair = 0; pair < 30; pair++)
        {
            var episodeId = $"raced-{pair}";
            await using var first = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
            await using var second = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
            var frame = new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = pair, ["episode_id"] = episodeId } };

            var replies = await Task.WhenAll(first.RequestAsync(frame.DeepClone()), second.RequestAsync(frame.DeepClone()));

            Assert.Single(replies, r => r["type"]!.GetValue<string>() == "observation");
            var refused = Assert.Single(replies, r => r["type"]!.GetValue<string>() == "error");
            Assert.Contains("already taken", refused["data"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            var winner = replies[0]["type"]!.GetValue<string>() == "observation" ? first : second;
            var loser = ReferenceEquals(winner, first) ? second : first;
            var final = await winner.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "x" } });
            Assert.True(final["data"]!["done"]!.GetValue<bool>());
            Assert.Equal("observation", (await loser.RequestAsync(new JsonObject { ["type"] = "reset" }))["type"]!.GetValue<string>());

            var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
            Assert.NotNull(stored["episode"]!["ended_at"]);
            Assert.Equal([0, 1], stored["steps"]!.AsArray().Select(s => s!["index"]!.GetValue<int>()));
        }
    }

    private async Task<double> CheatAsync(string scenarioId, bool sealedMode)
    {
        var parameters = new JsonObject { ["scenario_id"] = scenarioId };
        using var reset = await PostAsync("/reset", (sealedMode ? SealedReset(parameters)["data"]! : parameters).ToJsonString());
        var started = await ReadAsync(reset);
        var token = started["episode_token"]!.GetValue<string>();
        var episodeId = started["episode_id"]!.GetValue<string>();
        await StepAsync(token, new JsonObject { ["type"] = "call_tool", ["tool_name"] = "database_query", ["arguments"] = new JsonObject { ["sql"] = "SELECT * FROM countries" } });

        // Everything the adversary can read while the episode runs: its own state, the record, the list.
        using var state = await _client.GetAsync(new Uri($"/state?episode_token={token}", UriKind.Relative));
        var record = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
        var list = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes?scenario={scenarioId}&page_size=500"))!;
        var seed = (await ReadAsync(state))["seed"]?.GetValue<long>()
            ?? record["episode"]!["seed"]?.GetValue<long>()
            ?? list["items"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<string>() == episodeId)?["seed"]?.GetValue<long>();
        var cleanResult = record["steps"]!.AsArray().Select(s => s!["clean_result"]?.GetValue<string>()).FirstOrDefault(c => c is not null);

        var answer = seed is { } known
            ? ExploitTests.CorrectAnswer(ScenarioTemplate.Instantiate(ScenarioCatalog.Find(scenarioId)!, known))
            : cleanResult ?? "unknown";
        var final = await StepAsync(token, new JsonObject { ["type"] = "submit_answer", ["answer"] = answer });
        Assert.True(final["done"]!.GetValue<bool>());
        return final["reward"]!.GetValue<double>();
    }

    private async Task<JsonObject> StepAsync(string token, JsonObject action)
    {
        using var response = await PostAsync("/step", new JsonObject { ["action"] = action, ["episode_token"] = token }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    private async Task<JsonObject> WaitForEndAsync(string episodeId)
    {
        // The final reply is sent once the episode is durable, so this is a single read in practice.
        var record = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
        Assert.NotNull(record["episode"]!["ended_at"]);
        return record;
    }

    /// <summary>What the ended record knows that the agent never saw: each must stay hidden while the episode runs.</summary>
    private static List<(string Kind, string Value)> Secrets(JsonObject ended, string seenByAgent)
    {
        var secrets = new List<(string Kind, string Value)> { ("seed", ended["episode"]!["seed"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        foreach (var step in ended["steps"]!.AsArray())
        {
            // A decision's reason is shared by many episodes; its seeded roll is this episode's own
            // (and its inputs carry the seed, checked above).
            foreach (var decision in step!["faults"]!.AsArray().Where(d => d!["fired"]!.GetValue<bool>() && d["inputs"]!["roll"]!.GetValue<double>() > 0))
            {
                secrets.Add(("fault decision", decision!["inputs"]!["roll"]!.ToJsonString()));
            }

            if (step["clean_result"]?.GetValue<string>() is { } clean)
            {
                secrets.AddRange(Numbers(clean).Where(n => !seenByAgent.Contains(n, StringComparison.Ordinal)).Select(n => ("clean result", n)));
            }
        }

        foreach (var slot in ended["grade"]!["answer_key"]!["slots"]!.AsArray())
        {
            var expected = slot!["expected"]!.ToString();
            if (expected.Length >= 4 && !seenByAgent.Contains(expected, StringComparison.Ordinal))
            {
                secrets.Add(("answer key", expected));
            }
        }

        return [.. secrets.Distinct()];
    }

    private static IEnumerable<string> Numbers(string text) => NumberPattern().Matches(text).Select(m => m.Value);

    private static IEnumerable<string> ApiRoutes(string episodeId) =>
    [
        "/api/episodes",
        $"/api/episodes?agent={TestAgents.Sealed}",
        "/api/episodes?mode=sealed&sort=-score",
        $"/api/episodes/{episodeId}",
        $"/api/episodes/export?agent={TestAgents.Sealed}",
    ];

    private static IEnumerable<string> DashboardPages(string episodeId) =>
    [
        "/web/",
        "/web/?mode=practice",
        "/web/episodes",
        $"/web/episodes?agent={TestAgents.Sealed}",
        $"/web/episodes/{episodeId}",
        $"/web/analytics?agent={TestAgents.Sealed}",
        $"/web/compare?a={TestAgents.Sealed}&b=naive",
        "/web/status",
    ];

    private static IEnumerable<JsonObject> Retrievals(string question)
    {
        JsonObject Call(string tool, JsonObject arguments) => new() { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments };
        return
        [
            Call("database_query", new JsonObject { ["sql"] = "SELECT * FROM financials" }),
            Call("database_query", new JsonObject { ["sql"] = "SELECT * FROM companies" }),
            Call("web_search", new JsonObject { ["query"] = question }),
            Call("document_search", new JsonObject { ["query"] = question }),
            Call("read_file", new JsonObject { ["path"] = "/data/companies.csv" }),
            Call("web_search", new JsonObject { ["query"] = "revenue filing " + question }),
            Call("database_query", new JsonObject { ["sql"] = "SELECT * FROM countries" }),
        ];
    }

    private static JsonObject SealedReset(JsonObject parameters)
    {
        parameters["mode"] = "sealed";
        parameters["agent"] = TestAgents.Sealed;
        parameters["agent_key"] = TestAgents.SealedKey;
        return new JsonObject { ["type"] = "reset", ["data"] = parameters };
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    [GeneratedRegex(@"\d[\d.,]{3,}\d")]
    private static partial Regex NumberPattern();
}

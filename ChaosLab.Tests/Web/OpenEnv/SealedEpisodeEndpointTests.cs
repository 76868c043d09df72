using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// Sealed episodes over the real server, tried as an adversary would: only registered agents play
/// them, the cheats that read a running episode's record or replay its seed score nothing, and a
/// raced episode id starts one episode.
/// </summary>
public sealed class SealedEpisodeEndpointTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
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

    /// <summary>
    /// The two cheats the adversary scored 0.85 with: read the running episode's record, or learn
    /// its seed and replay it (here locally, which is what a sibling session would give). In
    /// practice episodes, where the seed is the client's own, the same cheat must work, or this
    /// test would pass for the wrong reason.
    /// </summary>
    [Fact]
    public async Task RecordReadingAndSeedReplayCheats_SealedEpisodes_EveryFamilyMeanAtMostFivePercent()
    {
        // Two scenarios of every family, from different tiers where the family has them.
        var scenarios = ScenarioCatalog.All.GroupBy(s => s.Family).SelectMany(f => f.Where((_, i) => i % Math.Max(1, f.Count() / 2) == 0).Take(2)).ToList();

        var sealedScores = new List<(ScenarioFamily Family, double Score)>();
        var practiceScores = new List<double>();
        foreach (var scenario in scenarios)
        {
            sealedScores.Add((scenario.Family, await CheatAsync(scenario.Id, sealedMode: true)));

            // A ticket is graded on the ticket's state, which this cheat does not touch.
            if (scenario.Family != ScenarioFamily.TicketRevenue)
            {
                practiceScores.Add(await CheatAsync(scenario.Id, sealedMode: false));
            }
        }

        Assert.Equal(Enum.GetValues<ScenarioFamily>().Length, sealedScores.Select(s => s.Family).Distinct().Count());
        Assert.All(sealedScores.GroupBy(s => s.Family), family =>
            Assert.True(family.Average(s => s.Score) <= 0.05, $"{family.Key}: sealed mean {family.Average(s => s.Score):0.000}"));
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
        // The recorder writes in the background: on a loaded machine the record may not exist yet,
        // which leaves the adversary with less to read, not with a failed test.
        var record = await ReadIfFoundAsync($"/api/episodes/{episodeId}");
        var list = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes?scenario={scenarioId}&page_size=500"))!;
        var seed = (await ReadAsync(state))["seed"]?.GetValue<long>()
            ?? record?["episode"]!["seed"]?.GetValue<long>()
            ?? list["items"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<string>() == episodeId)?["seed"]?.GetValue<long>();
        var cleanResult = record?["steps"]!.AsArray().Select(s => s!["clean_result"]?.GetValue<string>()).FirstOrDefault(c => c is not null);

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

    internal static JsonObject SealedReset(JsonObject parameters)
    {
        parameters["mode"] = "sealed";
        parameters["agent"] = TestAgents.Sealed;
        parameters["agent_key"] = TestAgents.SealedKey;
        return new JsonObject { ["type"] = "reset", ["data"] = parameters };
    }

    private async Task<JsonObject?> ReadIfFoundAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response.EnsureSuccessStatusCode());
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>Many clients at once: sessions stay isolated and the store holds exactly what each client saw.</summary>
public sealed class ConcurrentSessionsTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private const int Sessions = 50;

    [Fact]
    public async Task FiftySessions_DistinctSeeds_IsolatedAndStoredTrajectoriesEqualTheFramesReceived()
    {
        var played = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(PlayAsync));

        // Each episode matches a solo replay of the same seed and actions: no session saw another's state.
        var solo = await PlayAsync(7);
        Assert.Equal(Strip(solo.Frames), Strip(played[7].Frames));
        Assert.Equal(Sessions, played.Select(p => p.EpisodeId).Distinct().Count());

        using var client = app.CreateHttpClient();
        foreach (var episode in played)
        {
            var trajectory = (await client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episode.EpisodeId}"))!;
            var steps = trajectory["steps"]!.AsArray();
            Assert.Equal(episode.Frames.Count, steps.Count);
            for (var i = 0; i < steps.Count; i++)
            {
                Assert.Equal(i, steps[i]!["index"]!.GetValue<int>());
                Assert.Equal(episode.Frames[i]["observation"]!.ToJsonString(), steps[i]!["observation"]!.ToJsonString());
                Assert.Equal(episode.Frames[i]["reward"]!.GetValue<double>(), steps[i]!["reward"]!.GetValue<double>());
                Assert.Equal(episode.Frames[i]["done"]!.GetValue<bool>(), steps[i]!["done"]!.GetValue<bool>());
            }

            Assert.Equal($"concurrent-{episode.Index}", trajectory["episode"]!["agent"]!.GetValue<string>());
            Assert.Equal("ws", trajectory["episode"]!["client_kind"]!.GetValue<string>());
            Assert.Equal(episode.Index + 1000, trajectory["episode"]!["seed"]!.GetValue<long>());
            Assert.NotNull(trajectory["episode"]!["outcome"]);
        }
    }

    private async Task<PlayedEpisode> PlayAsync(int index)
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var frames = new List<JsonObject>();
        JsonNode[] script =
        [
            new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = index + 1000, ["tier"] = "expert", ["task_id"] = "task3", ["agent"] = $"concurrent-{index}" } },
            Step("web_search", new JsonObject { ["query"] = "revenue" }),
            Step("database_query", new JsonObject { ["sql"] = "SELECT * FROM companies LIMIT 3" }),
            Step("document_search", new JsonObject { ["query"] = "annual filing" }),
            Step("knowledge_base_lookup", new JsonObject { ["entity"] = "company" }),
            new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = $"The figure is {index} billion." } },
        ];
        string? episodeId = null;
        foreach (var frame in script)
        {
            var reply = await client.RequestAsync(frame);
            Assert.Equal("observation", reply["type"]!.GetValue<string>());
            var data = reply["data"]!.AsObject();
            episodeId ??= data["episode_id"]!.GetValue<string>();
            frames.Add(data);
            if (data["done"]!.GetValue<bool>())
            {
                break;
            }
        }

        return new PlayedEpisode(index, episodeId!, frames);
    }

    private static IReadOnlyList<string> Strip(IReadOnlyList<JsonObject> frames) =>
        [.. frames.Select(f => f["observation"]!.ToJsonString() + "|" + f["reward"]!.ToJsonString())];

    private static JsonObject Step(string tool, JsonObject arguments) => new()
    {
        ["type"] = "step",
        ["data"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments },
    };

    private sealed record PlayedEpisode(int Index, string EpisodeId, IReadOnlyList<JsonObject> Frames);
}

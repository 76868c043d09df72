using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>A server whose store lives in a directory the test owns, so a second server can open it after the first stopped.</summary>
public sealed class SharedDataAppFactory(string dataDirectory)
    : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:DataDirectory"] = dataDirectory });

/// <summary>
/// Curricula over the real wire: a training client that names one plays warmup until it clears the
/// bar, then beginner, and the curriculum remembers that across a reconnect and a server restart.
/// </summary>
public sealed class CurriculumEndpointTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task Reset_CurriculumAfterFiveCorrectEpisodes_BeginnerAcrossReconnectAndRestart()
    {
        using var data = new TempDirectory();
        await using (var first = new SharedDataAppFactory(data.Path))
        {
            await using (var socket = await WireClient.ConnectAsync(first.WebSocketAddress("/ws")))
            {
                for (var seed = 0; seed < 5; seed++)
                {
                    Assert.Equal("warmup", await PlayCorrectlyAsync(socket, "ws-run", seed));
                }
            }

            await using (var reconnected = await WireClient.ConnectAsync(first.WebSocketAddress("/ws")))
            {
                Assert.Equal("beginner", await PlayCorrectlyAsync(reconnected, "ws-run", 5));
            }

            using var client = first.CreateHttpClient();
            var curriculum = (await client.GetFromJsonAsync<JsonObject>("/api/curricula/ws-run"))!;
            Assert.Equal(("tools", "beginner", 6), (
                curriculum["curriculum"]!["suite"]!.GetValue<string>(),
                curriculum["curriculum"]!["current_tier"]!.GetValue<string>(),
                curriculum["curriculum"]!["episodes"]!.GetValue<int>()));
            var steps = curriculum["steps"]!.AsArray();
            Assert.Equal(["warmup", "warmup", "warmup", "warmup", "warmup", "beginner"], steps.Select(s => s!["tier"]!.GetValue<string>()));
            Assert.Equal(["correct", "correct", "correct", "correct", "correct", "correct"], steps.Select(s => s!["outcome"]!.GetValue<string>()));
            Assert.True(steps[5]!["advanced"]!.GetValue<bool>());
            Assert.Equal(
                "advanced from warmup to beginner: 5 of 5 graded episodes at warmup succeeded (100%); the bar is 5 episodes at 60%",
                steps[5]!["reason"]!.GetValue<string>());
        }

        await using var restarted = new SharedDataAppFactory(data.Path);
        await using var afterRestart = await WireClient.ConnectAsync(restarted.WebSocketAddress("/ws"));
        var reset = await ResetAsync(afterRestart, "ws-run", 6);
        Assert.Equal("beginner", reset["data"]!["observation"]!["tier"]!.GetValue<string>());
        using var restartedClient = restarted.CreateHttpClient();
        var list = (await restartedClient.GetFromJsonAsync<JsonObject>("/api/curricula"))!;
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal(("ws-run", "beginner", 1.0), (item["name"]!.GetValue<string>(), item["current_tier"]!.GetValue<string>(), item["window_success_rate"]!.GetValue<double>()));
    }

    [Theory]
    [InlineData("""{"curriculum":"c1","tier":"expert"}""", "tier", "A curriculum chooses the tier")]
    [InlineData("""{"curriculum":"c1","scenario_id":"W01"}""", "scenario_id", "a scenario fixes it")]
    [InlineData("""{"curriculum":"c1","mode":"sealed"}""", "curriculum", "practice episodes")]
    [InlineData("""{"curriculum":"no spaces"}""", "curriculum", "letters, digits")]
    [InlineData("""{"curriculum":""}""", "curriculum", "letters, digits")]
    [InlineData("""{"curriculum":7}""", "curriculum", "must be a string")]
    public async Task Reset_CurriculumWithWhatItCannotGoWith_422NamingTheParameter(string body, string field, string message)
    {
        using var response = await _client.PostAsync(new Uri("/reset", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var issue = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.AsArray().Single()!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["body", field], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(message, issue["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_CurriculumOverHttp_TierChosenAndReturnedInTheObservation()
    {
        using var response = await _client.PostAsync(new Uri("/reset", UriKind.Relative),
            new StringContent("""{"curriculum":"http-run","task_id":"task2","seed":3}""", Encoding.UTF8, "application/json"));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("warmup", "task2"), (body["observation"]!["tier"]!.GetValue<string>(), body["observation"]!["task_id"]!.GetValue<string>()));
        var curriculum = (await _client.GetFromJsonAsync<JsonObject>("/api/curricula/http-run"))!;
        Assert.Equal(body["episode_id"]!.GetValue<string>(), curriculum["steps"]!.AsArray().Single()!["episode_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/curricula/never-named", HttpStatusCode.NotFound, "Curriculum not found")]
    [InlineData("/api/curricula/bad%20name", HttpStatusCode.BadRequest, "Invalid curriculum name")]
    public async Task GetCurriculum_UnknownOrInvalidName_ProblemJson(string path, HttpStatusCode status, string title)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>());
    }

    /// <returns>The tier the curriculum gave the episode.</returns>
    private static async Task<string> PlayCorrectlyAsync(WireClient socket, string curriculum, int seed)
    {
        var observation = (await ResetAsync(socket, curriculum, seed))["data"]!["observation"]!;
        var scenario = ScenarioCatalog.Find(observation["scenario_id"]!.GetValue<string>())!;
        var answer = ExploitTests.CorrectAnswer(ScenarioTemplate.Instantiate(scenario, seed));
        var final = await socket.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = answer } });
        Assert.True(final["data"]!["done"]!.GetValue<bool>(), final.ToJsonString());
        return observation["tier"]!.GetValue<string>();
    }

    private static async Task<JsonObject> ResetAsync(WireClient socket, string curriculum, int seed)
    {
        var reset = await socket.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["curriculum"] = curriculum, ["seed"] = seed } });
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        return reset;
    }
}

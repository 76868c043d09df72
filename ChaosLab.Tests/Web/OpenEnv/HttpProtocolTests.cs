using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>OpenEnv's HTTP routes over real HTTP, checked against OpenEnv's wire format (docs/api.md).</summary>
public sealed class HttpProtocolTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task Reset_EmptyBody_ObservationRewardDoneAndEpisodeId()
    {
        using var response = await _client.PostAsync(new Uri("/reset", UriKind.Relative), null);
        var body = await ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType<JsonObject>(body["observation"]);
        Assert.NotNull(body["observation"]!["question"]);
        Assert.Null(body["observation"]!["metadata"]);
        Assert.Equal(0.0, body["reward"]!.GetValue<double>());
        Assert.False(body["done"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(body["episode_id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"seed": 7, "episode_id": "http-ep-A", "task_id": "task2", "tier": "beginner", "agent": "unit-test"}""")]
    public async Task Reset_ValidBodies_Accepted(string json)
    {
        using var response = await PostJsonAsync("/reset", json);
        var body = await ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(body["episode_id"]);
    }

    [Fact]
    public async Task Reset_SameSeedTwice_SameObservationBytes()
    {
        using var first = await PostJsonAsync("/reset", """{"seed": 42, "task_id": "task1", "tier": "expert"}""");
        using var second = await PostJsonAsync("/reset", """{"seed": 42, "task_id": "task1", "tier": "expert"}""");

        var a = (await ReadObjectAsync(first))["observation"]!.ToJsonString();
        var b = (await ReadObjectAsync(second))["observation"]!.ToJsonString();
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("""{"task_id": "task9"}""", "task_id", "task1")]
    [InlineData("""{"tier": "legendary"}""", "tier", "expert")]
    [InlineData("""{"scenario_id": "Z99"}""", "scenario_id", null)]
    [InlineData("""{"suite": "nope"}""", "suite", "tools")]
    [InlineData("""{"max_steps": 50}""", "max_steps", "seed")]
    [InlineData("""{"seed": -1}""", "seed", null)]
    [InlineData("""{"seed": "seven"}""", "seed", null)]
    public async Task Reset_InvalidParameter_422NamingItAndListingValidValues(string json, string field, string? validValue)
    {
        using var response = await PostJsonAsync("/reset", json);
        var detail = await ReadDetailAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var issue = Assert.Single(detail);
        Assert.Equal(["body", field], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(issue["msg"]!.GetValue<string>()));
        if (validValue is not null)
        {
            Assert.Contains(validValue, issue["valid_values"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Reset_InvalidJson_422JsonInvalid()
    {
        using var response = await PostJsonAsync("/reset", "{\"seed\": ");
        var issue = Assert.Single(await ReadDetailAsync(response));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("json_invalid", issue["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Step_WithTokenInBody_ContinuesThatEpisode()
    {
        var (episodeId, token) = await ResetAsync("""{"seed": 3, "task_id": "task1", "tier": "warmup"}""");

        using var response = await PostJsonAsync("/step",
            $$$"""{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "6*7"}}, "episode_token": "{{{token}}}", "episode_id": "{{{episodeId}}}"}""");
        var body = await ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(episodeId, body["episode_id"]!.GetValue<string>());
        Assert.Null(body["episode_token"]);
        Assert.Equal("calculator", body["observation"]!["tool_name"]!.GetValue<string>());
        Assert.Equal(1, body["observation"]!["step"]!.GetValue<int>());
        Assert.False(body["done"]!.GetValue<bool>());
        var state = await GetStateAsync($"/state?episode_token={token}");
        Assert.Equal(episodeId, state["episode_id"]!.GetValue<string>());
        Assert.Equal(1, state["step_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Step_WithTokenInQueryOrHeader_ContinuesThatEpisode()
    {
        var (_, token) = await ResetAsync("{}");
        const string Action = """{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "1+1"}}}""";

        using var byQuery = await PostJsonAsync($"/step?episode_token={token}", Action);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/step") { Content = new StringContent(Action, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Episode-Token", token);
        using var byHeader = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        using var stateRequest = new HttpRequestMessage(HttpMethod.Get, "/state");
        stateRequest.Headers.Add("X-Episode-Token", token);
        using var state = await _client.SendAsync(stateRequest);
        Assert.Equal(2, (await ReadObjectAsync(state))["step_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Step_NoToken_422ThatSaysHowToContinue()
    {
        using var response = await PostJsonAsync("/step", """{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "1"}}}""");
        var issue = Assert.Single(await ReadDetailAsync(response));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["body", "episode_token"], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("/ws", issue["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("episode_token", issue["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_StrangerWithListedEpisodeIdOnly_RefusedAndTheOwnersEpisodeContinues()
    {
        var (episodeId, token) = await ResetAsync("""{"scenario_id": "W01", "seed": 5, "agent": "owner"}""");

        // The reset is recorded off the request path: list once the store has it, as a stranger would.
        var services = app.Services;
        await StoreWaiter.WaitForStepsAsync(services.GetRequiredService<IEpisodeFeed>(), services.GetRequiredService<EpisodeStore>(), episodeId, 1);
        using var listed = await _client.GetAsync(new Uri("/api/episodes?agent=owner", UriKind.Relative));
        var listedId = (await ReadObjectAsync(listed))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Single();

        using var byId = await PostJsonAsync("/step", $$"""{"action": {"type": "submit_answer", "answer": "0"}, "episode_id": "{{listedId}}"}""");
        using var byIdInQuery = await PostJsonAsync($"/step?episode_id={listedId}", """{"action": {"type": "submit_answer", "answer": "0"}}""");
        using var byGuess = await PostJsonAsync("/step", $$"""{"action": {"type": "submit_answer", "answer": "0"}, "episode_token": "{{listedId}}"}""");
        using var stateById = await _client.GetAsync(new Uri($"/state?episode_id={listedId}", UriKind.Relative));
        using var own = await PostJsonAsync("/step", $$$"""{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "2"}}, "episode_token": "{{{token}}}"}""");

        Assert.Equal(episodeId, listedId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, byId.StatusCode);
        Assert.Contains("episode_token", Assert.Single(await ReadDetailAsync(byId))["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, byIdInQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byGuess.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stateById.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var body = await ReadObjectAsync(own);
        Assert.False(body["done"]!.GetValue<bool>());
        Assert.Equal(1, body["observation"]!["step"]!.GetValue<int>());
    }

    [Fact]
    public async Task Step_TokenOfAnotherEpisode_403()
    {
        var (first, _) = await ResetAsync("{}");
        var (_, secondToken) = await ResetAsync("{}");

        using var response = await PostJsonAsync("/step", $$"""{"action": {"type": "list_tools"}, "episode_token": "{{secondToken}}", "episode_id": "{{first}}"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(first, (await ReadObjectAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_Reply_CarriesTheTokenOnlyHttpClientsUse()
    {
        using var response = await PostJsonAsync("/reset", "{}");
        var body = await ReadObjectAsync(response);

        var token = body["episode_token"]!.GetValue<string>();
        // The replica that holds the episode, a dot, then 128 random bits.
        Assert.Matches("^[A-Za-z0-9_-]{1,40}\\.[0-9a-f]{32}$", token);
        Assert.NotEqual(body["episode_id"]!.GetValue<string>(), token);
    }

    [Theory]
    [InlineData("""{"episode_id": "x"}""", "body,action", "missing")]
    [InlineData("""{"action": 5, "episode_id": "x"}""", "body,action", "dict_type")]
    [InlineData("[1, 2]", "body", "dict_type")]
    [InlineData("", "body", "missing")]
    public async Task Step_BadEnvelope_422WithBodyLocation(string json, string loc, string type)
    {
        using var response = await PostJsonAsync("/step", json);
        var issue = Assert.Single(await ReadDetailAsync(response));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(loc.Split(','), issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(type, issue["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Step_BadAction_422LocatedRelativeToTheActionAndEpisodeStillUsable()
    {
        var (_, token) = await ResetAsync("{}");

        using var bad = await PostJsonAsync("/step", $$"""{"action": {"type": "call_tool"}, "episode_token": "{{token}}"}""");
        var issue = Assert.Single(await ReadDetailAsync(bad));
        using var good = await PostJsonAsync("/step", $$$"""{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "2"}}, "episode_token": "{{{token}}}"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(["tool_name"], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task Step_UnknownToken_403()
    {
        using var response = await PostJsonAsync("/step", """{"action": {"type": "list_tools"}, "episode_token": "never-issued"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("controls no open episode", (await ReadObjectAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_EpisodeIdAlreadyInUse_422()
    {
        await ResetAsync("""{"episode_id": "taken-once"}""");

        using var response = await PostJsonAsync("/reset", """{"episode_id": "taken-once"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task State_NoEpisodeId_422()
    {
        using var response = await _client.GetAsync(new Uri("/state", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Schema_Get_ActionObservationStateSchemas()
    {
        using var response = await _client.GetAsync(new Uri("/schema", UriKind.Relative));
        var body = await ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType<JsonObject>(body["action"]);
        Assert.IsType<JsonObject>(body["observation"]);
        Assert.IsType<JsonObject>(body["state"]);
        var actionSchema = body["action"]!.ToJsonString();
        Assert.Contains("call_tool", actionSchema, StringComparison.Ordinal);
        Assert.Contains("submit_answer", actionSchema, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_Get_NameDescriptionVersionAndReadme()
    {
        using var response = await _client.GetAsync(new Uri("/metadata", UriKind.Relative));
        var body = await ReadObjectAsync(response);

        Assert.Equal("chaoslab", body["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["description"]!.GetValue<string>()));
        Assert.Matches(@"^\d+\.\d+\.\d+", body["version"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["author"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(body["documentation_url"]!.GetValue<string>()));
        Assert.Contains("dotnet run --project ChaosLab.Web", body["readme_content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Get_StringVersionAndTheThreeCoreRoutes()
    {
        using var response = await _client.GetAsync(new Uri("/openapi.json", UriKind.Relative));
        var body = await ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.String, body["info"]!["version"]!.GetValueKind());
        var paths = body["paths"]!.AsObject();
        Assert.Contains("/reset", paths.Select(p => p.Key));
        Assert.Contains("/step", paths.Select(p => p.Key));
        Assert.Contains("/state", paths.Select(p => p.Key));
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/web", StringComparison.Ordinal) || p.Key.StartsWith("/_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownRoute_404DetailNotFound()
    {
        using var response = await _client.GetAsync(new Uri("/no/such/route", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"detail":"Not Found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WrongMethod_405DetailMethodNotAllowed()
    {
        using var response = await _client.GetAsync(new Uri("/reset", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("""{"detail":"Method Not Allowed"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocketRoute_PlainHttp_426UpgradeRequired()
    {
        using var response = await _client.GetAsync(new Uri("/ws", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    private async Task<(string EpisodeId, string Token)> ResetAsync(string json)
    {
        using var response = await PostJsonAsync("/reset", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        return (body["episode_id"]!.GetValue<string>(), body["episode_token"]!.GetValue<string>());
    }

    private async Task<JsonObject> GetStateAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    private static async Task<IReadOnlyList<JsonObject>> ReadDetailAsync(HttpResponseMessage response) =>
        [.. (await ReadObjectAsync(response))["detail"]!.AsArray().Select(n => n!.AsObject())];
}

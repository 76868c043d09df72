using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// Each input an adversary found turning into a 500 or a dead episode (invalid UTF-8, lone
/// surrogate escapes, duplicate keys), refused up front on every transport in OpenEnv's shapes.
/// </summary>
public sealed class MalformedInputTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private const string LoneSurrogateAgent = """{"agent":"\ud800"}""";
    private const string LoneSurrogateKey = """{"\udc00":1}""";
    private const string DuplicateSeed = """{"seed":1,"seed":2}""";

    private readonly HttpClient _client = app.CreateHttpClient();

    public static TheoryData<byte[], string> BadBodies => new()
    {
        { Encoding.UTF8.GetBytes(LoneSurrogateAgent), "surrogate" },
        { Encoding.UTF8.GetBytes(LoneSurrogateKey), "surrogate" },
        { Encoding.UTF8.GetBytes(DuplicateSeed), "Duplicate property 'seed'" },
        { [.. "{\"agent\":\"a"u8, 0xff, 0xfe, .. "b\"}"u8], "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Reset_MalformedBody_422JsonInvalidNamingTheProblem(byte[] body, string reason)
    {
        using var response = await PostAsync("/reset", body);
        var issue = Assert.Single((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.AsArray())!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("json_invalid", issue["type"]!.GetValue<string>());
        Assert.Equal(["body"], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(reason, issue["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"submit_answer","answer":{"population":1,"population":2}}""")]
    [InlineData("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"\ud800"}}""")]
    [InlineData("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"1","expression":"2"}}""")]
    public async Task Step_MalformedAction_422AndTheEpisodeStillRuns(string action)
    {
        var episode = await ResetAsync();

        using var bad = await PostAsync("/step", StepBody(episode, action));
        var issue = Assert.Single((await bad.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.AsArray())!;
        using var good = await PostAsync("/step", StepBody(episode, """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"6*7"}}"""));
        var observation = (await good.Content.ReadFromJsonAsync<JsonObject>())!["observation"]!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("json_invalid", issue["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(1, observation["step"]!.GetValue<int>());
    }

    [Fact]
    public async Task Step_AnswerTextHoldingJsonWithDuplicateKeys_GradedNot500()
    {
        var episode = await ResetAsync();

        using var response = await PostAsync("/step", StepBody(episode,
            """{"type":"submit_answer","answer":"{\"population\":1,\"population\":2}"}"""));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body["done"]!.GetValue<bool>());
        Assert.Equal("episode_end", body["observation"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_TextPlainBody_415WithDetail()
    {
        using var response = await _client.PostAsync(new Uri("/reset", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task McpPost_MalformedMessage_200ParseError(byte[] body, string reason)
    {
        using var response = await PostAsync("/mcp", body);
        var reply = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2.0", reply["jsonrpc"]!.GetValue<string>());
        Assert.Equal(-32700, reply["error"]!["code"]!.GetValue<int>());
        Assert.Contains(reason, reply["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task EpisodeSocket_MalformedFrame_InvalidJsonErrorAndTheEpisodeContinues(byte[] data, string reason)
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 3 } });

        // Invalid UTF-8 may only travel in a binary frame: a text frame must be valid UTF-8 (RFC 6455).
        await client.SendBytesAsync([.. "{\"type\":\"reset\",\"data\":"u8, .. data, .. "}"u8], WebSocketMessageType.Binary);
        var error = await client.ReceiveAsync();
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });

        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("INVALID_JSON", error["data"]!["code"]!.GetValue<string>());
        Assert.Contains(reason, error["data"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, state["data"]!["seed"]!.GetValue<int>());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task McpSocket_MalformedMessage_ParseErrorAndSocketStaysOpen(byte[] body, string reason)
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/mcp"));

        await client.SendBytesAsync(body, WebSocketMessageType.Binary);
        var error = await client.ReceiveAsync();
        var ping = await client.RequestAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 2, ["method"] = "ping" });

        Assert.Equal(-32700, error["error"]!["code"]!.GetValue<int>());
        Assert.Contains(reason, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, ping["id"]!.GetValue<int>());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    private async Task<JsonObject> ResetAsync()
    {
        using var response = await PostAsync("/reset", """{"seed":11}"""u8.ToArray());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The wrapped action for the episode, with its credential when /reset issued one.</summary>
    private static byte[] StepBody(JsonObject reset, string action)
    {
        var token = reset["episode_token"] is { } t ? $",\"episode_token\":{t.ToJsonString()}" : "";
        return Encoding.UTF8.GetBytes($"{{\"action\":{action},\"episode_id\":{reset["episode_id"]!.ToJsonString()}{token}}}");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return await _client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}

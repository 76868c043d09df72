using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary><c>POST /mcp</c> and <c>WS /mcp</c>: JSON-RPC 2.0 as OpenEnv and standard MCP clients speak it.</summary>
public sealed class McpProtocolTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task Post_EmptyObject_200InvalidRequest()
    {
        var (status, reply) = await PostAsync("{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2.0", reply["jsonrpc"]!.GetValue<string>());
        Assert.Equal(-32600, reply["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{oops", -32700)]
    [InlineData("""{"jsonrpc":"2.0","method":"teleport","id":1}""", -32601)]
    [InlineData("""{"jsonrpc":"1.0","method":"tools/list","id":1}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{}},"id":1}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"calculator","arguments":{"expression":"1"}},"id":1}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","method":"openenv/session/close","params":{"session_id":"nope"},"id":1}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","method":"openenv/session/create","params":{"tier":"mythic"},"id":1}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","method":"tools/list","params":[1],"id":1}""", -32602)]
    public async Task Post_BadRequests_200WithTheRightErrorCode(string body, int code)
    {
        var (status, reply) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(code, reply["error"]!["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(reply["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Initialize_StandardClient_CapabilitiesAndSessionHeaderThatToolsCallUses()
    {
        using var initialize = await _client.PostAsync(new Uri("/mcp", UriKind.Relative), Json(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"""));
        var reply = (await initialize.Content.ReadFromJsonAsync<JsonObject>())!;
        var sessionId = initialize.Headers.GetValues("Mcp-Session-Id").Single();

        using var notification = await _client.PostAsync(new Uri("/mcp", UriKind.Relative), Json("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""));
        using var callRequest = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = Json("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"calculator","arguments":{"expression":"6*7"}}}"""),
        };
        callRequest.Headers.Add("Mcp-Session-Id", sessionId);
        using var call = await _client.SendAsync(callRequest);
        var result = (await call.Content.ReadFromJsonAsync<JsonObject>())!["result"]!;

        Assert.Equal("2025-03-26", reply["result"]!["protocolVersion"]!.GetValue<string>());
        Assert.NotNull(reply["result"]!["capabilities"]!["tools"]);
        Assert.Equal("chaoslab", reply["result"]!["serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, notification.StatusCode);
        // The session's episode started on a drawn seed, so its first call may meet a fault: the
        // header worked if the call was a step of that episode, whatever the calculator answered.
        Assert.Equal("text", result["content"]![0]!["type"]!.GetValue<string>());
        var observation = result["structuredContent"]!["observation"]!;
        Assert.Equal(("calculator", 1), (observation["tool_name"]!.GetValue<string>(), observation["step"]!.GetValue<int>()));
        Assert.Equal(observation["status"]!.GetValue<string>() == "error", result["isError"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ToolsList_NoSession_AllThirtyToolsWithInputSchemas()
    {
        var (_, reply) = await PostAsync("""{"jsonrpc":"2.0","method":"tools/list","id":"a"}""");
        var tools = reply["result"]!["tools"]!.AsArray();

        Assert.Equal("a", reply["id"]!.GetValue<string>());
        Assert.Equal(30, tools.Count);
        Assert.All(tools, tool =>
        {
            Assert.False(string.IsNullOrWhiteSpace(tool!["description"]!.GetValue<string>()));
            Assert.Equal("object", tool["inputSchema"]!["type"]!.GetValue<string>());
        });
        Assert.Contains("submit_answer", tools.Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SessionCreateCallClose_OpenEnvExtension_WholeLifecycle()
    {
        var (_, created) = await PostAsync("""{"jsonrpc":"2.0","method":"openenv/session/create","params":{"seed":5,"task_id":"task1"},"id":1}""");
        var sessionId = created["result"]!["session_id"]!.GetValue<string>();

        var (_, called) = await PostAsync($$$"""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"calculator","arguments":{"expression":"2+2"},"session_id":"{{{sessionId}}}"},"id":2}""");
        var (_, badArguments) = await PostAsync($$$"""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"calculator","arguments":{"nope":1},"session_id":"{{{sessionId}}}"},"id":3}""");
        var (_, closed) = await PostAsync($$$"""{"jsonrpc":"2.0","method":"openenv/session/close","params":{"session_id":"{{{sessionId}}}"},"id":4}""");
        var (_, afterClose) = await PostAsync($$$"""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"calculator","arguments":{"expression":"1"},"session_id":"{{{sessionId}}}"},"id":5}""");

        Assert.NotNull(created["result"]!["observation"]!["question"]);
        Assert.Contains("4", called["result"]!["content"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(badArguments["result"]!["isError"]!.GetValue<bool>());
        Assert.Equal(sessionId, closed["result"]!["session_id"]!.GetValue<string>());
        Assert.True(closed["result"]!["closed"]!.GetValue<bool>());
        Assert.Equal(-32602, afterClose["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task WebSocketMcp_Connection_IsASessionForToolsCall()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/mcp"));

        var init = await client.RequestAsync(JsonNode.Parse("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}""")!);
        var call = await client.RequestAsync(JsonNode.Parse("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"calculator","arguments":{"expression":"3*3"}}}""")!);
        var parseError = await client.RequestAsync(JsonValue.Create("not an object")!);

        Assert.Equal("2025-06-18", init["result"]!["protocolVersion"]!.GetValue<string>());
        // A step of the connection's episode (its drawn seed may fault the call, so not its value).
        var observation = call["result"]!["structuredContent"]!["observation"]!;
        Assert.Equal(("calculator", 1), (observation["tool_name"]!.GetValue<string>(), observation["step"]!.GetValue<int>()));
        Assert.Equal(-32600, parseError["error"]!["code"]!.GetValue<int>());
    }

    /// <summary>Every MCP episode ends through the submit_answer tool; its answer used to be recorded as null.</summary>
    [Fact]
    public async Task ToolsCall_SubmitAnswerTool_RecordsTheAnswerAndGrade()
    {
        var (_, created) = await PostAsync("""{"jsonrpc":"2.0","method":"openenv/session/create","params":{"scenario_id":"W01","seed":4,"agent":"mcp-answer"},"id":1}""");
        var sessionId = created["result"]!["session_id"]!.GetValue<string>();
        var episodeId = created["result"]!["episode_id"]!.GetValue<string>();

        var (_, submitted) = await PostAsync($$$"""{"jsonrpc":"2.0","method":"tools/call","params":{"session_id":"{{{sessionId}}}","name":"submit_answer","arguments":{"answer":"About 4.2 million people.","reasoning":"guess"}},"id":2}""");
        var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;

        Assert.True(submitted["result"]!["structuredContent"]!["done"]!.GetValue<bool>());
        Assert.Equal("About 4.2 million people.", stored["episode"]!["submission"]!.GetValue<string>());
        Assert.NotNull(stored["grade"]);
        Assert.Equal("About 4.2 million people.", stored["steps"]!.AsArray()[^1]!["delivered_result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Initialize_HttpClient_InstructionsCarryTheQuestionAndClientNameLabelsTheEpisode()
    {
        var (sessionId, instructions) = await InitializeAsync("acme-agent");
        var (episodeId, question) = ParseInstructions(instructions);

        await SubmitAsync(sessionId);
        var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;

        Assert.Equal("acme-agent", stored["episode"]!["agent"]!.GetValue<string>());
        Assert.Equal(stored["episode"]!["prompt"]!.GetValue<string>(), question);
        Assert.Contains("submit_answer", instructions, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("human")]
    [InlineData("naive")]
    [InlineData(TestAgents.Sealed)]
    public async Task Initialize_ClientNameReservedOrRegistered_EpisodeIsAnonymous(string clientName)
    {
        var (sessionId, instructions) = await InitializeAsync(clientName);
        var (episodeId, _) = ParseInstructions(instructions);

        await SubmitAsync(sessionId);
        var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;

        Assert.Equal("anonymous", stored["episode"]!["agent"]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolsCall_AfterSubmitAnswer_ErrorSayingTheEpisodeIsOverAndNoNewEpisode()
    {
        var (sessionId, instructions) = await InitializeAsync("after-the-end");
        var (episodeId, _) = ParseInstructions(instructions);
        await SubmitAsync(sessionId);

        var after = await CallAsync(sessionId, """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"calculator","arguments":{"expression":"1+1"}}}""");
        var page = (await _client.GetFromJsonAsync<JsonObject>("/api/episodes?agent=after-the-end"))!;

        Assert.Equal(-32600, after["error"]!["code"]!.GetValue<int>());
        Assert.Contains($"Episode {episodeId} is over", after["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("openenv/session/create", after["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, page["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task WebSocketMcp_Initialize_InstructionsCarryTheQuestion()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/mcp"));

        var init = await client.RequestAsync(JsonNode.Parse("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","clientInfo":{"name":"ws-client","version":"1"}}}""")!);
        var state = await client.RequestAsync(JsonNode.Parse("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"calculator","arguments":{"expression":"3*3"}}}""")!);

        var (episodeId, question) = ParseInstructions(init["result"]!["instructions"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(question));
        // The call is step 1 of the episode initialize started, not of another one.
        Assert.Equal(episodeId, state["result"]!["structuredContent"]!["episode_id"]!.GetValue<string>());
        Assert.Equal(1, state["result"]!["structuredContent"]!["observation"]!["step"]!.GetValue<int>());
    }

    private async Task<(string SessionId, string Instructions)> InitializeAsync(string clientName)
    {
        var initialize = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "initialize",
            ["params"] = new JsonObject
            {
                ["protocolVersion"] = "2025-06-18",
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = clientName, ["version"] = "1" },
            },
        };
        using var response = await _client.PostAsync(new Uri("/mcp", UriKind.Relative), Json(initialize.ToJsonString()));
        var reply = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (response.Headers.GetValues("Mcp-Session-Id").Single(), reply["result"]!["instructions"]!.GetValue<string>());
    }

    private async Task SubmitAsync(string sessionId)
    {
        var submitted = await CallAsync(sessionId, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"submit_answer","arguments":{"answer":"42"}}}""");
        Assert.True(submitted["result"]!["structuredContent"]!["done"]!.GetValue<bool>());
    }

    private async Task<JsonObject> CallAsync(string sessionId, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = Json(body) };
        request.Headers.Add("Mcp-Session-Id", sessionId);
        using var response = await _client.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static (string EpisodeId, string Question) ParseInstructions(string instructions)
    {
        var match = Regex.Match(instructions, @"^Question \(episode (?<id>[0-9a-f]+)\): (?<question>[^\n]+)\n");
        Assert.True(match.Success, "The instructions do not start with the question: " + instructions);
        return (match.Groups["id"].Value, match.Groups["question"].Value);
    }

    private async Task<(HttpStatusCode Status, JsonObject Reply)> PostAsync(string body)
    {
        using var response = await _client.PostAsync(new Uri("/mcp", UriKind.Relative), Json(body));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

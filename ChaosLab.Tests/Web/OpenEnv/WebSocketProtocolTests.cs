using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>OpenEnv's <c>/ws</c> channel over a real socket: frames, errors, and that no bad frame ends a session.</summary>
public sealed class WebSocketProtocolTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private static readonly JsonObject CalculatorStep = Step("calculator", new JsonObject { ["expression"] = "6*7" });

    [Fact]
    public async Task ResetStepStateClose_FullEpisodeFlow_ExactFrameShapes()
    {
        await using var client = await ConnectAsync();

        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 7, ["episode_id"] = "ws-flow-1" } });
        var step = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });
        await client.SendAsync(new JsonObject { ["type"] = "close" });
        var closeStatus = await client.ReceiveCloseAsync();

        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        Assert.IsType<JsonObject>(reset["data"]!["observation"]);
        Assert.Equal(0.0, reset["data"]!["reward"]!.GetValue<double>());
        Assert.False(reset["data"]!["done"]!.GetValue<bool>());
        Assert.Equal("observation", step["type"]!.GetValue<string>());
        Assert.Equal("calculator", step["data"]!["observation"]!["tool_name"]!.GetValue<string>());
        Assert.Equal(1, step["data"]!["observation"]!["step"]!.GetValue<int>());
        Assert.Equal("state", state["type"]!.GetValue<string>());
        Assert.Equal("ws-flow-1", state["data"]!["episode_id"]!.GetValue<string>());
        Assert.Equal(1, state["data"]!["step_count"]!.GetValue<int>());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closeStatus);
    }

    [Theory]
    [InlineData("{not json", "INVALID_JSON")]
    [InlineData("""{"type": "dance"}""", "UNKNOWN_TYPE")]
    [InlineData("""{"data": {}}""", "VALIDATION_ERROR")]
    [InlineData("[1,2,3]", "VALIDATION_ERROR")]
    [InlineData("""{"type": "step"}""", "VALIDATION_ERROR")]
    [InlineData("""{"type": "step", "data": {"type": "call_tool"}}""", "VALIDATION_ERROR")]
    [InlineData("""{"type": "step", "data": {"type": "call_tool", "tool_name": "calculator", "arguments": "2+2"}}""", "VALIDATION_ERROR")]
    [InlineData("""{"type": "step", "data": {"type": "teleport"}}""", "VALIDATION_ERROR")]
    [InlineData("""{"type": "reset", "data": {"task_id": "task9"}}""", "VALIDATION_ERROR")]
    [InlineData("""{"type": "reset", "data": [1]}""", "VALIDATION_ERROR")]
    public async Task BadFrame_AfterReset_ErrorFrameAndSessionSurvives(string frame, string code)
    {
        await using var client = await ConnectAsync();
        await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 1 } });

        await client.SendRawAsync(frame);
        var error = await client.ReceiveAsync();
        var next = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });

        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal(code, error["data"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["data"]!["message"]!.GetValue<string>()));
        if (code == "VALIDATION_ERROR")
        {
            Assert.IsType<JsonArray>(error["data"]!["errors"]);
        }

        Assert.Equal("observation", next["type"]!.GetValue<string>());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Step_BeforeReset_ExecutionErrorThenResetWorks()
    {
        await using var client = await ConnectAsync();

        var error = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });
        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset" });

        Assert.Equal("EXECUTION_ERROR", error["data"]!["code"]!.GetValue<string>());
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task ManyFrames_InOneBurst_ExactlyOneReplyEachInOrder()
    {
        await using var client = await ConnectAsync();
        await client.SendAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 5 } });
        for (var i = 1; i <= 4; i++)
        {
            await client.SendAsync(new JsonObject { ["type"] = "step", ["data"] = Step("calculator", new JsonObject { ["expression"] = $"{i}*1000" }) });
            await client.SendRawAsync("garbage");
        }

        await client.SendAsync(new JsonObject { ["type"] = "state" });

        Assert.Equal("observation", (await client.ReceiveAsync())["type"]!.GetValue<string>());
        for (var i = 1; i <= 4; i++)
        {
            var step = await client.ReceiveAsync();
            Assert.Equal(i, step["data"]!["observation"]!["step"]!.GetValue<int>());
            Assert.Equal("INVALID_JSON", (await client.ReceiveAsync())["data"]!["code"]!.GetValue<string>());
        }

        Assert.Equal(4, (await client.ReceiveAsync())["data"]!["step_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task McpActions_InsideSteps_ListAndCallTools()
    {
        await using var client = await ConnectAsync();
        await client.RequestAsync(new JsonObject { ["type"] = "reset" });

        var listed = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "list_tools" } });
        var called = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });

        Assert.Equal("observation", listed["type"]!.GetValue<string>());
        Assert.Contains("fetch_url", listed["data"]!["observation"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("calculator", called["data"]!["observation"]!["tool_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task McpFrame_ToolsList_McpReplyWithAllTools()
    {
        await using var client = await ConnectAsync();

        var reply = await client.RequestAsync(JsonNode.Parse("""{"type":"mcp","data":{"jsonrpc":"2.0","method":"tools/list","id":9}}""")!);

        Assert.Equal("mcp", reply["type"]!.GetValue<string>());
        Assert.Equal("2.0", reply["data"]!["jsonrpc"]!.GetValue<string>());
        Assert.Equal(9, reply["data"]!["id"]!.GetValue<int>());
        Assert.Equal(30, reply["data"]!["result"]!["tools"]!.AsArray().Count);
    }

    [Fact]
    public async Task SubmitAnswer_EndsEpisode_DoneWithFinalRewardAndFurtherStepsRefused()
    {
        await using var client = await ConnectAsync();
        await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 11 } });

        var final = await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "I do not know." },
        });
        var after = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });

        Assert.True(final["data"]!["done"]!.GetValue<bool>());
        Assert.InRange(final["data"]!["reward"]!.GetValue<double>(), 0.0, 1.0);
        Assert.Equal("EXECUTION_ERROR", after["data"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task OversizedFrame_ErrorFrameAndSessionSurvives()
    {
        await using var client = await ConnectAsync();
        await client.RequestAsync(new JsonObject { ["type"] = "reset" });

        await client.SendRawAsync("{\"type\":\"step\",\"data\":{\"padding\":\"" + new string('x', 5 * 1024 * 1024) + "\"}}");
        var error = await client.ReceiveAsync();
        var next = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });

        Assert.Equal("VALIDATION_ERROR", error["data"]!["code"]!.GetValue<string>());
        Assert.Contains("limit", error["data"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("observation", next["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task EmptyFrame_InvalidJsonErrorAndSessionSurvives()
    {
        await using var client = await ConnectAsync();
        await client.RequestAsync(new JsonObject { ["type"] = "reset" });

        await client.SendRawAsync("");
        var error = await client.ReceiveAsync();
        var next = await client.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() });

        Assert.Equal("INVALID_JSON", error["data"]!["code"]!.GetValue<string>());
        Assert.Equal("observation", next["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task FrameLargerThanTheFirstReadBuffer_ReadWhole_SameReplyAsTheCompactFrame()
    {
        await using var compact = await ConnectAsync();
        await using var padded = await ConnectAsync();
        await compact.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 5 } });
        await padded.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 5 } });
        var step = new JsonObject { ["type"] = "step", ["data"] = CalculatorStep.DeepClone() }.ToJsonString();

        // 40 KB of insignificant whitespace: the frame spans many reads and buffer growths.
        await padded.SendRawAsync(step.Insert(1, new string(' ', 40 * 1024)));
        var fromPadded = await padded.ReceiveAsync();
        var fromCompact = await compact.RequestAsync(JsonNode.Parse(step)!);

        Assert.Equal("observation", fromPadded["type"]!.GetValue<string>());
        Assert.Equal(fromCompact["data"]!["observation"]!.ToJsonString(), fromPadded["data"]!["observation"]!.ToJsonString());
    }

    [Fact]
    public async Task SameSeedAndActions_TwoConnections_ByteIdenticalFrames()
    {
        var first = await PlayScriptAsync();
        var second = await PlayScriptAsync();

        Assert.Equal(first, second);
    }

    private async Task<IReadOnlyList<string>> PlayScriptAsync()
    {
        await using var client = await ConnectAsync();
        var frames = new List<string>();
        string[] script =
        [
            """{"type":"reset","data":{"seed":99,"task_id":"task3","tier":"expert"}}""",
            """{"type":"step","data":{"type":"call_tool","tool_name":"web_search","arguments":{"query":"revenue"}}}""",
            """{"type":"step","data":{"type":"call_tool","tool_name":"database_query","arguments":{"sql":"SELECT name FROM sqlite_master"}}}""",
            """{"type":"step","data":{"type":"call_tool","tool_name":"document_search","arguments":{"query":"filing"}}}""",
            """{"type":"step","data":{"type":"submit_answer","answer":"accurate"}}""",
        ];
        foreach (var frame in script)
        {
            await client.SendRawAsync(frame);
            var reply = JsonNode.Parse((await client.ReceiveRawAsync())!)!;
            // Episode ids differ per connection by design; observation and reward must not.
            frames.Add(reply["data"]!["observation"]!.ToJsonString() + "|" + reply["data"]!["reward"]!.ToJsonString());
        }

        return frames;
    }

    private Task<WireClient> ConnectAsync() => WireClient.ConnectAsync(app.WebSocketAddress("/ws"));

    private static JsonObject Step(string tool, JsonObject arguments) => new()
    {
        ["type"] = "call_tool",
        ["tool_name"] = tool,
        ["arguments"] = arguments,
    };
}

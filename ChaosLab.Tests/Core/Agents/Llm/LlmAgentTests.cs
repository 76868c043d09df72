using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using Microsoft.Extensions.AI;

namespace ChaosLab.Tests.Core.Agents.Llm;

/// <summary>The LLM agent playing real tools-suite episodes against the fake OpenAI server, over real HTTP.</summary>
public sealed class LlmAgentTests : IAsyncLifetime
{
    private const string Calculation = """{"expression":"6*7"}""";
    private const string Answer = """{"answer":"42"}""";
    private const string Key = "sk-agent-SECRET-9191";
    private const string KeyVariable = "CHAOSLAB_AGENT_KEY";

    private readonly ToolsSuite _suite = new();
    private FakeOpenAiServer _server = null!;
    private IChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        var profile = AgentProfiles.Parse(_server.ProfileYaml(keyVariable: KeyVariable)).Get("fake");
        _client = ChatClientFactory.Create(profile, new InstantDelays(), name => name == KeyVariable ? Key : null);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PlayAsync_ModelCallsToolThenSubmits_EpisodeEndsAndTraceHoldsRepliesConversationAndActions()
    {
        _server.Policy = request => request.ToolResultCount == 0
            ? FakeReply.ToolCall(ToolNames.Calculator, Calculation)
            : FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer);

        var (trace, port) = await PlayAsync(HarnessOptions.None);

        Assert.True(trace.Finished);
        Assert.Null(trace.Error);
        Assert.True(port.LastResult?.Done);
        Assert.Equal("42", port.LastResult?.Record.Submission);
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "tool"], trace.Conversation.Select(m => m.Role));
        Assert.Equal([1, 2], trace.Actions.Select(a => a.Step));
        Assert.Equal("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"6*7"}}""", JsonNode.Parse(trace.Actions[0].Action)!.ToJsonString(Relaxed));
        Assert.Equal(2, trace.ModelCalls.Count);
        Assert.All(trace.ModelCalls, c => Assert.Equal(1, c.Attempts));
        Assert.Equal([1, 2], trace.ModelCalls.Select(c => c.Turn));
        Assert.Equal([1, 2], trace.ModelCalls.Select(c => c.BeforeStep));
        Assert.Equal("chatcmpl-fake-0", JsonNode.Parse(trace.ModelCalls[0].Raw)!["id"]!.GetValue<string>());
        Assert.NotNull(trace.ModelCalls[0].InputTokens);
        Assert.NotNull(trace.ModelCalls[0].OutputTokens);
        // The calculator's result went back as the result of its call, and the conversation says so.
        Assert.Equal("call_0_0", trace.Conversation[3].ToolCallId);
        Assert.Contains("\"result\":", trace.Conversation[3].Text, StringComparison.Ordinal);
        Assert.Equal(trace.Conversation[3].Text, _server.Requests[1].LastToolResult);
        Assert.Equal("""[{"id":"call_0_0","name":"calculator","arguments":"{\"expression\":\"6*7\"}"}]""", trace.Conversation[2].ToolCalls);
        // The model was offered the suite's tools and the harness's system prompt.
        Assert.Equal([.. AgentAction.ToolsOf(_suite.Tools).Select(t => t.Name)], _server.Requests[0].ToolNames);
        Assert.Equal("\"auto\"", _server.Requests[0].ToolChoice);
        Assert.Equal(trace.Conversation[0].Text, _server.Requests[0].Messages[0]!["content"]!.GetValue<string>());
        Assert.Contains(port.First.Observation["question"]!.GetValue<string>(), trace.Conversation[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayAsync_MalformedArgumentsLayersOff_EnvironmentGetsEmptyObjectAndRawTextIsKept()
    {
        const string Malformed = """{"expression": 6*7""";
        _server.Enqueue(FakeReply.ToolCall(ToolNames.Calculator, Malformed), FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer));

        var (trace, _) = await PlayAsync(HarnessOptions.None);

        Assert.Equal("""{"type":"call_tool","tool_name":"calculator","arguments":{}}""", trace.Actions[0].Action);
        Assert.Equal(1, trace.Actions[0].Step);
        Assert.Equal(Malformed, ArgumentsOf(JsonNode.Parse(trace.ModelCalls[0].Raw)!["choices"]![0]!["message"]!));
        Assert.Equal(Malformed, JsonNode.Parse(trace.Conversation[2].ToolCalls!)![0]!["arguments"]!.GetValue<string>());
        // The next request repeats the reply as the model wrote it.
        Assert.Equal(Malformed, ArgumentsOf(_server.Requests[1].Messages[2]!));
    }

    [Fact]
    public async Task PlayAsync_ProseWrappedJsonLayersOff_NoActionNoteAndNoStepSpent()
    {
        _server.Enqueue(
            FakeReply.Text("""I will compute it: {"tool": "calculator", "arguments": {"expression": "6*7"}}"""),
            FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer));

        var (trace, _) = await PlayAsync(HarnessOptions.None);

        Assert.True(trace.Finished);
        var submission = Assert.Single(trace.Actions);
        Assert.Equal(1, submission.Step);
        Assert.Equal(["system", "user", "assistant", "user", "assistant", "tool"], trace.Conversation.Select(m => m.Role));
        Assert.Equal(trace.Conversation[3].Text, _server.Requests[1].LastMessageText);
        Assert.Equal(1, trace.ModelCalls[1].BeforeStep);
    }

    [Theory]
    [InlineData("""I will compute it: {"tool": "calculator", "arguments": {"expression": "6*7"}}""", null)]
    [InlineData(null, """{"Expression": "6*7"}""")]
    [InlineData(null, "\"{\\\"expression\\\": \\\"6*7\\\"}\"")]
    public async Task PlayAsync_RecoverableReplyAllLayers_AgentDoesWhatTheHarnessRealizes(string? text, string? calculatorArguments)
    {
        var first = calculatorArguments is null ? FakeReply.Text(text!) : FakeReply.ToolCall(ToolNames.Calculator, calculatorArguments);
        _server.Enqueue(first, FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer));
        var session = _suite.CreateSession();
        var port = SessionPort.Open(session, Reset());
        var brief = SessionPort.Brief(_suite, session);
        var expected = new EpisodeHarness(HarnessOptions.All, brief, ObservedTools.From(port.First.Observation))
            .Realize(new ModelReply(text, calculatorArguments is null ? [] : [new ModelToolCall("call_0_0", ToolNames.Calculator, calculatorArguments)]), 0);

        var trace = await new LlmAgent("fake", _client, HarnessOptions.All, TimeProvider.System).PlayAsync(port, brief, CancellationToken.None);

        if (expected is Realization.Execute execute)
        {
            Assert.Equal(execute.Action.ToJson().ToJsonString(), trace.Actions[0].Action);
            Assert.Equal(1, trace.Actions[0].Step);
        }
        else
        {
            Assert.Equal(ToolNames.SubmitAnswer, JsonNode.Parse(trace.Actions[0].Action)!["tool_name"]!.GetValue<string>());
            Assert.Equal(1, trace.Actions[0].Step);
        }
    }

    [Fact]
    public async Task PlayAsync_HarnessBlocksCall_MessageAnswersTheCallAndNoStepSpent()
    {
        const string Unknown = "teleport_to_answer";
        _server.Enqueue(FakeReply.ToolCall(Unknown, "{}"), FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer));
        var h2Only = HarnessOptions.None with { Enabled = true, H2 = true, H3 = false, H4 = false, H5 = false };
        var session = _suite.CreateSession();
        var port = SessionPort.Open(session, Reset());
        var brief = SessionPort.Brief(_suite, session);
        var block = Assert.IsType<Realization.Block>(new EpisodeHarness(h2Only, brief, ObservedTools.From(port.First.Observation))
            .Realize(new ModelReply(null, [new ModelToolCall("call_0_0", Unknown, "{}")]), 0));

        var trace = await new LlmAgent("fake", _client, h2Only, TimeProvider.System).PlayAsync(port, brief, CancellationToken.None);

        Assert.True(trace.Finished);
        Assert.Equal(1, Assert.Single(trace.Actions).Step);
        Assert.Equal(new TracedMessage("tool", block.MessageToModel, ToolCallId: "call_0_0"), trace.Conversation[3]);
        Assert.Equal(block.MessageToModel, _server.Requests[1].LastToolResult);
        Assert.Contains(trace.Interventions, i => i.Layer == "h2");
    }

    [Fact]
    public async Task PlayAsync_SeveralToolCalls_FirstRunsOthersAnsweredNotRun()
    {
        _server.Enqueue(
            FakeReply.ToolCalls(new(ToolNames.Calculator, Calculation), new(ToolNames.WebSearch, """{"query":"tyonia"}""")),
            FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer));

        var (trace, _) = await PlayAsync(HarnessOptions.None);

        Assert.Equal(2, trace.Actions.Count);
        Assert.Equal(ToolNames.Calculator, JsonNode.Parse(trace.Actions[0].Action)!["tool_name"]!.GetValue<string>());
        Assert.Equal(("tool", "call_0_0"), (trace.Conversation[3].Role, trace.Conversation[3].ToolCallId));
        Assert.Equal(new TracedMessage("tool", LlmAgent.NotRunMessage, ToolCallId: "call_0_1"), trace.Conversation[4]);
        var answered = _server.Requests[1].Messages.Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(["call_0_0", "call_0_1"], answered);
    }

    [Fact]
    public async Task PlayAsync_ModelNeverActs_StopsAfterThreeRepliesWithError()
    {
        _server.Policy = _ => FakeReply.Text("Let me think about it.");

        var (trace, port) = await PlayAsync(HarnessOptions.None);

        Assert.False(trace.Finished);
        Assert.Equal($"the model replied {LlmAgent.MaxConsecutiveNoActions} times in a row without an action", trace.Error);
        Assert.Equal(LlmAgent.MaxConsecutiveNoActions, trace.ModelCalls.Count);
        Assert.Empty(trace.Actions);
        Assert.Null(port.LastResult);
    }

    [Fact]
    public async Task PlayAsync_EveryActionRefused_StopsAtTurnLimit()
    {
        // A tool name longer than the envelope allows is refused without spending a step.
        _server.Policy = _ => FakeReply.ToolCall(new string('x', AgentAction.MaxToolNameLength + 1), "{}");

        var (trace, port) = await PlayAsync(HarnessOptions.None);

        var limit = LlmAgent.MaxTurns(SessionPort.Brief(_suite, port.Session));
        Assert.False(trace.Finished);
        Assert.Equal($"stopped after {limit} model turns without the episode ending", trace.Error);
        Assert.Equal(limit, trace.ModelCalls.Count);
        Assert.All(trace.Actions, a => Assert.Equal((0, true), (a.Step, a.Refusal is not null)));
        Assert.StartsWith("The environment refused this action without spending a step: ", trace.Conversation[3].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayAsync_EndpointRefusesMidEpisode_ThrowsWithTheTraceSoFar()
    {
        _server.Enqueue(FakeReply.ToolCall(ToolNames.Calculator, Calculation), FakeReply.Error(401, $"Incorrect API key provided: {Key}", "invalid_api_key"));

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => PlayAsync(HarnessOptions.None));

        var trace = Assert.IsType<AgentEpisodeTrace>(error.Trace);
        Assert.Equal(error.Message, trace.Error);
        Assert.Single(trace.Actions);
        Assert.Equal(2, trace.ModelCalls.Count);
        Assert.StartsWith("error: HTTP 401 (invalid_api_key)", trace.ModelCalls[1].Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayAsync_KeyFromEnvironment_SentButNeverInTheTrace()
    {
        _server.Policy = request => request.ToolResultCount == 0
            ? FakeReply.ToolCall(ToolNames.Calculator, Calculation)
            : FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer);

        var (trace, _) = await PlayAsync(HarnessOptions.None);

        Assert.All(_server.Requests, r => Assert.Equal("Bearer " + Key, r.Header("Authorization")));
        Assert.All(_server.Requests, r => Assert.DoesNotContain(Key, r.BodyText, StringComparison.Ordinal));
        var recorded = JsonSerializer.Serialize(trace);
        Assert.Contains("chatcmpl-fake-1", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyVariable, recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayAsync_SameSeedSameModel_SameTrace()
    {
        var first = await PlayOnFreshServerAsync();
        var second = await PlayOnFreshServerAsync();

        Assert.Equal(first.Conversation, second.Conversation);
        Assert.Equal(first.Actions, second.Actions);
        Assert.Equal(
            first.ModelCalls.Select(c => (c.Turn, c.BeforeStep, c.Raw, c.Attempts, c.InputTokens, c.OutputTokens)),
            second.ModelCalls.Select(c => (c.Turn, c.BeforeStep, c.Raw, c.Attempts, c.InputTokens, c.OutputTokens)));
        Assert.Equal(3, first.Actions.Count);
    }

    [Fact]
    public async Task PlayAsync_H4BudgetSpent_NextRequestOffersOnlySubmitAndNoteJoinsToolResult()
    {
        // A model that computes something new each turn until it is offered nothing but the submit tool.
        _server.Policy = request => request.ToolNames.Count == 1
            ? FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer)
            : FakeReply.ToolCall(ToolNames.Calculator, $$"""{"expression":"{{request.ToolResultCount + 1}}+1"}""");
        var h4Only = HarnessOptions.None with { Enabled = true, H2 = false, H3 = false, H4 = true, H5 = false };

        var (trace, port) = await PlayAsync(h4Only);

        var maxSteps = SessionPort.Brief(_suite, port.Session).MaxSteps;
        var forced = _server.Requests.Where(r => r.ToolNames.Count == 1).ToList();
        Assert.True(trace.Finished);
        Assert.Equal(maxSteps, trace.Actions.Count);
        Assert.Equal(ToolNames.SubmitAnswer, JsonNode.Parse(trace.Actions[^1].Action)!["tool_name"]!.GetValue<string>());
        Assert.Equal([ToolNames.SubmitAnswer], Assert.Single(forced).ToolNames);
        Assert.Equal("\"required\"", forced[0].ToolChoice);
        Assert.Equal(maxSteps - 1, forced[0].ToolResultCount);
        // The harness's note reached the model inside the last tool result, and is recorded as an intervention.
        Assert.Contains("Harness note: 1 step left", forced[0].LastToolResult, StringComparison.Ordinal);
        Assert.Contains(trace.Interventions, i => i.Layer == "h4" && i.Step == maxSteps);
    }

    [Fact]
    public async Task TurnOptions_ForceSubmit_OffersOnlySubmitToolsWithACallRequired()
    {
        var tools = LlmAgent.Declarations(AgentAction.ToolsOf(_suite.Tools));
        _server.Enqueue(FakeReply.Text("free"), FakeReply.Text("forced"));

        await _client.GetResponseAsync("go", LlmAgent.TurnOptions(tools, forceSubmit: false));
        await _client.GetResponseAsync("go", LlmAgent.TurnOptions(tools, forceSubmit: true));

        Assert.Equal(tools.Count, _server.Requests[0].ToolNames.Count);
        Assert.Equal("\"auto\"", _server.Requests[0].ToolChoice);
        Assert.Equal([ToolNames.SubmitAnswer], _server.Requests[1].ToolNames);
        Assert.Equal("\"required\"", _server.Requests[1].ToolChoice);
    }

    [Theory]
    [InlineData("submit_answer", true)]
    [InlineData("submit_code", true)]
    [InlineData("calculator", false)]
    [InlineData("read_pipeline", false)]
    public void IsSubmitTool_ByName(string name, bool expected) => Assert.Equal(expected, LlmAgent.IsSubmitTool(name));

    [Fact]
    public void ObservationText_LongObservation_CutWithAnHonestNote()
    {
        var observation = new JsonObject { ["result"] = new string('a', 20_000), ["note"] = "ünïcode \"quoted\"" };

        var text = LlmAgent.ObservationText(observation);
        var shortText = LlmAgent.ObservationText(new JsonObject { ["note"] = "ünïcode \"quoted\"" });

        var full = observation.ToJsonString(Relaxed).Length;
        Assert.StartsWith("{\"result\":\"aaa", text, StringComparison.Ordinal);
        Assert.EndsWith($"\n[cut by the agent: the observation has {full} characters; only the first {LlmAgent.MaxObservationChars} are shown]", text, StringComparison.Ordinal);
        Assert.Equal("""{"note":"ünïcode \"quoted\""}""", shortText);
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string ArgumentsOf(JsonNode message) => message["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>();

    private static ResetOptions Reset(long seed = 1) => new() { ScenarioId = ScenarioCatalog.All[0].Id, Seed = seed };

    /// <summary>An episode against a model that searches, computes, then submits, on a server of its own (so reply ids restart).</summary>
    private async Task<AgentEpisodeTrace> PlayOnFreshServerAsync()
    {
        await using var server = await FakeOpenAiServer.StartAsync(request => request.ToolResultCount switch
        {
            0 => FakeReply.ToolCall(ToolNames.WebSearch, """{"query":"Tyonia population"}"""),
            1 => FakeReply.ToolCall(ToolNames.Calculator, Calculation),
            _ => FakeReply.ToolCall(ToolNames.SubmitAnswer, Answer),
        });
        using var client = ChatClientFactory.Create(AgentProfiles.Parse(server.ProfileYaml()).Get("fake"), new InstantDelays(), _ => null);
        var session = _suite.CreateSession();
        var port = SessionPort.Open(session, Reset(seed: 5));
        return await new LlmAgent("fake", client, HarnessOptions.None, TimeProvider.System).PlayAsync(port, SessionPort.Brief(_suite, session), CancellationToken.None);
    }

    private async Task<(AgentEpisodeTrace Trace, SessionPort Port)> PlayAsync(HarnessOptions harness)
    {
        var session = _suite.CreateSession();
        var port = SessionPort.Open(session, Reset());
        var agent = new LlmAgent("fake", _client, harness, TimeProvider.System);
        var trace = await agent.PlayAsync(port, SessionPort.Brief(_suite, session), CancellationToken.None);
        return (trace, port);
    }
}

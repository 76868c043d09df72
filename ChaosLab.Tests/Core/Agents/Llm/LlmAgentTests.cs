using System.Text.Json.Nodes;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;

namespace ChaosLab.Tests.Core.Agents.Llm;

/// <summary>The LLM agent playing real tools-suite episodes against the fake OpenAI server, over real HTTP.</summary>
public sealed class LlmAgentTests : IAsyncLifetime
{
    private const string Calculation = """{"expression":"6*7"}""";
    private const string Answer = """{"answer":"42"}""";

    private readonly ToolsSuite _suite = new();
    private FakeOpenAiServer _server = null!;
    private Microsoft.Extensions.AI.IChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _client = ChatClientFactory.Create(AgentProfiles.Parse(_server.ProfileYaml()).Get("fake"), TimeProvider.System, _ => null);
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
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "tool"], trace.Conversation.Select(m => m.Role));
        Assert.Equal([1, 2], trace.Actions.Select(a => a.Step));
        Assert.Equal(ToolNames.Calculator, JsonNode.Parse(trace.Actions[0].Action)!["tool_name"]!.GetValue<string>());
        Assert.Equal(2, trace.ModelCalls.Count);
        Assert.All(trace.ModelCalls, c => Assert.Equal(1, c.Attempts));
        Assert.Equal([1, 2], trace.ModelCalls.Select(c => c.BeforeStep));
        Assert.Contains("chatcmpl-fake-0", trace.ModelCalls[0].Raw, StringComparison.Ordinal);
        Assert.Contains("6*7", trace.ModelCalls[0].Raw, StringComparison.Ordinal);
        Assert.NotNull(trace.ModelCalls[0].InputTokens);
        // The calculator's result reached the model as the tool result of its call.
        var second = _server.Requests[1];
        Assert.Contains("42", second.LastToolResult, StringComparison.Ordinal);
        Assert.Equal("call_0_0", trace.Conversation[3].ToolCallId);
        Assert.Contains("calculator", trace.Conversation[2].ToolCalls, StringComparison.Ordinal);
        Assert.Contains(ToolNames.Calculator, _server.Requests[0].ToolNames);
        Assert.Contains(ToolNames.SubmitAnswer, _server.Requests[0].ToolNames);
    }

    private async Task<(ChaosLab.Core.Agents.AgentEpisodeTrace Trace, SessionPort Port)> PlayAsync(HarnessOptions harness, long seed = 1)
    {
        var session = _suite.CreateSession();
        var port = SessionPort.Open(session, new ResetOptions { ScenarioId = ScenarioCatalog.All[0].Id, Seed = seed });
        var agent = new LlmAgent("fake", _client, harness, TimeProvider.System);
        var trace = await agent.PlayAsync(port, SessionPort.Brief(_suite, session), CancellationToken.None);
        return (trace, port);
    }
}

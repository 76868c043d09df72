using ChaosLab.Core.Agents.Llm;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;

namespace ChaosLab.Tests.Core.Agents.Llm;

/// <summary>Each diagnosis of the profile probe, against the fake server.</summary>
public sealed class AgentProbeTests : IAsyncLifetime
{
    private const string Key = "sk-probe-SECRET-777";
    private const string KeyVariable = "CHAOSLAB_PROBE_KEY";

    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Check_ModelCallsTool_OkWithModelAndLatency()
    {
        _server.Enqueue(FakeReply.ToolCall(AgentProbe.ToolName, "{}"));

        var result = await CheckAsync(Profile());

        Assert.Equal(ProbeVerdict.Ok, result.Verdict);
        Assert.NotNull(result.LatencyMs);
        Assert.StartsWith($"OK: model {FakeOpenAiServer.DefaultModel} at {_server.ChatCompletionsUrl} called the offered tool in ", result.Message, StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        Assert.Equal([AgentProbe.ToolName], request.ToolNames);
        // The tool choice the agent's own turns use, so a server that refuses it fails here.
        Assert.Equal("\"auto\"", request.ToolChoice);
    }

    [Fact]
    public async Task Check_NothingListening_UnreachableWithUrl()
    {
        var url = ClosedPort.Url();

        var result = await CheckAsync(Profile() with { Endpoint = new Uri(url + "/"), Retries = 3 });

        Assert.Equal(ProbeVerdict.Unreachable, result.Verdict);
        Assert.StartsWith($"cannot reach {url}/chat/completions: ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoAnswerInTime_UnreachableSaysTimeout()
    {
        _server.Enqueue(FakeReply.ToolCall(AgentProbe.ToolName, "{}").After(TimeSpan.FromSeconds(20)));

        var result = await CheckAsync(Profile(timeoutSeconds: 0.5));

        Assert.Equal(ProbeVerdict.Unreachable, result.Verdict);
        Assert.Equal($"no answer from {_server.ChatCompletionsUrl} within 0.5 s (timeout_seconds)", result.Message);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Check_CredentialsRefused_NamesVariableNeverValue(int status)
    {
        _server.Enqueue(FakeReply.Error(status, $"Incorrect API key provided: {Key}", "invalid_api_key"));

        var result = await CheckAsync(Profile(KeyVariable));

        Assert.Equal(ProbeVerdict.CredentialsRefused, result.Verdict);
        Assert.Contains($"the endpoint refused the credentials (HTTP {status}): check the key in {KeyVariable}", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_VariableUnset_SaysSoWithoutSending()
    {
        var result = await AgentProbe.CheckAsync(Profile("CHAOSLAB_PROBE_UNSET"), CancellationToken.None, new InstantDelays(), _ => null);

        Assert.Equal(ProbeVerdict.MissingVariable, result.Verdict);
        Assert.StartsWith("environment variable CHAOSLAB_PROBE_UNSET is not set", result.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Check_ModelNotFound_NamesModel()
    {
        _server.Enqueue(FakeReply.ModelNotFound(FakeOpenAiServer.DefaultModel));

        var result = await CheckAsync(Profile());

        Assert.Equal(ProbeVerdict.ModelNotFound, result.Verdict);
        Assert.StartsWith($"model {FakeOpenAiServer.DefaultModel} not found at {_server.ChatCompletionsUrl} (HTTP 404)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ToolsRejected_NoToolCalling()
    {
        _server.Enqueue(FakeReply.ToolsNotSupported());

        var result = await CheckAsync(Profile());

        Assert.Equal(ProbeVerdict.NoToolCalling, result.Verdict);
        Assert.Contains("does not accept tools (HTTP 400): \"auto\" tool choice requires --enable-auto-tool-choice", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ReplyWithoutToolCall_NoToolCalling()
    {
        _server.Enqueue(FakeReply.Text("pong"));

        var result = await CheckAsync(Profile());

        Assert.Equal(ProbeVerdict.NoToolCalling, result.Verdict);
        Assert.Contains("answered without calling the offered tool although asked to", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OtherError_StatusAndEndpointMessageNoRetry()
    {
        _server.Enqueue(FakeReply.Error(503, "warming up"), FakeReply.ToolCall(AgentProbe.ToolName, "{}"));

        var result = await CheckAsync(Profile() with { Retries = 3 });

        Assert.Equal(ProbeVerdict.HttpError, result.Verdict);
        Assert.Equal(503, result.Status);
        Assert.Equal($"HTTP 503 from {_server.ChatCompletionsUrl}: warming up", result.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Check_WrongPath_HttpErrorHintsAtUrl()
    {
        var result = await CheckAsync(Profile() with { Endpoint = new Uri(_server.BaseUrl.Replace("/v1", "/nope", StringComparison.Ordinal) + "/") });

        Assert.Equal(ProbeVerdict.HttpError, result.Verdict);
        Assert.Equal(404, result.Status);
        Assert.EndsWith("(is the url the API base, usually ending in /v1?)", result.Message, StringComparison.Ordinal);
    }

    private static string? Environment(string name) => name == KeyVariable ? Key : null;

    private static Task<ProbeResult> CheckAsync(AgentProfile profile) => AgentProbe.CheckAsync(profile, CancellationToken.None, new InstantDelays(), Environment);

    private AgentProfile Profile(string? keyVariable = null, double timeoutSeconds = 10) =>
        AgentProfiles.Parse(_server.ProfileYaml(keyVariable: keyVariable, timeoutSeconds: timeoutSeconds)).Get("fake");
}

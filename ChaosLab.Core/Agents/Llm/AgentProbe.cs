using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// Checks a profile with one tiny request (the <c>agent-test</c> command): a one-line prompt
/// asking for a call to the one trivial tool offered, no retries. Says which of
/// <see cref="ProbeVerdict"/> it is, in words a person can act on; never shows a header value.
/// The tool choice is <c>auto</c>, as in the agent's own turns, not <c>required</c>: some servers
/// (vLLM without <c>--enable-auto-tool-choice</c>) accept <c>required</c> but refuse <c>auto</c>,
/// and a probe that passed there would promise a run that fails on its first request.
/// </summary>
public static class AgentProbe
{
    /// <summary>The trivial tool the probe offers.</summary>
    public const string ToolName = "ping";

    private static readonly AITool PingTool = AIFunctionFactory.CreateDeclaration(
        ToolName,
        "Answers pong. Call it to show that tool calling works.",
        JsonDocument.Parse("""{"type":"object","properties":{},"additionalProperties":false}""").RootElement.Clone());

    /// <param name="environment">Where header variables are read from (the process environment by default).</param>
    public static async Task<ProbeResult> CheckAsync(AgentProfile profile, CancellationToken cancellationToken, TimeProvider? time = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        time ??= TimeProvider.System;
        environment ??= System.Environment.GetEnvironmentVariable;
        var url = profile.ChatCompletionsUrl;
        if (profile.MissingVariables(environment) is [var missing, ..])
        {
            return new(ProbeVerdict.MissingVariable, $"environment variable {missing} is not set (the profile's headers use it); set it and try again", profile.Model, url, null);
        }

        using var client = ChatClientFactory.Create(profile with { Retries = 0 }, time, environment);
        var started = time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.User, $"Call the {ToolName} tool now. Reply with the tool call only.")],
                new ChatOptions { Tools = [PingTool], ToolMode = ChatToolMode.Auto },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ModelEndpointException e)
        {
            return Diagnose(profile, e.Failure, url);
        }

        var latency = time.GetElapsedTime(started).TotalMilliseconds;
        var reply = ModelReplies.Read(response);
        return reply.ToolCalls.Count == 0
            ? new(ProbeVerdict.NoToolCalling, $"model {profile.Model} answered without calling the offered tool although asked to, so it cannot act in ChaosLab (does the server parse tool calls for it?)", profile.Model, url, latency)
            : new(ProbeVerdict.Ok, $"OK: model {profile.Model} at {url} called the offered tool in {latency:0} ms", profile.Model, url, latency);
    }

    private static ProbeResult Diagnose(AgentProfile profile, ModelEndpointFailure failure, string url)
    {
        ProbeResult Result(ProbeVerdict verdict, string message) => new(verdict, message, profile.Model, url, null, failure.Status);

        return failure switch
        {
            { Kind: ModelEndpointFailureKind.Unreachable } => Result(ProbeVerdict.Unreachable, $"cannot reach {url}: {failure.Message}"),
            { Kind: ModelEndpointFailureKind.Timeout } => Result(ProbeVerdict.Unreachable, $"no answer from {url} within {profile.Timeout.TotalSeconds:0.#} s (timeout_seconds)"),
            { Status: 401 or 403 } => Result(ProbeVerdict.CredentialsRefused, $"the endpoint refused the credentials (HTTP {failure.Status}): {Credentials(profile)}; it said: {failure.Message}"),
            _ when IsModelNotFound(failure) => Result(ProbeVerdict.ModelNotFound, $"model {profile.Model} not found at {url} (HTTP {failure.Status}): {failure.Message}"),
            { Status: 404 } => Result(ProbeVerdict.HttpError, $"HTTP 404 from {url}: {failure.Message} (is the url the API base, usually ending in /v1?)"),
            { Status: 400 or 422 } when failure.Message.Contains("tool", StringComparison.OrdinalIgnoreCase) => Result(ProbeVerdict.NoToolCalling, $"model {profile.Model} at {url} does not accept tools (HTTP {failure.Status}): {failure.Message}"),
            _ => Result(ProbeVerdict.HttpError, $"HTTP {failure.Status} from {url}: {failure.Message}"),
        };
    }

    private static bool IsModelNotFound(ModelEndpointFailure failure) =>
        failure.Code is "model_not_found" or "NotFoundError"
        || (failure.Status is 404 or 400 && failure.Message.Contains("model", StringComparison.OrdinalIgnoreCase)
            && (failure.Message.Contains("not exist", StringComparison.OrdinalIgnoreCase) || failure.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)));

    private static string Credentials(AgentProfile profile) =>
        profile.Variables is { Count: > 0 } variables
            ? $"check the key in {string.Join(", ", variables)}"
            : profile.Headers.Count == 0 ? "the profile sends no Authorization header; add one, e.g. Authorization: \"Bearer ${OPENAI_API_KEY}\"" : "check the profile's headers";
}

/// <summary>What <see cref="AgentProbe"/> found.</summary>
public enum ProbeVerdict
{
    /// <summary>The model answered with a tool call.</summary>
    Ok,

    /// <summary>A header's environment variable is not set (nothing was sent).</summary>
    MissingVariable,

    /// <summary>No connection (DNS, refused, reset) or no answer within the timeout.</summary>
    Unreachable,

    /// <summary>401 or 403.</summary>
    CredentialsRefused,

    /// <summary>The endpoint does not serve the profile's model.</summary>
    ModelNotFound,

    /// <summary>The endpoint rejected the tools, or the model answered without the required tool call.</summary>
    NoToolCalling,

    /// <summary>Any other HTTP error.</summary>
    HttpError,
}

/// <param name="Message">One line for people: what is wrong and what to check, or the model and latency.</param>
/// <param name="LatencyMs">For <see cref="ProbeVerdict.Ok"/> and a reply without a tool call: how long the request took.</param>
/// <param name="Status">The HTTP status of a failed request.</param>
public sealed record ProbeResult(ProbeVerdict Verdict, string Message, string Model, string Url, double? LatencyMs, int? Status = null)
{
    public bool Ok => Verdict == ProbeVerdict.Ok;
}

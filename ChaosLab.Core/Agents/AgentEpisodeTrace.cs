using ChaosLab.Core.Harness;

namespace ChaosLab.Core.Agents;

/// <summary>
/// The agent's side of an episode, recorded with it (the environment's side is the step record):
/// the conversation, every raw model reply, the actions sent and every harness intervention.
/// Filled in by the agent while it plays; read once the episode is over.
/// </summary>
public sealed class AgentEpisodeTrace
{
    /// <summary>The chat as the model saw it at the end, in order (system, user, assistant, tool).</summary>
    public List<TracedMessage> Conversation { get; } = [];

    /// <summary>Every reply the endpoint returned, as it came (a malformed one included).</summary>
    public List<ModelCall> ModelCalls { get; } = [];

    /// <summary>What was sent to the environment, and whether it was refused without a step.</summary>
    public List<TracedAction> Actions { get; } = [];

    public List<HarnessIntervention> Interventions { get; } = [];

    /// <summary>The environment said done (else the agent gave up or failed).</summary>
    public bool Finished { get; set; }

    /// <summary>Why the agent stopped early, if it did (e.g. "the model returned no action 3 times").</summary>
    public string? Error { get; set; }
}

/// <param name="Role">"system", "user", "assistant" or "tool".</param>
/// <param name="ToolCalls">An assistant message's tool calls as compact JSON, else null.</param>
/// <param name="ToolCallId">A tool message's call id, else null.</param>
public sealed record TracedMessage(string Role, string Text, string? ToolCalls = null, string? ToolCallId = null);

/// <param name="Turn">1-based model turn.</param>
/// <param name="BeforeStep">The environment step the reply led to (the step count it was asked at + 1).</param>
/// <param name="Raw">The response body as the endpoint sent it (or the error it failed with).</param>
/// <param name="Attempts">Requests it took (retries after 429, 5xx or timeouts).</param>
public sealed record ModelCall(int Turn, int BeforeStep, string Raw, double LatencyMs, int Attempts, int? InputTokens, int? OutputTokens);

/// <param name="Step">The environment step count after the action (unchanged when refused).</param>
/// <param name="Action">The wire action as compact JSON.</param>
public sealed record TracedAction(int Step, string Action, string? Refusal);

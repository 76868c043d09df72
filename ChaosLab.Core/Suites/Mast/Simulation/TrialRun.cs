using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// Which run of an instance: runs are independent and each is a pure function of (instance seed,
/// scenario, config, key), so no run's outcome depends on which others were run or in what order.
/// </summary>
/// <param name="Stream">The purpose the run is drawn for: <c>incident</c> (the production runs an
/// episode starts with), <c>trial-N</c> (the agent's Nth trial call), <c>heldout</c> (grading only).</param>
/// <param name="Index">The run's index within its stream.</param>
public readonly record struct TrialKey(string Stream, int Index)
{
    public override string ToString() => $"{Stream}#{Index}";
}

/// <summary>Everything one simulated run produced, truthful (the session decides what an operator sees).</summary>
/// <param name="Passed">The output met the task and the run stayed within the latency objective and the turn limit.</param>
/// <param name="FailureReason">Why it failed, as an operator's monitoring reports it (null when passed).</param>
/// <param name="Messages">Every message between agents, in order.</param>
/// <param name="Logs">What each agent logged (model calls, retries, parse errors, truncation).</param>
/// <param name="Decisions">Every fault decision taken for the run, fired or not.</param>
/// <param name="Turns">Agent turns taken.</param>
public sealed record TrialRun(
    TrialKey Key,
    bool Passed,
    int LatencyMs,
    int Turns,
    string? FailureReason,
    IReadOnlyList<TraceMessage> Messages,
    IReadOnlyList<AgentLogLine> Logs,
    IReadOnlyList<FaultDecision> Decisions);

/// <summary>One message between agents (or from the orchestrator: <c>orchestrator</c>, <c>translator</c>, <c>guard</c>, <c>validator</c>).</summary>
/// <param name="AtMs">When it was sent, on the run's simulated clock.</param>
/// <param name="Type">task, plan, notes, draft, review, approval, action, result, error, final, ...</param>
/// <param name="Format">json, yaml or text.</param>
/// <param name="Body">The message as sent (real YAML or JSON text for structured messages), at most a few hundred characters.</param>
/// <param name="Status">ok, error (the receiver failed on it), blocked (a guard stopped it) or dropped.</param>
/// <param name="Fault">The fault kind that shaped this message, if any: truth for the replay, never shown to the agent.</param>
public sealed record TraceMessage(int Seq, int AtMs, string From, string To, string Type, string Format, string Body, string Status, string? Fault = null);

/// <param name="Level">info, warn or error.</param>
public sealed record AgentLogLine(int AtMs, string Agent, string Level, string Text);

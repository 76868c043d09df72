using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// The faults the mast suite injects: one kind per simulated MAST mode (named for what happens,
/// with the MAST code in <see cref="ModeOf"/>), and the model-backend faults that make the
/// transport settings matter. Names are unique across suites.
/// </summary>
public static class MastFaultKinds
{
    public static FaultKind TaskSpecViolation { get; } = new("task_spec_violation", FaultFamily.Coordination,
        "FM-1.1: the agent ignores one of the task's constraints unless its role specification names it.");

    public static FaultKind RoleDrift { get; } = new("role_drift", FaultFamily.Coordination,
        "FM-1.2: with a vague role, the agent does another role's work instead of its own.");

    public static FaultKind StepRepetition { get; } = new("step_repetition", FaultFamily.Coordination,
        "FM-1.3: the agent repeats a completed step, sometimes until the turn limit.");

    public static FaultKind HistoryLoss { get; } = new("history_loss", FaultFamily.Coordination,
        "FM-1.4: the conversation outgrows the agent's window and truncation drops the instruction at its start.");

    public static FaultKind NoStopCondition { get; } = new("no_stop_condition", FaultFamily.Coordination,
        "FM-1.5: the agent does not know when its work is done and keeps taking turns.");

    public static FaultKind FormatMismatch { get; } = new("format_mismatch", FaultFamily.Coordination,
        "FM-2.5: a producer emits YAML to a consumer that parses JSON, which cannot read it.");

    public static FaultKind ReasoningActionMismatch { get; } = new("reasoning_action_mismatch", FaultFamily.Coordination,
        "FM-2.6: the executor's action differs from what its reasoning says it will do.");

    public static FaultKind PrematureTermination { get; } = new("premature_termination", FaultFamily.Coordination,
        "FM-3.1: the agent declares the run finished before the verifier signed off.");

    public static FaultKind IncompleteVerification { get; } = new("incomplete_verification", FaultFamily.Coordination,
        "FM-3.2: the reviewer covers only part of the draft per pass and approves after too few passes.");

    public static FaultKind IncorrectVerification { get; } = new("incorrect_verification", FaultFamily.Coordination,
        "FM-3.3: the reviewer checks each section alone, so a draft that contradicts itself is approved.");

    public static FaultKind BackendError { get; } = new("backend_error", FaultFamily.Transport,
        "The agent's model backend answers a call with a transient 503.");

    public static FaultKind BackendRateLimit { get; } = new("backend_rate_limit", FaultFamily.Transport,
        "The agent's model backend answers 429 until its Retry-After has passed.");

    public static FaultKind BackendSlow { get; } = new("backend_slow", FaultFamily.Transport,
        "A model call hangs far beyond its usual latency.");

    public static FaultKind BackendOutage { get; } = new("backend_outage", FaultFamily.Transport,
        "The agent's model backend is down from some call of the run onward.");

    public static IReadOnlyList<FaultKind> All { get; } =
    [
        TaskSpecViolation, RoleDrift, StepRepetition, HistoryLoss, NoStopCondition, FormatMismatch, ReasoningActionMismatch,
        PrematureTermination, IncompleteVerification, IncorrectVerification, BackendError, BackendRateLimit, BackendSlow, BackendOutage,
    ];

    private static readonly Dictionary<FaultKind, string> Modes = new()
    {
        [TaskSpecViolation] = "FM-1.1",
        [RoleDrift] = "FM-1.2",
        [StepRepetition] = "FM-1.3",
        [HistoryLoss] = "FM-1.4",
        [NoStopCondition] = "FM-1.5",
        [FormatMismatch] = "FM-2.5",
        [ReasoningActionMismatch] = "FM-2.6",
        [PrematureTermination] = "FM-3.1",
        [IncompleteVerification] = "FM-3.2",
        [IncorrectVerification] = "FM-3.3",
    };

    public static FaultKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The MAST mode a kind injects, or null for a backend fault.</summary>
    public static MastMode? ModeOf(FaultKind kind) => Modes.TryGetValue(kind, out var code) ? MastTaxonomy.Find(code) : null;
}

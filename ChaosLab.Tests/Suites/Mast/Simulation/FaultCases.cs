using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using static ChaosLab.Tests.Suites.Mast.Simulation.Configs;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>
/// One instance per fault kind with the fault at a typical rate (0.9 per run for MAST modes and
/// the outage; 0.3 per call for the other backend faults, where 0.9 per call would leave no
/// config able to help), the design's fix for it, and the operator-visible symptom it shows.
/// </summary>
internal sealed record FaultCase(string Kind, MastInstanceBuilder Pipeline, ResilienceConfig Fix, string Symptom)
{
    private MastInstance? _instance;

    public MastInstance Instance => _instance ??= Pipeline.Build(Fix);

    public override string ToString() => Kind;

    public static IReadOnlyList<FaultCase> All { get; } =
    [
        new("task_spec_violation",
            MastInstanceBuilder.ResearchReport().Fault("task_spec_violation", "writer-1", 0.9, ("constraint", "iso_dates")),
            ResilienceConfig.Default.WithSpec(Spec("writer-1", AgentRoles.Writer, constraints: ["iso_dates"])),
            "writer-1: role prompt names no task constraints"),
        new("role_drift",
            MastInstanceBuilder.ResearchReport().Fault("role_drift", "researcher-1", 0.9),
            ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher)),
            "writer-1: expected notes from researcher-1, got draft"),
        new("step_repetition",
            MastInstanceBuilder.ResearchReport().Fault("step_repetition", "researcher-1", 0.9, ("legit_repeats", "0")),
            ResilienceConfig.Default with { RepetitionGuard = 2 },
            "researcher-1: repeated step '"),
        new("history_loss",
            MastInstanceBuilder.ResearchReport().Fault("history_loss", "researcher-1", 0.9, ("history_tokens", "12000")),
            ResilienceConfig.Default with { ContextStrategy = "summarize", ContextSummarizationThreshold = 8_192 },
            "researcher-1: history "),
        new("no_stop_condition",
            MastInstanceBuilder.ResearchReport().Fault("no_stop_condition", "researcher-1", 0.9),
            ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher, stop: "items_complete")),
            "researcher-1: work done, no stop condition: continuing"),
        new("format_mismatch",
            MastInstanceBuilder.PlanExecute().Fault("format_mismatch", "planner-1", 0.9),
            ResilienceConfig.Default with { FormatTranslator = true },
            "executor-1: cannot parse input from planner-1 as json: "),
        new("reasoning_action_mismatch",
            MastInstanceBuilder.PlanExecute().Fault("reasoning_action_mismatch", "executor-1", 0.9),
            ResilienceConfig.Default with { ActionValidation = true },
            "does not match the plan's"),
        new("premature_termination",
            MastInstanceBuilder.ResearchReport().Fault("premature_termination", "writer-1", 0.9),
            ResilienceConfig.Default.WithSpec(Spec("writer-1", AgentRoles.Writer, stop: "verified")),
            "writer-1: declaring the work done"),
        new("incomplete_verification",
            MastInstanceBuilder.ResearchReport().Fault("incomplete_verification", "reviewer-1", 0.9, ("sections", "5"), ("coverage", "1")),
            ResilienceConfig.Default with { MinReviewDepth = 5 },
            "reviewed sections 1-1 of 5; approve"),
        new("incorrect_verification",
            MastInstanceBuilder.ResearchReport().Fault("incorrect_verification", "reviewer-1", 0.9),
            ResilienceConfig.Default with { ConsistencyCheck = true },
            "all sections pass individual checks; approve"),
        new("backend_error",
            MastInstanceBuilder.ResearchReport().Fault("backend_error", "researcher-1", 0.3),
            ResilienceConfig.Default with { RetryMax = 3 },
            "researcher-1: model call failed: 503 Service Unavailable"),
        new("backend_rate_limit",
            MastInstanceBuilder.ResearchReport().Fault("backend_rate_limit", "researcher-1", 0.3, ("retry_after_ms", "2000")),
            ResilienceConfig.Default with { RetryMax = 2, RetryDelayMs = 1_000 },
            "researcher-1: model call failed: 429 Too Many Requests (Retry-After: 2000 ms)"),
        new("backend_slow",
            MastInstanceBuilder.ResearchReport().Fault("backend_slow", "researcher-1", 0.3),
            ResilienceConfig.Default with { RetryMax = 3, TimeoutMs = 5_000 },
            "researcher-1: model call timed out after 60000 ms"),
        new("backend_outage",
            MastInstanceBuilder.ResearchReport().Fault("backend_outage", "researcher-1", 0.9, ("outage_from_call", "2")),
            ResilienceConfig.Default with { CircuitBreakerThreshold = 0.5, Fallback = "summarize", TimeoutMs = 5_000 },
            "researcher-1: model call timed out after 60000 ms (upstream unreachable)"),
    ];

    public static TheoryData<string> Kinds => [.. MastFaultKinds.All.Select(k => k.Name)];

    public static FaultCase Of(string kind) => All.Single(c => c.Kind == kind);
}

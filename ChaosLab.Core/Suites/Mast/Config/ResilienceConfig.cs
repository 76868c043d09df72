using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Config;

/// <summary>
/// How an agent hardens a pipeline: the reference's <c>ResilienceConfig</c> fields, every one of
/// them executed by the simulator, plus the mechanisms the reference rewarded without having
/// (repetition guard, action validation) and role specifications per agent. <see cref="Default"/>
/// is the pipeline as deployed. Built only by <see cref="ResilienceConfigReader"/>, which checks
/// every range.
/// </summary>
/// <param name="RetryMax">Retries of a failed model call (Polly retry), 0-10.</param>
/// <param name="RetryDelayMs">First retry delay, doubled per attempt, on the simulated clock; 0-30,000.</param>
/// <param name="TimeoutMs">Per model call (Polly timeout), 100-120,000.</param>
/// <param name="Fallback">When a call still fails: skip, summarize, abort or retry_last.</param>
/// <param name="CircuitBreakerThreshold">Failure ratio that opens a backend's breaker (Polly circuit breaker); 0 = none; 0.1-1.0.</param>
/// <param name="ContextStrategy">When history outgrows an agent's window: truncate, summarize or chunk.</param>
/// <param name="ContextSummarizationThreshold">History size in tokens at which summarize starts, 256-65,536.</param>
/// <param name="MinReviewDepth">Review passes before the reviewer may approve, 0-5.</param>
/// <param name="ConsistencyCheck">Cross-checks the claims of a draft against each other before approval.</param>
/// <param name="FormatTranslator">A translation layer on every hand-off that converts YAML to the JSON a consumer expects.</param>
/// <param name="RepetitionGuard">Blocks the Nth identical consecutive step of an agent; 0 = off, 1-5.</param>
/// <param name="ActionValidation">Checks every executor action against its stated reasoning before it runs.</param>
/// <param name="RoleSpecs">Role specifications deployed in place of the agents' system prompts, by agent id.</param>
public sealed record ResilienceConfig(
    int RetryMax,
    int RetryDelayMs,
    int TimeoutMs,
    string Fallback,
    double CircuitBreakerThreshold,
    string ContextStrategy,
    int ContextSummarizationThreshold,
    int MinReviewDepth,
    bool ConsistencyCheck,
    bool FormatTranslator,
    int RepetitionGuard,
    bool ActionValidation,
    IReadOnlyDictionary<string, RoleSpec> RoleSpecs)
{
    public static ResilienceConfig Default { get; } = new(
        RetryMax: 0,
        RetryDelayMs: 0,
        TimeoutMs: 60_000,
        Fallback: "abort",
        CircuitBreakerThreshold: 0,
        ContextStrategy: "truncate",
        ContextSummarizationThreshold: 8_192,
        MinReviewDepth: 1,
        ConsistencyCheck: false,
        FormatTranslator: false,
        RepetitionGuard: 0,
        ActionValidation: false,
        RoleSpecs: new Dictionary<string, RoleSpec>(StringComparer.Ordinal));

    public static IReadOnlyList<string> Fallbacks { get; } = ["skip", "summarize", "abort", "retry_last"];

    public static IReadOnlyList<string> ContextStrategies { get; } = ["truncate", "summarize", "chunk"];

    public RoleSpec? SpecFor(PipelineAgent agent) => RoleSpecs.GetValueOrDefault(agent.Id);
}

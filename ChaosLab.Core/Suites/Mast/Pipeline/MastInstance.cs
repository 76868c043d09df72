namespace ChaosLab.Core.Suites.Mast.Pipeline;

/// <summary>
/// A scenario made concrete for one seed: the pipeline an episode diagnoses, what its runs are
/// asked to do, and the faults injected into it. Everything a run needs besides the
/// configuration under test and the run's own key; the simulator never reads anything else.
/// </summary>
/// <param name="Kind">The pipeline's shape (e.g. <c>research_report</c>, <c>plan_execute</c>).</param>
/// <param name="Agents">In pipeline order: each agent sends its output to the next.</param>
/// <param name="Faults">What is wrong with this pipeline (MAST modes and backend faults). Never shown to the agent.</param>
public sealed record MastInstance(
    string ScenarioId,
    int ScenarioVersion,
    string TaskId,
    string Tier,
    long Seed,
    string Kind,
    IReadOnlyList<PipelineAgent> Agents,
    TaskSpec Task,
    PipelineLimits Limits,
    IReadOnlyList<InjectedFault> Faults)
{
    public PipelineAgent Agent(string id) => Agents.First(a => a.Id == id);
}

/// <summary>One fault of an instance.</summary>
/// <param name="Kind">A <see cref="MastFaultKinds"/> name.</param>
/// <param name="Agent">The agent at fault (or whose model backend fails).</param>
/// <param name="Rate">Chance per run (MAST modes) or per model call (backend faults) that it shows.</param>
/// <param name="Parameters">Kind-specific, e.g. <c>constraint</c>, <c>retry_after_ms</c>, <c>sections</c>,
/// <c>coverage</c>, <c>legit_repeats</c>, <c>outage_from_call</c>.</param>
public sealed record InjectedFault(string Kind, string Agent, double Rate, IReadOnlyDictionary<string, string> Parameters);

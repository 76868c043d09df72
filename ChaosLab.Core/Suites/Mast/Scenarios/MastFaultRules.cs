using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Taxonomy;
using static ChaosLab.Core.Suites.Mast.Pipeline.AgentRoles;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>One parameter of a fault kind as a scenario document gives it: a range drawn per seed.</summary>
/// <param name="Whole">Drawn as a whole number.</param>
/// <param name="Bounds">What a document may ask for.</param>
/// <param name="Default">What a document that leaves it out gets.</param>
public sealed record FaultParameter(string Name, bool Whole, NumberRange Bounds, NumberRange Default, string Description);

/// <summary>
/// What each fault kind needs of a pipeline, as the simulator implements it: the roles whose
/// agents can show it, whether its rate is per run or per model call (and the rates a document
/// may ask for), and its parameters. Scenario checks and instance draws read these.
/// </summary>
public static class MastFaultRules
{
    public const string LegitRepeats = "legit_repeats";
    public const string HistoryRatio = "history_ratio";
    public const string Coverage = "coverage";
    public const string RetryAfterMs = "retry_after_ms";
    public const string OutageFromCall = "outage_from_call";

    /// <summary>Instance parameters derived from the draw rather than given as a range.</summary>
    public const string Constraint = "constraint";
    public const string HistoryTokens = "history_tokens";
    public const string Sections = "sections";

    /// <summary>The deepest review a config can ask for (<c>min_review_depth</c>'s maximum): a reviewer's coverage per pass is drawn so that it suffices.</summary>
    public const int MaxReviewDepth = 5;

    /// <summary>Rates a document may give a fault that fires per run (MAST modes, the outage).</summary>
    public static NumberRange PerRunRates { get; } = new(0.3, 1.0);

    /// <summary>Rates a document may give a fault that fires per model call (a run makes a dozen or more).</summary>
    public static NumberRange PerCallRates { get; } = new(0.02, 0.5);

    private static readonly Dictionary<string, IReadOnlyList<string>> EligibleRoles = new(StringComparer.Ordinal)
    {
        [MastFaultKinds.TaskSpecViolation.Name] = [Writer, Executor, Researcher],
        [MastFaultKinds.RoleDrift.Name] = [Researcher, Writer, Executor, Planner],
        [MastFaultKinds.StepRepetition.Name] = [Executor, Researcher],
        [MastFaultKinds.HistoryLoss.Name] = [Writer, Researcher, Executor],
        [MastFaultKinds.NoStopCondition.Name] = [Researcher, Executor, Writer],
        // A producer whose output is YAML and whose next agent parses JSON (Check says so per pipeline).
        [MastFaultKinds.FormatMismatch.Name] = [Planner, Coordinator, Researcher, Executor, Writer],
        [MastFaultKinds.ReasoningActionMismatch.Name] = [Executor],
        [MastFaultKinds.PrematureTermination.Name] = [Writer, Coordinator],
        [MastFaultKinds.IncompleteVerification.Name] = [Reviewer],
        [MastFaultKinds.IncorrectVerification.Name] = [Reviewer],
        [MastFaultKinds.BackendError.Name] = All,
        [MastFaultKinds.BackendRateLimit.Name] = All,
        [MastFaultKinds.BackendSlow.Name] = All,
        // The researcher makes one call per item, so an outage from its m-th call is a partial one.
        [MastFaultKinds.BackendOutage.Name] = [Researcher],
    };

    private static readonly Dictionary<string, IReadOnlyList<FaultParameter>> KindParameters = new(StringComparer.Ordinal)
    {
        [MastFaultKinds.StepRepetition.Name] =
        [
            new(LegitRepeats, true, new(0, 1), new(0, 1), "1: the plan legitimately does one step twice in a row, so a repetition guard of 1 loses an item."),
        ],
        [MastFaultKinds.HistoryLoss.Name] =
        [
            new(HistoryRatio, false, new(1.2, 1.7), new(1.25, 1.6), "The history the agent must hold, as a multiple of its window (the simulator varies it by 15% per run, staying within twice the window)."),
        ],
        [MastFaultKinds.IncompleteVerification.Name] =
        [
            new(Coverage, true, new(1, 2), new(1, 2), "Sections the reviewer covers per pass (the draft has one section per item); at least a fifth of them, so a review depth of at most 5 covers all."),
        ],
        [MastFaultKinds.BackendRateLimit.Name] =
        [
            new(RetryAfterMs, true, new(200, 8000), new(800, 2500), "The backend's Retry-After: a retry before it has passed gets 429 again."),
        ],
        [MastFaultKinds.BackendOutage.Name] =
        [
            new(OutageFromCall, true, new(1, 6), new(1, 3), "The researcher's call from which the backend is down (at most the fewest items the scenario draws)."),
        ],
    };

    public static IReadOnlyList<string> RolesFor(string kind) => EligibleRoles.GetValueOrDefault(kind) ?? [];

    public static IReadOnlyList<FaultParameter> Parameters(string kind) => KindParameters.GetValueOrDefault(kind) ?? [];

    /// <summary>Backend faults other than the outage fire per model call.</summary>
    public static bool PerCall(string kind) =>
        kind == MastFaultKinds.BackendError.Name || kind == MastFaultKinds.BackendRateLimit.Name || kind == MastFaultKinds.BackendSlow.Name;

    public static NumberRange RatesFor(string kind) => PerCall(kind) ? PerCallRates : PerRunRates;

    /// <summary>The MAST mode a kind injects, or null for a backend fault.</summary>
    public static MastMode? ModeOf(string kind) => MastFaultKinds.Find(kind) is { } fault ? MastFaultKinds.ModeOf(fault) : null;

    /// <summary>The kinds of the MAST modes of a task (a category), in the taxonomy's order.</summary>
    public static IReadOnlyList<FaultKind> KindsOf(string taskId) =>
        [.. MastFaultKinds.All.Where(k => MastFaultKinds.ModeOf(k) is { } mode && MastTaxonomy.CategoryName(mode.Category) == taskId)];

    public static IReadOnlyList<FaultKind> BackendKinds { get; } = [.. MastFaultKinds.All.Where(k => MastFaultKinds.ModeOf(k) is null)];

    /// <summary>
    /// The agents of a pipeline (in order) that can show <paramref name="kind"/> when their role is
    /// one of <paramref name="roles"/>: a format mismatch also needs a YAML producer whose next
    /// agent parses JSON.
    /// </summary>
    public static IReadOnlyList<int> EligibleAgents<T>(string kind, IReadOnlyList<string> roles, IReadOnlyList<T> pipeline, Func<T, (string Role, string Input, string Output)> shape)
    {
        var eligible = new List<int>();
        for (var i = 0; i < pipeline.Count; i++)
        {
            var (role, _, output) = shape(pipeline[i]);
            if (!roles.Contains(role) || !RolesFor(kind).Contains(role))
            {
                continue;
            }

            if (kind == MastFaultKinds.FormatMismatch.Name && !(output == "yaml" && i + 1 < pipeline.Count && shape(pipeline[i + 1]).Input == "json"))
            {
                continue;
            }

            eligible.Add(i);
        }

        return eligible;
    }
}

namespace ChaosLab.Core.Suites.Mast.Pipeline;

/// <summary>
/// The roles a simulated pipeline is built from, and the published vocabulary a role
/// specification is written in: each role's capabilities, the task constraints an agent can be
/// told to honour, the formats it can emit, and the stop conditions it understands. A role
/// specification that uses words outside these lists is refused with the list.
/// </summary>
public static class AgentRoles
{
    public const string Planner = "planner";
    public const string Researcher = "researcher";
    public const string Writer = "writer";
    public const string Executor = "executor";
    public const string Reviewer = "reviewer";
    public const string Verifier = "verifier";
    public const string Coordinator = "coordinator";

    /// <summary>What each role must be able to do (a role specification's <c>capabilities</c> name these).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Capabilities { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Planner] = ["plan", "decompose"],
        [Researcher] = ["search", "cite"],
        [Writer] = ["draft", "revise"],
        [Executor] = ["execute", "report"],
        [Reviewer] = ["review", "request_changes"],
        [Verifier] = ["verify", "approve"],
        [Coordinator] = ["route", "finalize"],
    };

    public static IReadOnlyList<string> All { get; } = [.. Capabilities.Keys];

    /// <summary>Every capability word, in role order.</summary>
    public static IReadOnlyList<string> AllCapabilities { get; } = [.. Capabilities.Values.SelectMany(c => c)];

    /// <summary>Constraints a task can carry and a role specification can tell an agent to honour.</summary>
    public static IReadOnlyList<string> Constraints { get; } = ["cite_sources", "max_words", "metric_units", "iso_dates", "no_speculation", "include_summary"];

    public static IReadOnlyList<string> Formats { get; } = ["json", "yaml", "text"];

    /// <summary>
    /// When an agent stops: when every item of the task is done, when the reviewer approved, when
    /// the verifier signed off, or after a fixed number of turns (<c>max_turns:N</c>).
    /// </summary>
    public static IReadOnlyList<string> StopConditions { get; } = ["items_complete", "approved", "verified", "max_turns:N"];
}

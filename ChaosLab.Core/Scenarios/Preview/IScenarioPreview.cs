namespace ChaosLab.Core.Scenarios.Preview;

/// <summary>
/// What an author sees before publishing: the faults a seed brings, and how the suite's
/// reference agents and known cheats score on the scenario. Nothing here is recorded.
/// </summary>
public interface IScenarioPreview
{
    /// <summary>
    /// The fault plan in words and, for one seed, every tool call the suite's reference agents
    /// make on it in order, with the fault decided for each (the first <paramref name="maxCalls"/>).
    /// The document must be valid (<see cref="Studio.IScenarioStudio.Validate"/>).
    /// </summary>
    FaultSchedule Schedule(ScenarioDocument document, long seed, int maxCalls = 50);

    /// <summary>
    /// Plays every reference agent and every exploit strategy of the document's suite on
    /// <see cref="PreviewRequest.Seeds"/> seeds, reporting each finished episode, and compares them.
    /// </summary>
    Task<ScenarioPreviewResult> RunAsync(PreviewRequest request, IProgress<PreviewProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <param name="Seeds">How many seeds, from <paramref name="FirstSeed"/> upwards (1 to 200).</param>
public sealed record PreviewRequest(ScenarioDocument Document, long FirstSeed = 1, int Seeds = 20);

/// <param name="Completed">Episodes played so far, of <paramref name="Total"/> (agents x seeds).</param>
public sealed record PreviewProgress(int Completed, int Total);

/// <param name="IsExploit">A cheat (scores must stay at most <see cref="ScenarioPreviewResult.ExploitCeiling"/>), not a reference agent.</param>
public sealed record AgentPreviewScore(string Agent, bool IsExploit, int Episodes, double MeanScore, double MinScore, double MaxScore);

/// <param name="Code"><c>no_discrimination</c> or <c>exploit_scores</c>.</param>
public sealed record PreviewWarning(string Code, string Message);

public sealed record ScenarioPreviewResult(IReadOnlyList<AgentPreviewScore> Agents, IReadOnlyList<PreviewWarning> Warnings)
{
    /// <summary>The most any cheat may score on average before the preview warns.</summary>
    public const double ExploitCeiling = 0.05;
}

/// <param name="Rules">The plan in words, one line per rule ("database_query: timeout on the 1st attempt of each call").</param>
/// <param name="Calls">Tool calls in the order the agents made them.</param>
public sealed record FaultSchedule(long Seed, IReadOnlyList<string> Rules, IReadOnlyList<FaultScheduleEntry> Calls);

/// <param name="Attempt">1 for the first time this exact call (tool + arguments) was made in the episode, 2 for the retry, ...</param>
/// <param name="Fault">The fault kind that fired, or null when the call went through clean.</param>
/// <param name="Trigger">Why: the rule or background roll that fired (empty when none did).</param>
public sealed record FaultScheduleEntry(string Agent, int Step, string Tool, string Arguments, int Attempt, string? Fault, string Trigger);

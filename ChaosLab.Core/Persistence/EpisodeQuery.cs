namespace ChaosLab.Core.Persistence;

/// <summary>Which episodes to list and in what order. Unset filters match everything.</summary>
public sealed record EpisodeQuery
{
    public string? Suite { get; init; }
    public string? TaskId { get; init; }
    public string? Tier { get; init; }
    public string? ScenarioId { get; init; }
    public string? Agent { get; init; }
    public string? Outcome { get; init; }
    public string? ClientKind { get; init; }

    /// <summary>"practice" or "sealed"; the leaderboard asks for sealed episodes only.</summary>
    public string? Mode { get; init; }
    public double? MinScore { get; init; }
    public double? MaxScore { get; init; }

    /// <summary>Only graded episodes: neither running (no outcome) nor abandoned.</summary>
    public bool GradedOnly { get; init; }

    /// <summary>Episodes in which at least one of these fault kinds fired.</summary>
    public IReadOnlyList<string> FaultKinds { get; init; } = [];

    /// <summary>Inclusive lower bound on the start time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound on the start time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Text contained in the prompt or the submission (ASCII letters compare case-insensitively).</summary>
    public string? Text { get; init; }

    public EpisodeSortKey Sort { get; init; } = EpisodeSortKey.StartedAt;
    public bool Descending { get; init; } = true;

    /// <summary>1-based.</summary>
    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;

    /// <summary>
    /// Whether the query filters by nothing but mode, agent, suite, task, tier and "graded only":
    /// the keys of the totals the store keeps, which answer it without counting rows.
    /// </summary>
    internal bool FiltersOnlyByCell => ScenarioId is null && Outcome is null && ClientKind is null && MinScore is null && MaxScore is null
        && FaultKinds.Count == 0 && From is null && To is null && string.IsNullOrEmpty(Text);
}

public enum EpisodeSortKey
{
    StartedAt,
    Score,
    Steps,
    Agent,
}

public sealed record EpisodePage(IReadOnlyList<EpisodeSummary> Items, int Total, int Page, int PageSize);

/// <summary>An episode with every step, in order.</summary>
public sealed record EpisodeTrajectory(EpisodeSummary Episode, string? GradeJson, IReadOnlyList<RecordedStep> Steps);

/// <summary>
/// One leaderboard cell as the database aggregated it: graded episodes of an agent on a suite,
/// task and tier. Sums rather than means, so intervals can be computed from them exactly.
/// </summary>
/// <param name="LastActivity">When the newest of these episodes ended.</param>
public sealed record LeaderboardGroup(
    string Agent, string Suite, string TaskId, string Tier, int Episodes, int Correct, double ScoreSum, double ScoreSquareSum, DateTimeOffset LastActivity);

/// <summary>A fault that fired in a step of an episode.</summary>
public sealed record FiredFault(string EpisodeId, int StepIndex, string Kind);

/// <summary>The distinct values stored episodes have, sorted; what filter drop-downs offer.</summary>
public sealed record EpisodeFacets(
    IReadOnlyList<string> Agents,
    IReadOnlyList<string> Suites,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<string> Tiers,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<string> FaultKinds)
{
    public static EpisodeFacets Empty { get; } = new([], [], [], [], [], [], []);
}

/// <summary>A graded episode as the comparison of two agents needs it.</summary>
public sealed record ComparedEpisode(
    string Id, string Agent, string Suite, string TaskId, string Tier, string ScenarioId, long Seed, double Score, string Outcome, int StepCount, DateTimeOffset StartedAt);

/// <summary>Both agents' episodes on the keys they share; <see cref="Truncated"/> when later keys were left out.</summary>
public sealed record PairedEpisodes(IReadOnlyList<ComparedEpisode> Episodes, bool Truncated);

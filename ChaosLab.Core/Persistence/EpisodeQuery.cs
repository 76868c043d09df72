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
    public double? MinScore { get; init; }
    public double? MaxScore { get; init; }

    /// <summary>Episodes in which at least one of these fault kinds fired.</summary>
    public IReadOnlyList<string> FaultKinds { get; init; } = [];

    /// <summary>Inclusive lower bound on the start time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound on the start time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Text contained in the question or the answer (ASCII letters compare case-insensitively).</summary>
    public string? Text { get; init; }

    public EpisodeSortKey Sort { get; init; } = EpisodeSortKey.StartedAt;
    public bool Descending { get; init; } = true;

    /// <summary>1-based.</summary>
    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 50;
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
public sealed record EpisodeTrajectory(EpisodeSummary Episode, string? GradeJson, IReadOnlyList<StepEntity> Steps);

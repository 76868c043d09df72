namespace ChaosLab.Core.Persistence;

/// <summary>One episode-to-be of a run: a scenario, a seed index and a trial, and once played its result.</summary>
public sealed class EvaluationRunItemEntity
{
    public required string RunId { get; init; }

    /// <summary>"suite/scenario/seed/trial": unique within the run, stable across restarts.</summary>
    public required string Key { get; init; }

    /// <summary>Play order (the plan's order).</summary>
    public int Sequence { get; init; }
    public required string Suite { get; init; }
    public required string TaskId { get; init; }
    public required string Tier { get; init; }
    public required string ScenarioId { get; init; }
    public int SeedIndex { get; init; }
    public int Trial { get; init; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public string? EpisodeId { get; set; }
    public string? Outcome { get; set; }
    public double? Score { get; set; }
    public bool? Success { get; set; }
    public int? Steps { get; set; }

    /// <summary>Interventions per harness layer, as a JSON object {"h2": 3, ...}.</summary>
    public string? InterventionsJson { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The replica playing the item while it is running; null otherwise.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>Until when <see cref="LeaseOwner"/> holds the item unless it renews the lease.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}

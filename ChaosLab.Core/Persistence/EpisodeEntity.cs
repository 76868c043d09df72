namespace ChaosLab.Core.Persistence;

/// <summary>One recorded episode: who played what, and how it ended.</summary>
public sealed class EpisodeEntity
{
    public required string Id { get; init; }
    public required string Suite { get; init; }
    public required string TaskId { get; init; }
    public required string Tier { get; init; }
    public required string ScenarioId { get; init; }
    public int ScenarioVersion { get; init; }
    public long Seed { get; init; }
    public int MaxSteps { get; init; }
    public required string Agent { get; init; }
    public required string ClientKind { get; init; }

    /// <summary>"practice" or "sealed" (<see cref="Environment.EpisodeModes"/>); only sealed episodes rank.</summary>
    public string Mode { get; init; } = Environment.EpisodeModes.Practice;
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The grade's outcome, or "abandoned"; null while the episode runs.</summary>
    public string? Outcome { get; set; }

    public double? Score { get; set; }

    /// <summary>Whether the suite counted the outcome as solved; null while running and for abandoned episodes.</summary>
    public bool? Success { get; set; }

    /// <summary>Steps taken by the agent (the reset is step 0 and not counted).</summary>
    public int StepCount { get; set; }

    /// <summary>What the episode asked of the agent (<see cref="Environment.EpisodeInfo.Prompt"/>), if the suite gave a text.</summary>
    public string? Prompt { get; init; }

    /// <summary>The final <see cref="Environment.StepRecord.Submission"/>: text as sent, anything else as compact JSON.</summary>
    public string? Submission { get; set; }

    /// <summary>
    /// The <see cref="Environment.EpisodeGrade"/> as JSON, answer key included, for episodes graded
    /// before schema 10; later ones store <see cref="Grade"/>. Readers take whichever is set.
    /// </summary>
    public string? GradeJson { get; set; }

    /// <summary>The grade JSON as a <see cref="Storage.StoredGrade"/>; set once the episode is over.</summary>
    public byte[]? Grade { get; set; }

    public double? FinalReward { get; set; }
    public string? AbandonReason { get; set; }

    /// <summary>The replica whose process plays the episode (<see cref="Replicas.ReplicaIdentity"/>); null before replicas (schema 16).</summary>
    public string? Replica { get; init; }
}

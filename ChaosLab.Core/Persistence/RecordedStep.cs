namespace ChaosLab.Core.Persistence;

/// <summary>
/// One recorded step of an episode (index 0 is the reset) as readers get it: from the store, the
/// live feed and the episodes API. Immutable, unlike the database row it is stored as, so one
/// instance can be handed to every subscriber. JSON columns stay as the recorder serialized
/// them: exports stream them without a parse.
/// </summary>
public sealed record RecordedStep
{
    public required string EpisodeId { get; init; }
    public int StepIndex { get; init; }

    /// <summary>The action as the agent sent it; null for the reset.</summary>
    public string? ActionJson { get; init; }

    public required string ObservationJson { get; init; }

    /// <summary>What the tool or system really produced, before faults.</summary>
    public string? CleanResult { get; init; }

    /// <summary>What the agent received.</summary>
    public string? DeliveredResult { get; init; }

    /// <summary>Every fault decision of the step, fired or not (a JSON array).</summary>
    public required string FaultsJson { get; init; }

    public required string RewardComponentsJson { get; init; }
    public double Reward { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset EpisodeTime { get; init; }

    /// <summary>How long the server took for the step, in microseconds of wall time.</summary>
    public long WallTimeUs { get; init; }

    public string? Error { get; init; }
}

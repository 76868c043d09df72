namespace ChaosLab.Core.Persistence;

/// <summary>The database row of a recorded step (EF mapping and schema only); readers get <see cref="RecordedStep"/>.</summary>
public sealed class StepEntity
{
    public required string EpisodeId { get; init; }
    public int StepIndex { get; init; }
    public string? ActionJson { get; init; }
    public required string ObservationJson { get; init; }
    public string? CleanResult { get; init; }
    public string? DeliveredResult { get; init; }
    public required string FaultsJson { get; init; }
    public required string RewardComponentsJson { get; init; }
    public double Reward { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset EpisodeTime { get; init; }

    /// <summary>How long the server took for the step, in microseconds of wall time.</summary>
    public long WallTimeUs { get; init; }

    public string? Error { get; init; }
}

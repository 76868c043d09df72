namespace ChaosLab.Core.Persistence;

/// <summary>The database row of a recorded step (EF mapping and schema only); readers get <see cref="RecordedStep"/>.</summary>
public sealed class StepEntity
{
    public required string EpisodeId { get; init; }
    public int StepIndex { get; init; }

    /// <summary>The step's text columns as a <see cref="Storage.StepBody"/>.</summary>
    public required byte[] Body { get; init; }

    /// <summary>See <see cref="Storage.FiredFaultKinds"/>.</summary>
    public string? FiredFaults { get; init; }

    public double Reward { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset EpisodeTime { get; init; }

    /// <summary>How long the server took for the step, in microseconds of wall time.</summary>
    public long WallTimeUs { get; init; }
}

namespace ChaosLab.Core.Persistence;

/// <summary>A fault kind that fired at least once in an episode (one row per episode and kind).</summary>
public sealed class EpisodeFaultEntity
{
    public required string EpisodeId { get; init; }
    public required string Kind { get; init; }
}

namespace ChaosLab.Core.Persistence;

/// <summary>
/// The tier decision a curriculum made for one episode, with what it was based on. Written at
/// reset, before the recorder stores the episode itself, so it refers to the episode by id only.
/// </summary>
public sealed class CurriculumEpisodeEntity
{
    public required string EpisodeId { get; init; }
    public required string Curriculum { get; init; }

    /// <summary>1 for the curriculum's first decision, then counting up: the order outcomes are read in.</summary>
    public int Sequence { get; init; }

    /// <summary>The tier the episode was given.</summary>
    public required string Tier { get; init; }

    /// <summary>True when this decision moved the curriculum up to <see cref="Tier"/>.</summary>
    public bool Advanced { get; init; }

    public int WindowEpisodes { get; init; }
    public int WindowSuccesses { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
}

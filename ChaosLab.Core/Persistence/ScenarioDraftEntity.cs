namespace ChaosLab.Core.Persistence;

/// <summary>
/// The pending, editable version of a scenario (one per id at most). Unlike a published version
/// it changes in place: <see cref="DocumentJson"/> is whatever the author last saved, valid or not.
/// </summary>
public sealed class ScenarioDraftEntity
{
    public required string Id { get; init; }

    /// <summary>The document's suite when it names one (empty when it does not yet).</summary>
    public required string Suite { get; set; }

    /// <summary>The version publishing will store: 1 for a new id, the latest published + 1 otherwise.</summary>
    public int Version { get; init; }

    /// <summary>Counts saves, starting at 1, for optimistic concurrency.</summary>
    public int Revision { get; set; }

    /// <summary>The published version this draft edits; null for a new scenario.</summary>
    public int? BaseVersion { get; init; }

    /// <summary>Who last saved it, as the caller named them; null when unknown.</summary>
    public string? Author { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string DocumentJson { get; set; }
}

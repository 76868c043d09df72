namespace ChaosLab.Core.Persistence;

/// <summary>
/// One immutable version of an authored scenario. The shared fields are columns for listing;
/// the document itself is <see cref="DocumentJson"/>, which only its suite interprets.
/// </summary>
public sealed class ScenarioEntity
{
    public required string Id { get; init; }
    public int Version { get; init; }
    public required string Suite { get; init; }
    public required string TaskId { get; init; }
    public required string Tier { get; init; }
    public required string Family { get; init; }
    public required string Title { get; init; }
    public required string DocumentJson { get; init; }

    /// <summary>When this version was published (or imported): rows are only ever written then.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who published it, as the caller named them; null when unknown.</summary>
    public string? Author { get; init; }
}

namespace ChaosLab.Core.Persistence;

/// <summary>One recorded episode: who played what, and how it ended.</summary>
public sealed class EpisodeEntity
{
    public required string Id { get; init; }
    public required string Suite { get; init; }
    public required string TaskId { get; init; }
    public required string Tier { get; init; }
    public required string ScenarioId { get; init; }
    public long Seed { get; init; }
    public required string Agent { get; init; }
    public required string ClientKind { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Outcome { get; set; }
    public double? Score { get; set; }
}

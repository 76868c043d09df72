namespace ChaosLab.Core.Persistence;

/// <summary>The agent's side of a finished episode (conversation, raw model replies, harness interventions) as JSON.</summary>
public sealed class AgentTraceEntity
{
    public required string EpisodeId { get; init; }
    public string? RunId { get; init; }
    public required string TraceJson { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

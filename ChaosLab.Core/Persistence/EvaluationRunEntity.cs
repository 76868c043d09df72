namespace ChaosLab.Core.Persistence;

/// <summary>An evaluation run: one assignment played with one set of harness switches.</summary>
public sealed class EvaluationRunEntity
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>The name its episodes are recorded under (profile and harness variant).</summary>
    public required string Agent { get; init; }
    public string? Model { get; init; }

    /// <summary>The harness switches' label ("h2+h3+h4+h5", "none", ...).</summary>
    public required string Harness { get; init; }

    /// <summary>The assignment as resolved (profile without header values), as JSON.</summary>
    public required string AssignmentJson { get; init; }
    public string? AblationId { get; init; }
    public string? Variant { get; init; }

    /// <summary>"cli", "web" or "api".</summary>
    public required string Origin { get; init; }
    public required string Status { get; set; }

    /// <summary>Most items played at once, over every replica.</summary>
    public int Concurrency { get; init; } = 1;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Error { get; set; }
}

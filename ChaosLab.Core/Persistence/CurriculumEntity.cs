namespace ChaosLab.Core.Persistence;

/// <summary>A named curriculum: the suite it trains on, its rules and the tier it has reached.</summary>
public sealed class CurriculumEntity
{
    public required string Name { get; init; }
    public required string Suite { get; init; }

    /// <summary>The <see cref="Curriculum.CurriculumRules"/> as JSON, fixed when the curriculum was created.</summary>
    public required string RulesJson { get; init; }

    /// <summary>The tier the next decision starts from; only ever moves up, one tier at a time.</summary>
    public required string CurrentTier { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

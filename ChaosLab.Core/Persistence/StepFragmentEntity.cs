namespace ChaosLab.Core.Persistence;

/// <summary>A <see cref="Storage.StepFragment"/> as stored (EF mapping and schema only).</summary>
public sealed class StepFragmentEntity
{
    public required string Hash { get; init; }
    public required string Text { get; init; }
}

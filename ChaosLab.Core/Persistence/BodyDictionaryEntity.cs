namespace ChaosLab.Core.Persistence;

/// <summary>A <see cref="Storage.BodyDictionary"/> as stored (EF mapping and schema only).</summary>
public sealed class BodyDictionaryEntity
{
    public int Id { get; init; }
    public required string Name { get; init; }
    public required byte[] Content { get; init; }
}

using System.Collections.Frozen;

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>
/// The dictionaries this build compresses with and has ever released, embedded from
/// <c>Dictionaries/{name}-{id}.zdict</c>. A released dictionary never changes (bodies written with
/// it depend on every byte, and a test pins its hash): a better one is a new file with a new id,
/// installed by a new schema step, after which the build writes with it.
/// </summary>
/// <remarks>
/// Trained with zstd's dictionary builder on the payloads of the storage bench's episodes played on
/// training seeds that the bench's measurement does not use (<c>--train-dictionaries</c>).
/// </remarks>
public static class BodyDictionaries
{
    /// <summary>Step bodies (<see cref="StepBody"/>): 64 KB trained on their uncompressed layout.</summary>
    public static BodyDictionary StepBodies { get; } = Load(1, "step-bodies");

    /// <summary>Grades (<see cref="StoredGrade"/>): 16 KB trained on grade JSON.</summary>
    public static BodyDictionary Grades { get; } = Load(2, "grades");

    public static IReadOnlyList<BodyDictionary> Released { get; } = [StepBodies, Grades];

    private static readonly FrozenDictionary<int, BodyDictionary> ById = Released.ToFrozenDictionary(d => d.Id);

    /// <exception cref="InvalidDataException">No released dictionary has this id.</exception>
    public static BodyDictionary Find(int id) => ById.TryGetValue(id, out var dictionary)
        ? dictionary
        : throw new InvalidDataException($"A stored body names compression dictionary {id}, which this build does not know.");

    private static BodyDictionary Load(int id, string name)
    {
        var resource = $"ChaosLab.Core.Persistence.Storage.Dictionaries.{name}-{id}.zdict";
        using var stream = typeof(BodyDictionaries).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The compression dictionary '{resource}' is not embedded in this build.");
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return new BodyDictionary(id, name, content.ToArray());
    }
}

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>
/// A Zstandard dictionary that stored bodies are compressed against. Every body names its
/// dictionary by <see cref="Id"/>, and every dictionary a body can name is stored in the database
/// (<c>body_dictionaries</c>), so a body stays readable whatever later builds ship.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A dictionary is Zstandard's name for it; it is not a collection.")]
public sealed class BodyDictionary(int id, string name, byte[] content)
{
    public int Id { get; } = id;

    /// <summary>What the dictionary was trained on, e.g. "step-bodies".</summary>
    public string Name { get; } = name;

    public byte[] Content { get; } = content;
}

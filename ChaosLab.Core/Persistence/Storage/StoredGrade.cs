using System.Text;

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>
/// How an episode's grade JSON is stored from schema 10 on (the <c>grade</c> column): compressed
/// against <see cref="BodyDictionaries.Grades"/>, about a tenth of its text. Decoding gives back
/// the exact string.
/// </summary>
public static class StoredGrade
{
    /// <summary>The first byte of every stored grade; a future layout gets a new number and this one stays readable.</summary>
    private const byte ZstdFormat = 1;

    public static byte[]? Encode(string? gradeJson) => gradeJson is null
        ? null
        : DictionaryCompression.Compress(ZstdFormat, Encoding.UTF8.GetBytes(gradeJson), BodyDictionaries.Grades);

    /// <summary>The id of the dictionary <paramref name="stored"/> was compressed against.</summary>
    public static int DictionaryId(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return DictionaryCompression.DictionaryId(stored);
    }

    /// <param name="dictionaries">The dictionary by id; the build's released ones if not given.</param>
    /// <exception cref="InvalidDataException">The grade is not one this build can read.</exception>
    public static string Decode(byte[] stored, Func<int, BodyDictionary>? dictionaries = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length == 0 || stored[0] != ZstdFormat)
        {
            throw new InvalidDataException($"A stored grade of format {(stored.Length == 0 ? "(empty)" : stored[0])} cannot be read by this build.");
        }

        return Encoding.UTF8.GetString(DictionaryCompression.Decompress(stored, dictionaries ?? BodyDictionaries.Find));
    }
}

using System.Security.Cryptography;
using ChaosLab.Core.Persistence.Storage;

namespace ChaosLab.Tests.Core.Persistence.Storage;

public sealed class StoredGradeTests
{
    private const string Grade = """
        {"score":0.3,"outcome":"partial","success":false,"components":[{"name":"score","value":0.3,"reason":"C x (0.85 \u002B 0.15 x P)"}],"criteria":[{"name":"population","expected":"4,210,000","observed":null,"verdict":"missing","weight":0.30000000000000004,"credit":0.30000000000000004}],"answer_key":{"note":"Caf\u00E9 \u2014 \uD83D\uDE00"}}
        """;

    [Fact]
    public void Decode_EncodedGrade_GivesBackTheExactText()
    {
        var stored = StoredGrade.Encode(Grade)!;

        Assert.Equal(Grade, StoredGrade.Decode(stored));
        Assert.Equal(BodyDictionaries.Grades.Id, StoredGrade.DictionaryId(stored));
        Assert.True(stored.Length < Grade.Length / 2, $"{stored.Length} bytes stored for a {Grade.Length}-character grade");
    }

    [Fact]
    public void Encode_NoGrade_StoresNull() => Assert.Null(StoredGrade.Encode(null));

    [Fact]
    public void Encode_SameGrade_GivesTheSameBytes() => Assert.Equal(StoredGrade.Encode(Grade), StoredGrade.Encode(Grade));

    [Fact]
    public void Decode_UnknownFormat_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => StoredGrade.Decode([7, 2, 0]));

    /// <summary>
    /// Stored bodies depend on every byte of the dictionary they name: a released dictionary that
    /// changed would make them undecodable. A better dictionary is a new file with a new id.
    /// </summary>
    [Theory]
    [InlineData(1, "step-bodies", "30e9cf03c54f16dceecd0b8c1931840c5006578b4e2d2ae2870a24ae00d33a5b")]
    [InlineData(2, "grades", "ee3f822e758796ece83dd54e184812bd2eb13eb9f454418dcb09272789a09e74")]
    public void ReleasedDictionary_NeverChanges(int id, string name, string sha256)
    {
        var dictionary = BodyDictionaries.Find(id);

        Assert.Equal((name, sha256), (dictionary.Name, Convert.ToHexStringLower(SHA256.HashData(dictionary.Content))));
        Assert.Contains(dictionary, BodyDictionaries.Released);
    }
}

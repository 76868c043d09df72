using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>The text columns of a recorded step, exactly as the recorder serialized them.</summary>
public sealed record StepText(
    string? ActionJson,
    string ObservationJson,
    string? CleanResult,
    string? DeliveredResult,
    string FaultsJson,
    string RewardComponentsJson,
    string? Error);

/// <summary>A large, repeated piece of a reset observation (e.g. a suite's tool list), stored once and named by its hash.</summary>
public sealed record StepFragment(string Hash, string Text);

/// <summary>
/// How a step's text columns are stored: one compressed body per step (the delivered result, the
/// observation that repeats it and the fault decisions compress well together), with the large
/// top-level members of the reset observation (the tool list, the instructions) replaced by
/// references to <see cref="StepFragment"/>s stored once. Decoding gives back the exact strings
/// that were encoded, byte for byte: the observation is cut and rejoined as text, never re-serialized.
/// </summary>
/// <remarks>
/// The first byte says how the rest is compressed; every format ever written stays readable.
/// Format 1 (schema 9): Brotli quality 9. Format 2 (schema 10 on, what <see cref="Encode"/> writes):
/// Zstandard against <see cref="BodyDictionaries.StepBodies"/> (<see cref="DictionaryCompression"/>).
/// Both compress the same <see cref="Payload"/> layout.
/// </remarks>
public static class StepBody
{
    /// <summary>Members of a reset observation at least this long (UTF-8 bytes of their JSON value) are stored as fragments.</summary>
    public const int FragmentThreshold = 512;

    private const byte BrotliFormat = 1;
    private const byte ZstdFormat = 2;

    private const byte LiteralSegment = 0;
    private const byte FragmentSegment = 1;

    /// <param name="stepIndex">Only the reset (index 0) is cut into fragments: its large members repeat across episodes.</param>
    /// <param name="fragments">Receives the fragments the body refers to.</param>
    public static byte[] Encode(int stepIndex, StepText text, ICollection<StepFragment> fragments)
    {
        using var payload = Payload(stepIndex, text, fragments);
        return DictionaryCompression.Compress(ZstdFormat, payload.GetBuffer().AsSpan(0, (int)payload.Length), BodyDictionaries.StepBodies);
    }

    /// <summary>
    /// The uncompressed layout of a body: what is compressed, and what compression dictionaries are
    /// trained on (the storage bench's <c>--train-dictionaries</c>).
    /// </summary>
    public static MemoryStream Payload(int stepIndex, StepText text, ICollection<StepFragment> fragments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fragments);
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WriteNullable(writer, text.ActionJson);
            var segments = stepIndex == 0 ? Cut(text.ObservationJson) : [(text.ObservationJson, false)];
            writer.Write7BitEncodedInt(segments.Count);
            foreach (var (segment, isFragment) in segments)
            {
                if (isFragment)
                {
                    var fragment = new StepFragment(Hash(segment), segment);
                    fragments.Add(fragment);
                    writer.Write(FragmentSegment);
                    writer.Write(fragment.Hash);
                }
                else
                {
                    writer.Write(LiteralSegment);
                    writer.Write(segment);
                }
            }

            WriteNullable(writer, text.CleanResult);
            WriteNullable(writer, text.DeliveredResult);
            writer.Write(text.FaultsJson);
            writer.Write(text.RewardComponentsJson);
            WriteNullable(writer, text.Error);
        }

        return payload;
    }

    /// <summary>The hashes of the fragments <paramref name="body"/> refers to.</summary>
    /// <param name="dictionaries">The dictionary by id; the build's released ones if not given.</param>
    public static IReadOnlyList<string> FragmentHashes(byte[] body, Func<int, BodyDictionary>? dictionaries = null)
    {
        var hashes = new List<string>();
        Read(body, hash =>
        {
            hashes.Add(hash);
            return "";
        }, dictionaries);
        return hashes;
    }

    /// <param name="fragment">The text of a fragment by its hash.</param>
    /// <param name="dictionaries">The dictionary by id; the build's released ones if not given.</param>
    /// <exception cref="InvalidDataException">The body is not one this build can read.</exception>
    public static StepText Decode(byte[] body, Func<string, string> fragment, Func<int, BodyDictionary>? dictionaries = null) =>
        Read(body, fragment, dictionaries);

    /// <summary>The id of the dictionary <paramref name="body"/> was compressed against, or null if it needs none.</summary>
    public static int? DictionaryId(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body.Length > 0 && body[0] == ZstdFormat ? DictionaryCompression.DictionaryId(body) : null;
    }

    /// <summary>The stable name of a fragment: its SHA-256, base64url, first 128 bits.</summary>
    public static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static StepText Read(byte[] body, Func<string, string> fragment, Func<int, BodyDictionary>? dictionaries)
    {
        ArgumentNullException.ThrowIfNull(body);
        using Stream payload = body.Length == 0 ? throw Unreadable(body) : body[0] switch
        {
            BrotliFormat => new BrotliStream(new MemoryStream(body, 1, body.Length - 1, writable: false), CompressionMode.Decompress),
            ZstdFormat => new MemoryStream(DictionaryCompression.Decompress(body, dictionaries ?? BodyDictionaries.Find), writable: false),
            _ => throw Unreadable(body),
        };
        using var reader = new BinaryReader(payload, Encoding.UTF8);
        var action = ReadNullable(reader);
        var observation = new StringBuilder();
        var segments = reader.Read7BitEncodedInt();
        for (var i = 0; i < segments; i++)
        {
            var kind = reader.ReadByte();
            var value = reader.ReadString();
            observation.Append(kind == FragmentSegment ? fragment(value) : value);
        }

        return new StepText(
            action,
            observation.ToString(),
            ReadNullable(reader),
            ReadNullable(reader),
            reader.ReadString(),
            reader.ReadString(),
            ReadNullable(reader));
    }

    /// <summary>
    /// The observation as text pieces: the JSON value of every top-level member of at least
    /// <see cref="FragmentThreshold"/> bytes is a piece of its own (a fragment), the text between
    /// them literal pieces. Anything that is not a JSON object stays one literal piece.
    /// </summary>
    private static List<(string Text, bool IsFragment)> Cut(string observation)
    {
        var utf8 = Encoding.UTF8.GetBytes(observation);
        var pieces = new List<(string, bool)>();
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return [(observation, false)];
            }

            var literalStart = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                var valueEnd = (int)reader.BytesConsumed;
                if (valueEnd - valueStart >= FragmentThreshold)
                {
                    pieces.Add((Encoding.UTF8.GetString(utf8, literalStart, valueStart - literalStart), false));
                    pieces.Add((Encoding.UTF8.GetString(utf8, valueStart, valueEnd - valueStart), true));
                    literalStart = valueEnd;
                }
            }

            pieces.Add((Encoding.UTF8.GetString(utf8, literalStart, utf8.Length - literalStart), false));
            return pieces;
        }
        catch (JsonException)
        {
            return [(observation, false)];
        }
    }

    private static InvalidDataException Unreadable(byte[] body) =>
        new($"A step body of format {(body.Length == 0 ? "(empty)" : body[0])} cannot be read by this build.");

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}

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
/// How a step's text columns are stored: one Brotli-compressed body per step (the delivered result, the
/// observation that repeats it and the fault decisions compress well together), with the large
/// top-level members of the reset observation (the tool list, the instructions) replaced by
/// references to <see cref="StepFragment"/>s stored once. Decoding gives back the exact strings
/// that were encoded, byte for byte: the observation is cut and rejoined as text, never re-serialized.
/// </summary>
public static class StepBody
{
    /// <summary>Members of a reset observation at least this long (UTF-8 bytes of their JSON value) are stored as fragments.</summary>
    public const int FragmentThreshold = 512;

    /// <summary>The first byte of every body; a future layout gets a new number and this one stays readable.</summary>
    private const byte FormatVersion = 1;

    /// <summary>
    /// Brotli's built-in dictionary of common words and markup helps texts this short (a kilobyte
    /// or two), where deflate has little history to refer back to. Measured on the storage bench:
    /// quality 9 stores 4% less than deflate at its smallest for the same CPU time; quality 11
    /// stores 6% less but costs the recorder's writer about three times the CPU per step.
    /// </summary>
    private const int BrotliQuality = 9;

    /// <summary>A 64 KB window: larger than any body, and the encoder's memory stays small.</summary>
    private const int BrotliWindowBits = 16;

    private const byte LiteralSegment = 0;
    private const byte FragmentSegment = 1;

    /// <param name="stepIndex">Only the reset (index 0) is cut into fragments: its large members repeat across episodes.</param>
    /// <param name="fragments">Receives the fragments the body refers to.</param>
    public static byte[] Encode(int stepIndex, StepText text, ICollection<StepFragment> fragments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fragments);
        using var payload = new MemoryStream();
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

        var source = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var body = new byte[1 + BrotliEncoder.GetMaxCompressedLength(source.Length)];
        body[0] = FormatVersion;
        if (!BrotliEncoder.TryCompress(source, body.AsSpan(1), out var written, BrotliQuality, BrotliWindowBits))
        {
            throw new InvalidOperationException("Brotli could not compress a step body into its maximum compressed length.");
        }

        return body[..(1 + written)];
    }

    /// <summary>The hashes of the fragments <paramref name="body"/> refers to.</summary>
    public static IReadOnlyList<string> FragmentHashes(byte[] body)
    {
        var hashes = new List<string>();
        Read(body, hash =>
        {
            hashes.Add(hash);
            return "";
        });
        return hashes;
    }

    /// <param name="fragment">The text of a fragment by its hash.</param>
    /// <exception cref="InvalidDataException">The body is not one this build can read.</exception>
    public static StepText Decode(byte[] body, Func<string, string> fragment) => Read(body, fragment);

    /// <summary>The stable name of a fragment: its SHA-256, base64url, first 128 bits.</summary>
    public static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static StepText Read(byte[] body, Func<string, string> fragment)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0 || body[0] != FormatVersion)
        {
            throw new InvalidDataException($"A step body of format {(body.Length == 0 ? "(empty)" : body[0])} cannot be read by this build.");
        }

        using var input = new MemoryStream(body, 1, body.Length - 1, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var reader = new BinaryReader(brotli, Encoding.UTF8);
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

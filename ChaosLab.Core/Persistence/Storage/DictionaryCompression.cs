using ZstdSharp;

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>
/// The stored layout shared by step bodies and grades: a format byte, the id of the
/// <see cref="BodyDictionary"/> (7-bit encoded) and a standard Zstandard frame compressed against
/// that dictionary, which any zstd tool given the dictionary can read.
/// </summary>
/// <remarks>
/// A step's body is a kilobyte or two, too short for a compressor to find much to refer back to in
/// it; a dictionary of what steps usually contain gives it that history up front. Measured on the
/// storage bench (seeds the dictionaries were not trained on): 163 bytes per body against 571 with
/// Brotli quality 9 (schema 9), for a sixth of the writer's CPU per step or less. Level 3 because
/// higher levels copy the dictionary's tables for every frame: level 9 stores 30 bytes less for
/// two to seven times the CPU.
/// </remarks>
internal static class DictionaryCompression
{
    private const int Level = 3;

    /// <summary>A bound on what a frame may declare, so a damaged size cannot allocate gigabytes.</summary>
    private const ulong MaxPayloadBytes = 64 * 1024 * 1024;

    public static byte[] Compress(byte format, ReadOnlySpan<byte> payload, BodyDictionary dictionary)
    {
        var headerLength = 1 + SevenBitLength(dictionary.Id);
        var stored = new byte[headerLength + Compressor.GetCompressBound(payload.Length)];
        stored[0] = format;
        WriteSevenBit(stored.AsSpan(1), dictionary.Id);
        var compressor = dictionary.RentCompressor(Level);
        var written = compressor.Wrap(payload, stored.AsSpan(headerLength));
        dictionary.Return(compressor);
        return stored[..(headerLength + written)];
    }

    /// <summary>The id of the dictionary <paramref name="stored"/> was compressed against.</summary>
    /// <exception cref="InvalidDataException">The header is cut short.</exception>
    public static int DictionaryId(ReadOnlySpan<byte> stored) => ReadHeader(stored).DictionaryId;

    /// <param name="dictionaries">The dictionary by id.</param>
    /// <exception cref="InvalidDataException">The frame is damaged or does not match the dictionary.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> stored, Func<int, BodyDictionary> dictionaries)
    {
        var (dictionaryId, headerLength) = ReadHeader(stored);
        var frame = stored[headerLength..];
        var dictionary = dictionaries(dictionaryId);
        // A context that failed on a damaged frame is dropped rather than returned for reuse.
        var decompressor = dictionary.RentDecompressor();
        try
        {
            var size = Decompressor.GetDecompressedSize(frame);
            if (size > MaxPayloadBytes)
            {
                throw new InvalidDataException($"A stored body's frame declares {size} bytes, more than any body holds.");
            }

            var payload = new byte[(int)size];
            var written = decompressor.Unwrap(frame, payload);
            if (written != payload.Length)
            {
                throw new InvalidDataException($"A stored body decompressed to {written} bytes where its frame says {size}.");
            }

            dictionary.Return(decompressor);
            return payload;
        }
        catch (ZstdException exception)
        {
            decompressor.Dispose();
            throw new InvalidDataException($"A stored body compressed against dictionary {dictionaryId} cannot be decompressed: {exception.Message}", exception);
        }
        catch
        {
            decompressor.Dispose();
            throw;
        }
    }

    private static (int DictionaryId, int HeaderLength) ReadHeader(ReadOnlySpan<byte> stored)
    {
        var id = 0;
        for (var i = 1; i < Math.Min(stored.Length, 6); i++)
        {
            id |= (stored[i] & 0x7F) << (7 * (i - 1));
            if ((stored[i] & 0x80) == 0)
            {
                return (id, i + 1);
            }
        }

        throw new InvalidDataException("A stored body's header is cut short.");
    }

    private static int SevenBitLength(int value)
    {
        var length = 1;
        while ((value >>= 7) != 0)
        {
            length++;
        }

        return length;
    }

    private static void WriteSevenBit(Span<byte> target, int value)
    {
        var i = 0;
        for (; value >= 0x80; value >>= 7)
        {
            target[i++] = (byte)(value | 0x80);
        }

        target[i] = (byte)value;
    }
}

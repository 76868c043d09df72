using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ChaosLab.Core.Environment;

/// <summary>
/// Independent random streams derived from (seed, purpose) with SHA-256, so adding a draw for one
/// purpose never shifts another, and every process and machine derives the same values.
/// (Never <see cref="Random"/> seeded from <see cref="HashCode"/> or <c>string.GetHashCode</c>:
/// those are randomized per process.)
/// </summary>
public static class SeededStreams
{
    /// <summary>A stable 64-bit hash of the seed and the parts, in order.</summary>
    public static ulong Hash(long seed, params ReadOnlySpan<string> parts)
    {
        var length = 8;
        foreach (var part in parts)
        {
            length += 4 + Encoding.UTF8.GetByteCount(part);
        }

        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, seed);
        var offset = 8;
        foreach (var part in parts)
        {
            // Length-prefixed, so ("ab","c") and ("a","bc") differ.
            var written = Encoding.UTF8.GetBytes(part, buffer[(offset + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(buffer[offset..], written);
            offset += 4 + written;
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer[..offset], digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    /// <summary>A stable draw in [0, 1) for the seed and the parts.</summary>
    public static double Unit(long seed, params ReadOnlySpan<string> parts) => ToUnit(Hash(seed, parts));

    /// <summary>A stream of draws for one purpose.</summary>
    public static DeterministicRandom Stream(long seed, string purpose) => new(Hash(seed, purpose));

    internal static double ToUnit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));
}

/// <summary>SplitMix64: small, fast, and identical on every platform.</summary>
public sealed class DeterministicRandom(ulong state)
{
    private ulong _state = state;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A draw in [0, 1).</summary>
    public double NextDouble() => SeededStreams.ToUnit(NextUInt64());

    /// <summary>A draw in [min, max).</summary>
    public int Next(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(min, max);
        return min + (int)(NextUInt64() % (ulong)(max - min));
    }

    public double NextDouble(double min, double max) => min + (NextDouble() * (max - min));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    /// <summary>A deterministic Fisher-Yates shuffle into a new list.</summary>
    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(0, i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}

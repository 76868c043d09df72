using System.Collections.Concurrent;
using ZstdSharp;
using ZstdSharp.Unsafe;

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

    // zstd contexts with this dictionary loaded (a compressor holds about 670 KB, a decompressor
    // 350 KB): not thread-safe, so each use rents one; there are as many as uses ever overlapped.
    private readonly ConcurrentBag<Compressor> _compressors = [];
    private readonly ConcurrentBag<Decompressor> _decompressors = [];

    internal Compressor RentCompressor(int level)
    {
        if (_compressors.TryTake(out var compressor))
        {
            return compressor;
        }

        compressor = new Compressor(level);
        compressor.LoadDictionary(Content);
        // The stored header names the dictionary already; zstd's own id would be 4 more bytes.
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_dictIDFlag, 0);
        return compressor;
    }

    internal void Return(Compressor compressor) => _compressors.Add(compressor);

    internal Decompressor RentDecompressor()
    {
        if (_decompressors.TryTake(out var decompressor))
        {
            return decompressor;
        }

        decompressor = new Decompressor();
        decompressor.LoadDictionary(Content);
        return decompressor;
    }

    internal void Return(Decompressor decompressor) => _decompressors.Add(decompressor);
}

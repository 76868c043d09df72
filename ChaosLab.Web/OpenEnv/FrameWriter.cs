using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// Serializes one outgoing frame into a buffer rented from the shared pool, given back on
/// dispose: a reply costs no array of its own, and a connection holds no buffer between replies.
/// The bytes are exactly those of <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonTypeInfo{TValue})"/>.
/// </summary>
internal sealed class FrameWriter : IBufferWriter<byte>, IDisposable
{
    private const int FirstBufferBytes = 4 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
    private int _written;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _written);

    public static FrameWriter Serialize<T>(T frame, JsonTypeInfo<T> typeInfo)
    {
        var frameWriter = new FrameWriter();
        var options = typeInfo.Options;
        using (var json = new Utf8JsonWriter(frameWriter, new JsonWriterOptions
        {
            // The serializer's own writer settings: a writer passed in is used as it is configured.
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
            MaxDepth = options.MaxDepth,
            SkipValidation = true,
        }))
        {
            JsonSerializer.Serialize(json, frame, typeInfo);
        }

        return frameWriter;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}

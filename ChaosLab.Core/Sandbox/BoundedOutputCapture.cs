using System.Text;

namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Drains one output pipe of a sandboxed process, keeping at most a fixed number of bytes. The
/// pipe is read to its end even past the cap so the writer never blocks on a full pipe; the cap
/// callback lets the owner kill the writer instead of waiting for it.
/// </summary>
internal sealed class BoundedOutputCapture
{
    private readonly Stream _source;
    private readonly byte[] _kept;
    private readonly Action _onCapExceeded;
    private int _length;

    public BoundedOutputCapture(Stream source, int maxBytes, Action onCapExceeded)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _source = source;
        _kept = new byte[maxBytes];
        _onCapExceeded = onCapExceeded;
    }

    public bool Truncated { get; private set; }

    /// <summary>Completes when the pipe closes, which for a killed sandbox is when its last process has died.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await _source.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }

            var room = _kept.Length - _length;
            if (read <= room)
            {
                buffer.AsSpan(0, read).CopyTo(_kept.AsSpan(_length));
                _length += read;
            }
            else
            {
                buffer.AsSpan(0, room).CopyTo(_kept.AsSpan(_length));
                _length += room;
                if (!Truncated)
                {
                    Truncated = true;
                    _onCapExceeded();
                }
            }
        }
    }

    /// <summary>The kept bytes as UTF-8; a character cut by the cap decodes to U+FFFD.</summary>
    public string Text => Encoding.UTF8.GetString(_kept, 0, _length);
}

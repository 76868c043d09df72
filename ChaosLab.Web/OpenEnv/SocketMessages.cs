using System.Buffers;
using System.Net.WebSockets;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// Reads whole WebSocket messages into a pooled buffer, up to a size cap. An oversized message is
/// drained and reported, so the connection stays usable. The buffer is taken when a message
/// arrives and given back at the next receive: a connection waiting for its client holds none,
/// which is most of what 10,000 idle sessions would otherwise cost.
/// </summary>
internal sealed class SocketMessages(WebSocket socket, int maxBytes) : IDisposable
{
    private const int FirstBufferBytes = 4 * 1024;
    private byte[]? _buffer;

    /// <summary>A whole message, or <see cref="SocketMessage.Closed"/> / <see cref="SocketMessage.TooLarge"/>.</summary>
    public async Task<SocketMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        ReturnBuffer();

        // A zero-byte read waits for the next message without holding a buffer.
        var next = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (next.MessageType == WebSocketMessageType.Close)
        {
            return SocketMessage.Closed;
        }

        if (next.EndOfMessage)
        {
            return new SocketMessage(ReadOnlyMemory<byte>.Empty, SocketMessageKind.Data);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBufferBytes, maxBytes));
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            var capacity = Math.Min(_buffer.Length, maxBytes);
            if (length == capacity && !tooLarge)
            {
                if (capacity == maxBytes)
                {
                    tooLarge = true;
                }
                else
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxBytes));
                    _buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = bigger;
                    capacity = Math.Min(_buffer.Length, maxBytes);
                }
            }

            // Past the cap, keep reading into the buffer's start only to drain the message.
            var target = tooLarge ? _buffer.AsMemory() : _buffer.AsMemory(length, capacity - length);
            var result = await socket.ReceiveAsync(target, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return SocketMessage.Closed;
            }

            if (!tooLarge)
            {
                length += result.Count;
            }

            if (result.EndOfMessage)
            {
                return tooLarge ? SocketMessage.TooLarge : new SocketMessage(_buffer.AsMemory(0, length), SocketMessageKind.Data);
            }
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken) =>
        socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>
    /// Sends the close frame (1000). Does not wait for the peer's reply, because a receive may
    /// still be pending when the server ends an idle session.
    /// </summary>
    public async Task CloseAsync(string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The peer vanished mid-close; nothing left to tell it.
            }
        }
    }

    public void Dispose() => ReturnBuffer();

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}

internal enum SocketMessageKind
{
    Data,
    Closed,
    TooLarge,
}

/// <summary>The payload is only valid until the next receive.</summary>
internal readonly record struct SocketMessage(ReadOnlyMemory<byte> Payload, SocketMessageKind Kind)
{
    public static SocketMessage Closed => new(default, SocketMessageKind.Closed);

    public static SocketMessage TooLarge => new(default, SocketMessageKind.TooLarge);
}

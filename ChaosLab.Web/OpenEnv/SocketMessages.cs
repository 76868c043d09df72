using System.Buffers;
using System.Net.WebSockets;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// Reads whole WebSocket messages into one reusable buffer, up to a size cap. An oversized
/// message is drained and reported, so the connection stays usable.
/// </summary>
internal sealed class SocketMessages(WebSocket socket, int maxBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    /// <summary>A whole message, or <see cref="SocketMessage.Closed"/> / <see cref="SocketMessage.TooLarge"/>.</summary>
    public async Task<SocketMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
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

    public Task SendAsync(byte[] utf8Json, CancellationToken cancellationToken) =>
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

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
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

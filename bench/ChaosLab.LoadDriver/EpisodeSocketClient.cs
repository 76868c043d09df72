using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace ChaosLab.LoadDriver;

/// <summary>
/// A minimal OpenEnv /ws client: send a frame, read the one reply. Kept cheap so the driver is
/// not what limits the rate: no buffer is held between requests (10,000 idle clients hold only
/// their sockets), and a reply is classified by scanning its bytes rather than parsing it.
/// </summary>
internal sealed class EpisodeSocketClient : IAsyncDisposable
{
    private static readonly byte[] ErrorPrefix = "{\"type\":\"error\""u8.ToArray();
    private static readonly byte[] EpisodeDone = ""","done":true,"episode_id":"""u8.ToArray();
    private readonly ClientWebSocket _socket = new();

    public static async Task<EpisodeSocketClient> ConnectAsync(Uri server)
    {
        var client = new EpisodeSocketClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await client._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        return client;
    }

    /// <returns>Whether the reply ended the episode (<c>"done":true</c>); throws on an error frame.</returns>
    public async Task<bool> RequestAsync(byte[] frame)
    {
        await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"Server closed the socket: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    break;
                }
            }

            var reply = buffer.AsSpan(0, length);
            if (reply.StartsWith(ErrorPrefix))
            {
                throw new InvalidOperationException("Error frame: " + Encoding.UTF8.GetString(reply));
            }

            // The reply's envelope ends {...,"reward":..,"done":..,"episode_id":..}: its own
            // "done" is the last one, after the observation.
            return reply.LastIndexOf(EpisodeDone) >= 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        _socket.Dispose();
    }
}

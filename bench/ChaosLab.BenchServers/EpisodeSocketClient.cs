using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace ChaosLab.BenchServers;

/// <summary>
/// A minimal OpenEnv /ws client for the load tools: send a frame, read the one reply. Kept cheap so
/// the driver is not what limits the rate: no buffer is held between requests (10,000 idle clients
/// hold only their sockets), and a reply is classified by scanning its bytes rather than parsing it.
/// </summary>
public sealed class EpisodeSocketClient : IAsyncDisposable
{
    private static readonly byte[] ErrorPrefix = "{\"type\":\"error\""u8.ToArray();
    private static readonly byte[] EpisodeDone = ""","done":true,"episode_id":"""u8.ToArray();
    private readonly ClientWebSocket _socket = new();

    /// <summary>The replica that holds the session: as the caller named it, else as the balancer's handshake reply did; empty when neither.</summary>
    public string Replica { get; private set; } = "";

    /// <param name="replica">The replica <paramref name="server"/> is, when the caller chose it.</param>
    /// <param name="replicaHeader">For a balancer: the handshake reply's header that names the replica it chose (required then).</param>
    public static async Task<EpisodeSocketClient> ConnectAsync(Uri server, string? replica = null, string? replicaHeader = null)
    {
        var client = new EpisodeSocketClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        client._socket.Options.CollectHttpResponseDetails = replica is null && replicaHeader is not null;
        await client._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        client.Replica = replica
            ?? (replicaHeader is null ? "" : client._socket.HttpResponseHeaders?.FirstOrDefault(h => string.Equals(h.Key, replicaHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault()
                ?? throw new InvalidOperationException($"The balancer's reply has no {replicaHeader} header."));

        // Held by thousands of idle clients: keep only the name.
        client._socket.HttpResponseHeaders = null;
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

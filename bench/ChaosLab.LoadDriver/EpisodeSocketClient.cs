using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChaosLab.LoadDriver;

/// <summary>A minimal OpenEnv /ws client: send a frame, read the one reply.</summary>
internal sealed class EpisodeSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[256 * 1024];

    public static async Task<EpisodeSocketClient> ConnectAsync(Uri server)
    {
        var client = new EpisodeSocketClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await client._socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        return client;
    }

    /// <returns>The reply's <c>data.done</c>; throws on an error frame.</returns>
    public async Task<bool> RequestAsync(byte[] frame)
    {
        await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
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

        using var reply = JsonDocument.Parse(_buffer.AsMemory(0, length));
        var root = reply.RootElement;
        if (root.GetProperty("type").GetString() == "error")
        {
            throw new InvalidOperationException("Error frame: " + Encoding.UTF8.GetString(_buffer, 0, length));
        }

        return root.GetProperty("data").TryGetProperty("done", out var done) && done.GetBoolean();
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

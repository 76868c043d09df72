using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// Speaks OpenEnv's <c>/ws</c> wire the way the Python client does: compact JSON text frames,
/// one reply per frame. Deliberately raw, so tests check bytes on the wire, not our own types.
/// </summary>
public sealed class WireClient : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket = new();

    private WireClient()
    {
    }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<WireClient> ConnectAsync(Uri address)
    {
        var client = new WireClient();
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await client._socket.ConnectAsync(address, timeout.Token);
        return client;
    }

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SendAsync(JsonNode frame) => SendRawAsync(frame.ToJsonString());

    /// <summary>Sends bytes as they are, e.g. invalid UTF-8 in a binary frame (a text frame must be valid UTF-8).</summary>
    public async Task SendBytesAsync(byte[] payload, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _socket.SendAsync(payload, type, true, timeout.Token);
    }

    /// <summary>The next frame as text, or null when the server closed the socket.</summary>
    public async Task<string?> ReceiveRawAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    public async Task<JsonObject> ReceiveAsync()
    {
        var text = await ReceiveRawAsync() ?? throw new InvalidOperationException($"The server closed the socket ({CloseStatus}).");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> RequestAsync(JsonNode frame)
    {
        await SendAsync(frame);
        return await ReceiveAsync();
    }

    /// <summary>Waits for the server's close frame and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        var text = await ReceiveRawAsync();
        Assert.Null(text);
        return CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; the test has its answer.
            }
        }

        _socket.Dispose();
    }
}

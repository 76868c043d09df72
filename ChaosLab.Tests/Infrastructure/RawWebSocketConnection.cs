using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// A WebSocket spoken over a bare TCP socket: the handshake and frame headers by hand, and no
/// automatic answers. <see cref="System.Net.WebSockets.ClientWebSocket"/> replies to Pings and
/// hides control frames, so only this can show which control frames the server really sends.
/// </summary>
public sealed class RawWebSocketConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>A control or data frame as it arrived (payloads from the server are unmasked).</summary>
    public readonly record struct Frame(int Opcode, byte[] Payload)
    {
        public const int Text = 0x1;
        public const int Close = 0x8;
        public const int Ping = 0x9;
        public const int Pong = 0xA;
    }

    public static async Task<RawWebSocketConnection> ConnectAsync(Uri address, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, cancellationToken);
        var connection = new RawWebSocketConnection(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {address.PathAndQuery} HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await connection._stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        var head = await connection.ReadResponseHeadAsync(cancellationToken);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The server refused the upgrade: {head}");
        }

        return connection;
    }

    /// <summary>The next frame, or null when the server closed or aborted the TCP connection.</summary>
    public async Task<Frame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        try
        {
            var header = new byte[2];
            if (!await ReadExactlyOrEndAsync(header, cancellationToken))
            {
                return null;
            }

            long length = header[1] & 0x7F;
            if (length >= 126)
            {
                var extended = new byte[length == 126 ? 2 : 8];
                await _stream.ReadExactlyAsync(extended, cancellationToken);
                length = extended.Aggregate(0L, (value, b) => (value << 8) | b);
            }

            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, cancellationToken);
            return new Frame(header[0] & 0x0F, payload);
        }
        catch (IOException)
        {
            // An abort resets the connection: that is the server giving up on this peer.
            return null;
        }
    }

    /// <summary>Sends a text frame.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Frame.Text, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Answers a Ping, echoing its payload as RFC 6455 requires.</summary>
    public Task SendPongAsync(byte[] pingPayload, CancellationToken cancellationToken) =>
        SendAsync(Frame.Pong, pingPayload, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    // Masked, as every client frame must be; short payloads only, which is all the tests send.
    private async Task SendAsync(int opcode, byte[] payload, CancellationToken cancellationToken)
    {
        if (payload.Length >= 126)
        {
            throw new ArgumentException("Short frames only.", nameof(payload));
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        byte[] frame = [(byte)(0x80 | opcode), (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
        await _stream.WriteAsync(frame, cancellationToken);
    }

    private async Task<string> ReadResponseHeadAsync(CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!CollectionsMarshal.AsSpan(head).EndsWith("\r\n\r\n"u8))
        {
            await _stream.ReadExactlyAsync(one, cancellationToken);
            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

using System.ComponentModel.DataAnnotations;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Frame = ChaosLab.Tests.Infrastructure.RawWebSocketConnection.Frame;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>A server that pings WebSocket peers every second and gives up after one unanswered second.</summary>
public sealed class QuickPingAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>
{
    ["ChaosLab:WebSocketKeepAliveInterval"] = "00:00:01",
    ["ChaosLab:WebSocketKeepAliveTimeout"] = "00:00:01",
});

/// <summary>Keep-alive on <c>/ws</c> and <c>WS /mcp</c>: real Pings, and dead peers are dropped.</summary>
public sealed class WebSocketKeepAliveTests(QuickPingAppFactory app) : IClassFixture<QuickPingAppFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("/ws")]
    [InlineData("/mcp")]
    public async Task Socket_IdlePeer_ServerSendsPingFrame(string path)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var connection = await RawWebSocketConnection.ConnectAsync(app.WebSocketAddress(path), timeout.Token);

        var frame = await connection.ReadFrameAsync(timeout.Token);

        // An unsolicited Pong (0xA) is what ASP.NET sends without a keep-alive timeout; it proves nothing.
        Assert.Equal(Frame.Ping, frame?.Opcode);
    }

    [Fact]
    public async Task EpisodeSocket_PeerNeverAnswersPing_ConnectionAbortedAndSessionClosed()
    {
        var sessions = app.Services.GetRequiredService<SessionRegistry>();
        using var timeout = new CancellationTokenSource(Patience);
        await using var connection = await RawWebSocketConnection.ConnectAsync(app.WebSocketAddress("/ws"), timeout.Token);
        await connection.SendTextAsync("""{"type":"reset","data":{"seed":4,"episode_id":"never-pongs"}}""", timeout.Token);

        var frames = new List<Frame>();
        while (await connection.ReadFrameAsync(timeout.Token) is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Equal(Frame.Text, frames[0].Opcode);
        Assert.Contains(frames, f => f.Opcode == Frame.Ping);

        // Closing the dropped peer's session abandons its episode: await that record, then the claim is gone.
        var abandoned = await StoreWaiter.WaitForAsync(
            app.Services.GetRequiredService<IEpisodeFeed>(), app.Services.GetRequiredService<EpisodeStore>(), "never-pongs", t => t.Episode.EndedAt is not null, Patience);
        Assert.Equal("abandoned", abandoned.Episode.Outcome);
        Assert.False(sessions.EpisodeInUse("never-pongs"));
    }

    [Theory]
    [InlineData("00:00:00", "00:00:20")]
    [InlineData("00:00:20", "00:00:00.500")]
    [InlineData("02:00:00", "00:00:20")]
    public void Options_KeepAliveOutOfRange_Invalid(string interval, string timeout)
    {
        var options = new OpenEnvOptions
        {
            WebSocketKeepAliveInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture),
            WebSocketKeepAliveTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }

    internal static async Task<Frame> NextDataFrameAsync(RawWebSocketConnection connection, CancellationToken cancellationToken)
    {
        while (await connection.ReadFrameAsync(cancellationToken) is { } frame)
        {
            if (frame.Opcode == Frame.Ping)
            {
                await connection.SendPongAsync(frame.Payload, cancellationToken);
                continue;
            }

            return frame;
        }

        throw new InvalidOperationException("The server closed the connection.");
    }
}

/// <summary>
/// A server that pings every second but waits three for the answer: a peer that answers must stay
/// connected even when a loaded machine delays its Pong past one second.
/// </summary>
public sealed class PatientPingAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>
{
    ["ChaosLab:WebSocketKeepAliveInterval"] = "00:00:01",
    ["ChaosLab:WebSocketKeepAliveTimeout"] = "00:00:03",
});

public sealed class WebSocketKeepAliveAnsweredTests(PatientPingAppFactory app) : IClassFixture<PatientPingAppFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EpisodeSocket_PeerAnswersPings_StaysOpenPastTheTimeout()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var connection = await RawWebSocketConnection.ConnectAsync(app.WebSocketAddress("/ws"), timeout.Token);
        await connection.SendTextAsync("""{"type":"reset","data":{"seed":6}}""", timeout.Token);
        Assert.Equal(Frame.Text, (await connection.ReadFrameAsync(timeout.Token))?.Opcode);

        // Five answered Pings span five intervals, past the three-second timeout.
        for (var answered = 0; answered < 5;)
        {
            var ping = await connection.ReadFrameAsync(timeout.Token) ?? throw new InvalidOperationException("The server dropped a peer that answers its Pings.");
            Assert.Equal(Frame.Ping, ping.Opcode);
            await connection.SendPongAsync(ping.Payload, timeout.Token);
            answered++;
        }

        await connection.SendTextAsync("""{"type":"state"}""", timeout.Token);
        var reply = await WebSocketKeepAliveTests.NextDataFrameAsync(connection, timeout.Token);

        Assert.Contains("\"seed\":6", System.Text.Encoding.UTF8.GetString(reply.Payload), StringComparison.Ordinal);
    }
}

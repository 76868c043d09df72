using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>
/// Closes sessions nobody used for <see cref="OpenEnvOptions.SessionIdleTimeout"/>, so leaked
/// clients cannot exhaust capacity. WebSocket sessions are told why before their socket closes.
/// </summary>
internal sealed partial class SessionReaper(SessionRegistry registry, IOptions<OpenEnvOptions> options, TimeProvider timeProvider, ILogger<SessionReaper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = options.Value.SessionIdleTimeout;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(period, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReapAsync();
        }
    }

    internal async Task ReapAsync()
    {
        foreach (var session in registry.IdleSessions())
        {
            LogReaping(logger, session.Id, session.ClientKind, session.IdleFor);
            if (session.OwnedBySocket)
            {
                session.Expire();
            }
            else
            {
                await registry.CloseAsync(session, "session idle timeout");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing idle session {SessionId} ({ClientKind}, idle for {IdleFor})")]
    private static partial void LogReaping(ILogger logger, string sessionId, string clientKind, TimeSpan idleFor);
}

using Npgsql;

namespace ChaosLab.Web.Services.Replicas;

/// <summary>
/// Replicas' notes to each other over PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c>: short texts, never
/// content (payloads are capped at 8000 bytes, and what they point at is in the shared store).
/// Delivery is best effort: a note sent while a listener was disconnected is not resent, which is
/// why <see cref="ListenAsync"/> tells its caller each time it (re)starts listening.
/// </summary>
internal static partial class PostgresChannel
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Sends <paramref name="payloads"/> on <paramref name="channel"/> in one round trip.</summary>
    public static async Task NotifyAsync(NpgsqlDataSource dataSource, string channel, IReadOnlyCollection<string> payloads, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT pg_notify('{channel}', payload) FROM unnest(@payloads) AS payload");
        command.Parameters.Add(new NpgsqlParameter<string[]>("payloads", [.. payloads]));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Listens on <paramref name="channel"/> on a connection of its own until stopped, reconnecting
    /// after a failure. <paramref name="onListening"/> (if any) runs each time listening (re)starts, before
    /// any payload of that connection; <paramref name="onPayload"/> runs on Npgsql's reader and must
    /// not block.
    /// </summary>
    public static async Task ListenAsync(
        NpgsqlDataSource dataSource, string channel, Action<string> onPayload, Action? onListening, TimeProvider time, ILogger logger, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => onPayload(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                onListening?.Invoke();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
            {
                LogListenFailed(logger, ex, channel);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    /// <summary>The pause before sending again after a failed send.</summary>
    public static Task PauseAfterFailureAsync(TimeProvider time, CancellationToken stoppingToken) => Task.Delay(RetryDelay, time, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the other replicas' notes on {Channel}; listening again")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, string channel);
}

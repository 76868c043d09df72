using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Replicas;

namespace ChaosLab.Web.Services.Replicas;

/// <summary>
/// On PostgreSQL, tells the other replicas this one is alive every <see cref="ReplicaRegistry.BeatInterval"/>
/// and records as abandoned the running episodes of replicas that stopped beating (killed, or cut
/// off for longer than <see cref="ReplicaRegistry.Lease"/>). Nothing to do for one SQLite process.
/// </summary>
internal sealed partial class ReplicaHeartbeat(StoreDatabase database, ReplicaRegistry replicas, TimeProvider time, ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres)
        {
            return;
        }

        using var timer = new PeriodicTimer(ReplicaRegistry.BeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await replicas.BeatAsync(stoppingToken);
                    if (await replicas.AbandonOrphansAsync(includeOwn: false, ReplicaRegistry.Lease, stoppingToken) is > 0 and var ended)
                    {
                        LogOrphansEnded(logger, ended);
                    }
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // The next beat tries again; six in a row missed and the others give this replica up.
                    LogBeatFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} episodes of a replica that stopped beating are now recorded as abandoned")]
    private static partial void LogOrphansEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record this replica's heartbeat")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}

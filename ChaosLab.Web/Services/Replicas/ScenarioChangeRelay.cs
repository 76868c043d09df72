using System.Threading.Channels;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Replicas;
using ChaosLab.Core.Scenarios;
using Npgsql;

namespace ChaosLab.Web.Services.Replicas;

/// <summary>
/// A scenario version published on one replica is playable on every replica at once. Resets read a
/// snapshot of the latest versions held in memory (<see cref="ScenarioStore"/>); on PostgreSQL this
/// replica announces its own additions on <see cref="ChannelName"/> (its replica id, nothing more)
/// and drops its snapshot when another replica announces one, or when it (re)starts listening and
/// may have missed some, so the next reset reads the store again. On SQLite (one process) it does nothing.
/// </summary>
internal sealed partial class ScenarioChangeRelay(
    StoreDatabase database, ScenarioStore scenarios, ReplicaIdentity replica, TimeProvider time, ILogger<ScenarioChangeRelay> logger) : BackgroundService
{
    /// <summary>The PostgreSQL notification channel of scenario additions.</summary>
    public const string ChannelName = "chaoslab_scenarios";

    // Additions made while a note is waiting to go out need no note of their own.
    private readonly Channel<bool> _added = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresStoreDatabase postgres)
        {
            return;
        }

        scenarios.VersionsAdded += OnVersionsAdded;
        try
        {
            var listen = PostgresChannel.ListenAsync(postgres.DataSource, ChannelName, payload =>
            {
                if (payload != replica.Id)
                {
                    scenarios.Forget();
                }
            }, onListening: scenarios.Forget, time, logger, stoppingToken);
            await Task.WhenAll(SendAsync(postgres.DataSource, stoppingToken), listen);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            scenarios.VersionsAdded -= OnVersionsAdded;
        }
    }

    private void OnVersionsAdded() => _added.Writer.TryWrite(true);

    private async Task SendAsync(NpgsqlDataSource dataSource, CancellationToken stoppingToken)
    {
        await foreach (var _ in _added.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await PostgresChannel.NotifyAsync(dataSource, ChannelName, [replica.Id], stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogSendFailed(logger, ex);
                await PostgresChannel.PauseAfterFailureAsync(time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other replicas of new scenario versions; they see them after their next reconnect or restart")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}

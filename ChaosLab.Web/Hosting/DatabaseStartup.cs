using ChaosLab.Core;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Replicas;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// Takes the data directory for this process (SQLite: one process per file; PostgreSQL is shared by
/// replicas), brings the database to the current schema before
/// the server accepts requests, loads the seal key (on PostgreSQL from the store), and ends the episodes a crash left running: no session of this
/// process can continue them, so they are recorded as abandoned (with their last durable step)
/// instead of showing as running forever.
/// </summary>
internal sealed partial class DatabaseStartup(
    DatabaseInitializer initializer,
    StoreDatabase database,
    EpisodeStore store,
    ReplicaRegistry replicas,
    SealKeySource sealKey,
    IOptions<ChaosLabOptions> options,
    TimeProvider timeProvider,
    ILogger<DatabaseStartup> logger) : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!database.IsPostgres)
            {
                _lock = DataDirectoryLock.Acquire(options.Value.DatabasePath);
            }

            var previousVersion = await initializer.InitializeAsync(cancellationToken);
            LogReady(logger, SchemaHistory.CurrentVersion, previousVersion);
            await sealKey.LoadAsync(cancellationToken);
            // One process on SQLite: whatever still runs was interrupted. Replicas on PostgreSQL:
            // only this replica's leftovers and those of replicas gone quiet; the others' run on.
            var interrupted = database.IsPostgres
                ? await BeatAndAbandonOrphansAsync(cancellationToken)
                : await store.AbandonInterruptedAsync(timeProvider.GetUtcNow(), cancellationToken);
            if (interrupted > 0)
            {
                LogInterrupted(logger, interrupted);
            }
        }
        catch (Exception ex) when (ex is SchemaVersionException or DataDirectoryInUseException)
        {
            LogRefused(logger, ex.Message);
            throw;
        }
    }

    private async Task<int> BeatAndAbandonOrphansAsync(CancellationToken cancellationToken)
    {
        await replicas.BeatAsync(cancellationToken);
        return await replicas.AbandonOrphansAsync(includeOwn: true, ReplicaRegistry.Lease, cancellationToken);
    }

    // The lock is held until the host is disposed, after every hosted service (the recorder's
    // final writes included) has stopped.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready (schema version {Version}, was {Previous})")]
    private static partial void LogReady(ILogger logger, int version, int previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} episodes were left running by an earlier stop and are now recorded as abandoned")]
    private static partial void LogInterrupted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "ChaosLab cannot start: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

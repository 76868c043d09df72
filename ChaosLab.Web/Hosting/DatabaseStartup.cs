using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;

namespace ChaosLab.Web.Hosting;

/// <summary>
/// Brings the database to the current schema before the server accepts requests, and ends the
/// episodes a crash left running: no session of this process can continue them, so they are
/// recorded as abandoned (with their last durable step) instead of showing as running forever.
/// </summary>
internal sealed partial class DatabaseStartup(DatabaseInitializer initializer, EpisodeStore store, TimeProvider timeProvider, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var previousVersion = await initializer.InitializeAsync(cancellationToken);
            LogReady(logger, SchemaHistory.CurrentVersion, previousVersion);
            var interrupted = await store.AbandonInterruptedAsync(timeProvider.GetUtcNow(), cancellationToken);
            if (interrupted > 0)
            {
                LogInterrupted(logger, interrupted);
            }
        }
        catch (SchemaVersionException ex)
        {
            LogRefused(logger, ex.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready (schema version {Version}, was {Previous})")]
    private static partial void LogReady(ILogger logger, int version, int previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} episodes were left running by an earlier stop and are now recorded as abandoned")]
    private static partial void LogInterrupted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "ChaosLab cannot start: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

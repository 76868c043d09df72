using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;

namespace ChaosLab.Web.Hosting;

/// <summary>Brings the database to the current schema before the server accepts requests.</summary>
internal sealed partial class DatabaseStartup(DatabaseInitializer initializer, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var previousVersion = await initializer.InitializeAsync(cancellationToken);
            LogReady(logger, SchemaHistory.CurrentVersion, previousVersion);
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

    [LoggerMessage(Level = LogLevel.Critical, Message = "ChaosLab cannot start: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

using System.Data.Common;
using ChaosLab.Core.Persistence.Retention;

namespace ChaosLab.Web.Services;

/// <summary>
/// Runs <see cref="EpisodeRetention"/> in the background: batch after batch with a pause between
/// them while there is something to prune, then every <see cref="RetentionOptions.Interval"/>.
/// Off unless a retention limit is configured.
/// </summary>
internal sealed partial class RetentionService(EpisodeRetention retention, TimeProvider timeProvider, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = retention.Options;
        if (!options.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var total = 0;
                int deleted;
                do
                {
                    deleted = await PruneAsync(stoppingToken);
                    total += deleted;
                    await Task.Delay(options.BatchPause, timeProvider, stoppingToken);
                }
                while (deleted == options.BatchSize);

                if (total > 0)
                {
                    LogPruned(logger, total);
                }

                await Task.Delay(options.Interval, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> PruneAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await retention.PruneBatchAsync(timeProvider.GetUtcNow(), stoppingToken);
        }
        catch (DbException ex)
        {
            // A busy or failing store (SqliteException, NpgsqlException and PostgresException are all
            // DbExceptions) is retried at the next interval; serving goes on.
            LogFailed(logger, ex);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention pruned {Count} practice episodes")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not prune this time; it tries again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

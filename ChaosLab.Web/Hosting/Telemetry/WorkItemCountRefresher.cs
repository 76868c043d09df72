using System.Data.Common;
using ChaosLab.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Hosting.Telemetry;

/// <summary>
/// Counts the store's evaluation work items every <see cref="MetricsOptions.WorkItemRefreshInterval"/>
/// while metrics are on, so the gauge answers a scrape from memory.
/// </summary>
internal sealed partial class WorkItemCountRefresher(
    EvaluationWorkItemCounts counts, IOptions<MetricsOptions> options, TimeProvider timeProvider, ILogger<WorkItemCountRefresher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.WorkItemRefreshInterval, timeProvider);
        do
        {
            try
            {
                await counts.RefreshAsync(stoppingToken);
            }
            catch (DbException ex)
            {
                // The gauge keeps its last counts; serving goes on, and the next tick tries again.
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the evaluation work items for the metrics; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Telemetry;

/// <summary>
/// How much evaluation work waits in the store and how much is being played, shared by every
/// replica. Counting is a query, which a scrape must not wait for, so the host refreshes the
/// counts in the background and the gauge reads the last ones.
/// </summary>
public sealed class EvaluationWorkItemCounts(IDbContextFactory<ChaosLabDbContext> contextFactory)
{
    private volatile Snapshot? _last;

    /// <summary>The counts of the last refresh, or null before the first one.</summary>
    public Snapshot? Last => _last;

    /// <summary>Counts the items of runs that have not ended (a cancelled run's items stay pending but nobody will play them).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var counts = await context.EvaluationRunItems.AsNoTracking()
            .Where(i => (i.Status == RunItemStatus.Pending || i.Status == RunItemStatus.Running)
                && context.EvaluationRuns.Any(r => r.Id == i.RunId && r.EndedAt == null))
            .GroupBy(i => i.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        _last = new Snapshot(
            counts.SingleOrDefault(c => c.Status == RunItemStatus.Pending)?.Count ?? 0,
            counts.SingleOrDefault(c => c.Status == RunItemStatus.Running)?.Count ?? 0);
    }

    /// <param name="Pending">Waiting for a replica with free capacity.</param>
    /// <param name="Leased">Taken by a replica and being played (status running).</param>
    public sealed record Snapshot(long Pending, long Leased);
}

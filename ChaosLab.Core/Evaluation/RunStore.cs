using System.Text.Json;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Evaluation runs and their items in the store, shared by every replica. An item is claimed under
/// a lease (replica, fresh episode id, expiry) and every later move of it is a guarded update
/// naming all three, so a result is recorded at most once whatever crashes or races around it; a
/// run's totals are always read from its items, never kept beside them.
/// </summary>
public sealed class RunStore(IDbContextFactory<ChaosLabDbContext> contextFactory, StoreDatabase database, TimeProvider timeProvider)
{
    /// <summary>Creates a queued run with its items in plan order.</summary>
    /// <exception cref="ArgumentException">The plan is empty or repeats an item.</exception>
    public async Task<RunSummary> CreateAsync(NewRun run, IReadOnlyList<RunItemSpec> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("A run needs at least one item.", nameof(items));
        }

        if (items.Select(i => i.Key).Distinct(StringComparer.Ordinal).Count() != items.Count)
        {
            throw new ArgumentException("A run's items must be distinct.", nameof(items));
        }

        var entity = new EvaluationRunEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = run.Name,
            Agent = run.Agent,
            Model = run.Model,
            Harness = run.Harness,
            AssignmentJson = run.AssignmentJson,
            AblationId = run.AblationId,
            Variant = run.Variant,
            Origin = run.Origin,
            Status = RunStatus.Queued,
            Concurrency = run.Concurrency,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        context.EvaluationRuns.Add(entity);
        context.EvaluationRunItems.AddRange(items.Select((item, index) => new EvaluationRunItemEntity
        {
            RunId = entity.Id,
            Key = item.Key,
            Sequence = index,
            Suite = item.Suite,
            TaskId = item.TaskId,
            Tier = item.Tier,
            ScenarioId = item.ScenarioId,
            SeedIndex = item.SeedIndex,
            Trial = item.Trial,
            Status = RunItemStatus.Pending,
        }));
        await context.SaveChangesAsync(cancellationToken);
        return (await FindAsync(entity.Id, cancellationToken))!;
    }

    /// <summary>Runs, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<RunSummary>> ListAsync(int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var runs = await context.EvaluationRuns.AsNoTracking()
            .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id).Take(limit).ToListAsync(cancellationToken);
        return await SummarizeAsync(context, runs, cancellationToken);
    }

    /// <summary>The runs of one ablation, oldest first.</summary>
    public async Task<IReadOnlyList<RunSummary>> AblationAsync(string ablationId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var runs = await context.EvaluationRuns.AsNoTracking()
            .Where(r => r.AblationId == ablationId).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return await SummarizeAsync(context, runs, cancellationToken);
    }

    public async Task<RunSummary?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var run = await context.EvaluationRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        return run is null ? null : (await SummarizeAsync(context, [run], cancellationToken))[0];
    }

    /// <summary>The stored assignment of a run (resolved, without header values), or null for an unknown run.</summary>
    public async Task<string?> AssignmentJsonAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.AssignmentJson).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>A run's items in plan order.</summary>
    public async Task<IReadOnlyList<RunItem>> ItemsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var items = await context.EvaluationRunItems.AsNoTracking()
            .Where(i => i.RunId == runId).OrderBy(i => i.Sequence).ToListAsync(cancellationToken);
        return [.. items.Select(ToItem)];
    }

    /// <summary>
    /// Makes a run playable again: a queued, cancelled, failed or interrupted run is running, and
    /// every replica with free slots claims its items. Refused (false) for a completed or unknown
    /// run. Items still leased stay with their players.
    /// </summary>
    public async Task<bool> ResumeAsync(string runId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRuns
            .Where(r => r.Id == runId && r.Status != RunStatus.Completed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.EndedAt, (DateTimeOffset?)null)
                .SetProperty(r => r.Error, (string?)null), cancellationToken) == 1;
    }

    /// <summary>One item of a run, or null.</summary>
    public async Task<RunItem?> ItemAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var item = await context.EvaluationRunItems.AsNoTracking().SingleOrDefaultAsync(i => i.RunId == runId && i.Key == key, cancellationToken);
        return item is null ? null : ToItem(item);
    }

    /// <summary>
    /// Ends a run with <paramref name="status"/> (cancelled or failed; completed when nothing is
    /// left, see <see cref="TryCompleteAsync"/>); a run already ended stays as it was. Every replica
    /// playing its items sees the status at its next lease renewal and gives them back.
    /// </summary>
    public async Task<bool> EndAsync(string runId, string status, string? error = null, CancellationToken cancellationToken = default)
    {
        if (!RunStatus.IsFinal(status))
        {
            throw new ArgumentException($"'{status}' does not end a run.", nameof(status));
        }

        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRuns
            .Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, status).SetProperty(r => r.EndedAt, now).SetProperty(r => r.Error, error), cancellationToken) == 1;
    }

    /// <summary>
    /// Completes a running run once no item is pending or running; true for the one caller whose
    /// update did it, whichever replica finished the last item.
    /// </summary>
    public async Task<bool> TryCompleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRuns
            .Where(r => r.Id == runId && r.Status == RunStatus.Running
                && !context.EvaluationRunItems.Any(i => i.RunId == r.Id && (i.Status == RunItemStatus.Pending || i.Status == RunItemStatus.Running)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Completed).SetProperty(r => r.EndedAt, now), cancellationToken) == 1;
    }

    /// <summary>
    /// A replica (re)starts: the items it held as <paramref name="owner"/> before it stopped go back
    /// to pending at once (their episodes were recorded as abandoned and never count). Other
    /// replicas' items are left alone: they are taken over only once their leases expire.
    /// </summary>
    /// <returns>How many items went back.</returns>
    public async Task<int> RecoverInterruptedAsync(string owner, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRunItems.Where(i => i.LeaseOwner == owner && i.Status == RunItemStatus.Running)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, RunItemStatus.Pending)
                .SetProperty(i => i.EpisodeId, (string?)null)
                .SetProperty(i => i.StartedAt, (DateTimeOffset?)null)
                .SetProperty(i => i.LeaseOwner, (string?)null)
                .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>Items of <paramref name="runId"/> still to play, in plan order.</summary>
    public async Task<IReadOnlyList<RunItem>> PendingAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var items = await context.EvaluationRunItems.AsNoTracking()
            .Where(i => i.RunId == runId && i.Status == RunItemStatus.Pending).OrderBy(i => i.Sequence).ToListAsync(cancellationToken);
        return [.. items.Select(ToItem)];
    }

    /// <summary>
    /// Claims the next item to play under <paramref name="lease"/>: pending, or running on a lease
    /// that has expired (its replica died), in plan order, of a running run, while fewer of that
    /// run's items than its concurrency are leased over all replicas. Null when there is none.
    /// </summary>
    /// <param name="runId">That run only; null for any run started on a server (dashboard or API), oldest first.</param>
    /// <param name="key">That item only (a test setting up a run's state).</param>
    public async Task<RunItem?> ClaimNextAsync(string? runId, ItemLease lease, string? key = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var candidates = runId is not null
            ? [runId]
            : await context.EvaluationRuns.AsNoTracking()
                .Where(r => r.Status == RunStatus.Running && (r.Origin == EvaluationService.OriginWeb || r.Origin == EvaluationService.OriginApi))
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var candidate in candidates)
        {
            if (await ItemClaims.ClaimAsync(context, database.IsPostgres, candidate, key, lease, cancellationToken) is { } claimed)
            {
                return ToItem(await context.EvaluationRunItems.AsNoTracking().SingleAsync(i => i.RunId == candidate && i.Key == claimed, cancellationToken));
            }
        }

        return null;
    }

    /// <summary>
    /// Extends the leases of the items <paramref name="owner"/> plays in running runs, and returns
    /// every item the store still has leased to it with its run's status: an item missing from the
    /// list (or under another episode) was taken over, one of a run no longer running is given back.
    /// </summary>
    public async Task<IReadOnlyList<HeldItem>> RenewLeasesAsync(string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        await context.EvaluationRunItems
            .Where(i => i.LeaseOwner == owner && i.Status == RunItemStatus.Running
                && context.EvaluationRuns.Any(r => r.Id == i.RunId && r.Status == RunStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.LeaseExpiresAt, expiresAt), cancellationToken);
        var held = await (
            from i in context.EvaluationRunItems.AsNoTracking()
            join r in context.EvaluationRuns.AsNoTracking() on i.RunId equals r.Id
            where i.LeaseOwner == owner && i.Status == RunItemStatus.Running
            select new { i.RunId, i.Key, i.EpisodeId, r.Status }).ToListAsync(cancellationToken);
        return [.. held.Select(h => new HeldItem(h.RunId, h.Key, h.EpisodeId!, h.Status))];
    }

    /// <summary>Records the result of the episode playing an item; false (nothing written) unless that episode of that replica holds it.</summary>
    public async Task<bool> CompleteItemAsync(ItemHold hold, ItemResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentNullException.ThrowIfNull(result);
        var now = timeProvider.GetUtcNow();
        var interventions = JsonSerializer.Serialize(result.Interventions, CoreJsonContext.Default.IReadOnlyDictionaryStringInt32);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Held(context, hold)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, RunItemStatus.Done)
                .SetProperty(i => i.Outcome, result.Outcome)
                .SetProperty(i => i.Score, result.Score)
                .SetProperty(i => i.Success, result.Success)
                .SetProperty(i => i.Steps, result.Steps)
                .SetProperty(i => i.InterventionsJson, interventions)
                .SetProperty(i => i.EndedAt, now)
                .SetProperty(i => i.LeaseOwner, (string?)null)
                .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken) == 1;
    }

    /// <summary>The agent failed on an item (its episode is abandoned); false unless that episode of that replica holds it.</summary>
    public async Task<bool> FailItemAsync(ItemHold hold, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Held(context, hold)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, RunItemStatus.Error)
                .SetProperty(i => i.Error, error)
                .SetProperty(i => i.EndedAt, now)
                .SetProperty(i => i.LeaseOwner, (string?)null)
                .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken) == 1;
    }

    /// <summary>Gives an item back (cancelled or stopped mid-episode): any replica plays it again while its run is running.</summary>
    public async Task<bool> ReleaseItemAsync(ItemHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Held(context, hold)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, RunItemStatus.Pending)
                .SetProperty(i => i.EpisodeId, (string?)null)
                .SetProperty(i => i.StartedAt, (DateTimeOffset?)null)
                .SetProperty(i => i.LeaseOwner, (string?)null)
                .SetProperty(i => i.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken) == 1;
    }

    private static IQueryable<EvaluationRunItemEntity> Held(ChaosLabDbContext context, ItemHold hold) =>
        context.EvaluationRunItems.Where(i => i.RunId == hold.RunId && i.Key == hold.Key && i.Status == RunItemStatus.Running
            && i.EpisodeId == hold.EpisodeId && i.LeaseOwner == hold.Owner);

    private static async Task<IReadOnlyList<RunSummary>> SummarizeAsync(ChaosLabDbContext context, IReadOnlyList<EvaluationRunEntity> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var totals = await context.EvaluationRunItems.AsNoTracking()
            .Where(i => ids.Contains(i.RunId))
            .GroupBy(i => i.RunId)
            .Select(g => new
            {
                RunId = g.Key,
                Total = g.Count(),
                Pending = g.Count(i => i.Status == RunItemStatus.Pending),
                Running = g.Count(i => i.Status == RunItemStatus.Running),
                Done = g.Count(i => i.Status == RunItemStatus.Done),
                Errors = g.Count(i => i.Status == RunItemStatus.Error),
                Successes = g.Count(i => i.Status == RunItemStatus.Done && i.Success == true),
                MeanScore = g.Where(i => i.Status == RunItemStatus.Done).Average(i => i.Score),
            })
            .ToDictionaryAsync(t => t.RunId, cancellationToken);
        return [.. runs.Select(r =>
        {
            var t = totals.GetValueOrDefault(r.Id);
            return new RunSummary(
                r.Id, r.Name, r.Agent, r.Model, r.Harness, r.AblationId, r.Variant, r.Origin, r.Status, r.CreatedAt, r.StartedAt, r.EndedAt, r.Error,
                t?.Total ?? 0, t?.Pending ?? 0, t?.Running ?? 0, t?.Done ?? 0, t?.Errors ?? 0, t?.Successes ?? 0, t?.MeanScore);
        })];
    }

    private static RunItem ToItem(EvaluationRunItemEntity i) => new(
        i.RunId, i.Key, i.Sequence, i.Suite, i.TaskId, i.Tier, i.ScenarioId, i.SeedIndex, i.Trial, i.Status, i.Attempts, i.EpisodeId,
        i.Outcome, i.Score, i.Success, i.Steps,
        i.InterventionsJson is { } json ? JsonSerializer.Deserialize(json, CoreJsonContext.Default.IReadOnlyDictionaryStringInt32)! : new Dictionary<string, int>(),
        i.Error, i.StartedAt, i.EndedAt, i.LeaseOwner);
}

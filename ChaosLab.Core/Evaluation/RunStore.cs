using System.Text.Json;
using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Evaluation runs and their items in the store. Every move of an item is a guarded update (it
/// names the status and, once playing, the episode it expects), so a result is recorded at most
/// once whatever crashes or races around it; a run's totals are always read from its items,
/// never kept beside them.
/// </summary>
public sealed class RunStore(IDbContextFactory<ChaosLabDbContext> contextFactory, TimeProvider timeProvider)
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

    /// <summary>Marks a run started (or resumed); refused (false) for a run already ended.</summary>
    public async Task<bool> MarkRunningAsync(string runId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRuns
            .Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.StartedAt, r => r.StartedAt ?? now), cancellationToken) == 1;
    }

    /// <summary>
    /// Takes up a run in this process: a cancelled or failed run is running again, and the items a
    /// stopped player of it left running go back to pending (their episodes never count). Refused
    /// (false) for a completed or unknown run. The caller must be the run's only player.
    /// </summary>
    public async Task<bool> ResumeAsync(string runId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var resumed = await context.EvaluationRuns
            .Where(r => r.Id == runId && r.Status != RunStatus.Completed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.EndedAt, (DateTimeOffset?)null)
                .SetProperty(r => r.Error, (string?)null), cancellationToken) == 1;
        if (resumed)
        {
            await context.EvaluationRunItems.Where(i => i.RunId == runId && i.Status == RunItemStatus.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, RunItemStatus.Pending).SetProperty(i => i.EpisodeId, (string?)null).SetProperty(i => i.StartedAt, (DateTimeOffset?)null), cancellationToken);
        }

        return resumed;
    }

    /// <summary>One item of a run, or null.</summary>
    public async Task<RunItem?> ItemAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var item = await context.EvaluationRunItems.AsNoTracking().SingleOrDefaultAsync(i => i.RunId == runId && i.Key == key, cancellationToken);
        return item is null ? null : ToItem(item);
    }

    /// <summary>Ends a run with <paramref name="status"/> (completed, cancelled or failed); a run already ended stays as it was.</summary>
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
    /// After a stop: items a dead process was playing go back to pending (their episodes were
    /// recorded as abandoned at start-up and never count), and the runs it left running are returned
    /// for resuming.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecoverInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        await context.EvaluationRunItems.Where(i => i.Status == RunItemStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, RunItemStatus.Pending).SetProperty(i => i.EpisodeId, (string?)null).SetProperty(i => i.StartedAt, (DateTimeOffset?)null), cancellationToken);
        return await context.EvaluationRuns.AsNoTracking().Where(r => r.Status == RunStatus.Running)
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Items of <paramref name="runId"/> still to play, in plan order.</summary>
    public async Task<IReadOnlyList<RunItem>> PendingAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var items = await context.EvaluationRunItems.AsNoTracking()
            .Where(i => i.RunId == runId && i.Status == RunItemStatus.Pending).OrderBy(i => i.Sequence).ToListAsync(cancellationToken);
        return [.. items.Select(ToItem)];
    }

    /// <summary>Claims a pending item for the episode about to play it; false if it is not pending any more.</summary>
    public async Task<bool> StartItemAsync(string runId, string key, string episodeId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRunItems
            .Where(i => i.RunId == runId && i.Key == key && i.Status == RunItemStatus.Pending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, RunItemStatus.Running)
                .SetProperty(i => i.EpisodeId, episodeId)
                .SetProperty(i => i.Attempts, i => i.Attempts + 1)
                .SetProperty(i => i.StartedAt, now)
                .SetProperty(i => i.Error, (string?)null), cancellationToken) == 1;
    }

    /// <summary>Records the result of the episode playing an item; false (nothing written) unless that episode holds it.</summary>
    public async Task<bool> CompleteItemAsync(string runId, string key, string episodeId, ItemResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var now = timeProvider.GetUtcNow();
        var interventions = JsonSerializer.Serialize(result.Interventions, CoreJsonContext.Default.IReadOnlyDictionaryStringInt32);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRunItems
            .Where(i => i.RunId == runId && i.Key == key && i.Status == RunItemStatus.Running && i.EpisodeId == episodeId)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, RunItemStatus.Done)
                .SetProperty(i => i.Outcome, result.Outcome)
                .SetProperty(i => i.Score, result.Score)
                .SetProperty(i => i.Success, result.Success)
                .SetProperty(i => i.Steps, result.Steps)
                .SetProperty(i => i.InterventionsJson, interventions)
                .SetProperty(i => i.EndedAt, now), cancellationToken) == 1;
    }

    /// <summary>The agent failed on an item (its episode is abandoned); false unless that episode holds it.</summary>
    public async Task<bool> FailItemAsync(string runId, string key, string episodeId, string error, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRunItems
            .Where(i => i.RunId == runId && i.Key == key && i.Status == RunItemStatus.Running && i.EpisodeId == episodeId)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, RunItemStatus.Error).SetProperty(i => i.Error, error).SetProperty(i => i.EndedAt, now), cancellationToken) == 1;
    }

    /// <summary>Gives an item back (cancelled mid-episode): it is played again when the run resumes.</summary>
    public async Task<bool> ReleaseItemAsync(string runId, string key, string episodeId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.EvaluationRunItems
            .Where(i => i.RunId == runId && i.Key == key && i.Status == RunItemStatus.Running && i.EpisodeId == episodeId)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, RunItemStatus.Pending).SetProperty(i => i.EpisodeId, (string?)null).SetProperty(i => i.StartedAt, (DateTimeOffset?)null), cancellationToken) == 1;
    }

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
        i.Error, i.StartedAt, i.EndedAt);
}

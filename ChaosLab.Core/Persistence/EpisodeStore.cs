using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Persistence;

/// <summary>Reads and writes recorded episodes; one short-lived context per operation.</summary>
public sealed class EpisodeStore(IDbContextFactory<ChaosLabDbContext> contextFactory)
{
    /// <summary>Trajectories loaded per round trip while exporting.</summary>
    private const int ExportChunk = 100;

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Episodes.CountAsync(cancellationToken);
    }

    public async Task AddAsync(EpisodeEntity episode, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        context.Episodes.Add(episode);
        await context.SaveChangesAsync(cancellationToken);
    }

    public async Task<EpisodeEntity?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Episodes.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
    }

    /// <summary>One page of episode summaries (no steps are read) and the number of matches.</summary>
    public async Task<EpisodePage> SearchAsync(EpisodeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var matches = Filter(context, query);
        var total = await matches.CountAsync(cancellationToken);
        var page = await Order(matches, query)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        var faults = await FaultKindsAsync(context, page, cancellationToken);
        return new EpisodePage(
            [.. page.Select(e => EpisodeSummary.From(e, [.. faults[e.Id]]))],
            total,
            query.Page,
            query.PageSize);
    }

    public async Task<EpisodeTrajectory?> GetTrajectoryAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var episode = await context.Episodes.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (episode is null)
        {
            return null;
        }

        var trajectories = await TrajectoriesAsync(context, [episode], cancellationToken);
        return trajectories[0];
    }

    /// <summary>
    /// Every matching episode with its steps, in the query's order (its page and page size are
    /// ignored), read a chunk at a time so memory stays bounded however many there are.
    /// </summary>
    public async IAsyncEnumerable<EpisodeTrajectory> StreamTrajectoriesAsync(
        EpisodeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var episodes = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var details = await contextFactory.CreateDbContextAsync(cancellationToken);
        var chunk = new List<EpisodeEntity>(ExportChunk);
        await foreach (var episode in Order(Filter(episodes, query), query).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            chunk.Add(episode);
            if (chunk.Count == ExportChunk)
            {
                foreach (var trajectory in await TrajectoriesAsync(details, chunk, cancellationToken))
                {
                    yield return trajectory;
                }

                chunk.Clear();
            }
        }

        foreach (var trajectory in await TrajectoriesAsync(details, chunk, cancellationToken))
        {
            yield return trajectory;
        }
    }

    private static IQueryable<EpisodeEntity> Filter(ChaosLabDbContext context, EpisodeQuery query)
    {
        var episodes = context.Episodes.AsNoTracking();
        if (query.Suite is { } suite)
        {
            episodes = episodes.Where(e => e.Suite == suite);
        }

        if (query.TaskId is { } taskId)
        {
            episodes = episodes.Where(e => e.TaskId == taskId);
        }

        if (query.Tier is { } tier)
        {
            episodes = episodes.Where(e => e.Tier == tier);
        }

        if (query.ScenarioId is { } scenarioId)
        {
            episodes = episodes.Where(e => e.ScenarioId == scenarioId);
        }

        if (query.Agent is { } agent)
        {
            episodes = episodes.Where(e => e.Agent == agent);
        }

        if (query.Outcome is { } outcome)
        {
            episodes = episodes.Where(e => e.Outcome == outcome);
        }

        if (query.ClientKind is { } clientKind)
        {
            episodes = episodes.Where(e => e.ClientKind == clientKind);
        }

        if (query.MinScore is { } minScore)
        {
            episodes = episodes.Where(e => e.Score >= minScore);
        }

        if (query.MaxScore is { } maxScore)
        {
            episodes = episodes.Where(e => e.Score <= maxScore);
        }

        if (query.From is { } from)
        {
            episodes = episodes.Where(e => e.StartedAt >= from);
        }

        if (query.To is { } to)
        {
            episodes = episodes.Where(e => e.StartedAt < to);
        }

        if (query.FaultKinds.Count > 0)
        {
            // "id IN (SELECT episode_id ... WHERE kind IN (...))": SQLite builds the set from the
            // kind index once instead of probing it for every episode.
            var kinds = query.FaultKinds.ToArray();
            var withFault = context.EpisodeFaults.Where(f => kinds.Contains(f.Kind)).Select(f => f.EpisodeId);
            episodes = episodes.Where(e => withFault.Contains(e.Id));
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            var pattern = "%" + EscapeLike(query.Text) + "%";
            episodes = episodes.Where(e =>
                EF.Functions.Like(e.Question, pattern, LikeEscape) || EF.Functions.Like(e.Answer, pattern, LikeEscape));
        }

        return episodes;
    }

    /// <summary>The query's order, then newest first, then by id, so pages never overlap.</summary>
    private static IQueryable<EpisodeEntity> Order(IQueryable<EpisodeEntity> episodes, EpisodeQuery query)
    {
        var descending = query.Descending;
        var ordered = query.Sort switch
        {
            EpisodeSortKey.Score => descending ? episodes.OrderByDescending(e => e.Score) : episodes.OrderBy(e => e.Score),
            EpisodeSortKey.Steps => descending ? episodes.OrderByDescending(e => e.StepCount) : episodes.OrderBy(e => e.StepCount),
            EpisodeSortKey.Agent => descending ? episodes.OrderByDescending(e => e.Agent) : episodes.OrderBy(e => e.Agent),
            _ => descending ? episodes.OrderByDescending(e => e.StartedAt) : episodes.OrderBy(e => e.StartedAt),
        };
        if (query.Sort != EpisodeSortKey.StartedAt)
        {
            ordered = ordered.ThenByDescending(e => e.StartedAt);
        }

        return ordered.ThenBy(e => e.Id);
    }

    private static async Task<ILookup<string, string>> FaultKindsAsync(
        ChaosLabDbContext context, List<EpisodeEntity> episodes, CancellationToken cancellationToken)
    {
        if (episodes.Count == 0)
        {
            return Array.Empty<EpisodeFaultEntity>().ToLookup(f => f.EpisodeId, f => f.Kind);
        }

        var ids = episodes.Select(e => e.Id).ToArray();
        var faults = await context.EpisodeFaults.AsNoTracking()
            .Where(f => ids.Contains(f.EpisodeId))
            .OrderBy(f => f.EpisodeId).ThenBy(f => f.Kind)
            .ToListAsync(cancellationToken);
        return faults.ToLookup(f => f.EpisodeId, f => f.Kind, StringComparer.Ordinal);
    }

    private static async Task<List<EpisodeTrajectory>> TrajectoriesAsync(
        ChaosLabDbContext context, List<EpisodeEntity> episodes, CancellationToken cancellationToken)
    {
        if (episodes.Count == 0)
        {
            return [];
        }

        var ids = episodes.Select(e => e.Id).ToArray();
        var faults = await FaultKindsAsync(context, episodes, cancellationToken);
        var steps = (await context.Steps.AsNoTracking()
                .Where(s => ids.Contains(s.EpisodeId))
                .OrderBy(s => s.EpisodeId).ThenBy(s => s.StepIndex)
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.EpisodeId, StringComparer.Ordinal);
        return [.. episodes.Select(e => new EpisodeTrajectory(EpisodeSummary.From(e, [.. faults[e.Id]]), e.GradeJson, [.. steps[e.Id]]))];
    }

    private const string LikeEscape = "\\";

    private static string EscapeLike(string text) => text
        .Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
        .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
        .Replace("_", LikeEscape + "_", StringComparison.Ordinal);
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ChaosLab.Core.Persistence.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Persistence;

/// <summary>Reads and writes recorded episodes; one short-lived context per operation.</summary>
public sealed class EpisodeStore(IDbContextFactory<ChaosLabDbContext> contextFactory)
{
    /// <summary>Step fragments by hash: content-addressed, so never stale; a few per suite version and task.</summary>
    private readonly ConcurrentDictionary<string, string> _fragments = new(StringComparer.Ordinal);

    /// <summary>Compression dictionaries by id, as stored: immutable once stored, so never stale; a few in all.</summary>
    private readonly ConcurrentDictionary<int, BodyDictionary> _dictionaries = new();

    /// <summary>Trajectories loaded per round trip while exporting.</summary>
    private const int ExportChunk = 100;

    /// <summary>Episode ids per query when their fault kinds are read.</summary>
    private const int FaultChunk = 500;

    /// <summary>Every recorded episode, read from the totals the schema keeps (no rows are counted).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (episodes, _) = await EpisodeAggregates.TotalsAsync(await OpenAsync(context, cancellationToken), null, cancellationToken);
        return checked((int)episodes);
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

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Episodes.AnyAsync(e => e.Id == id, cancellationToken);
    }

    /// <summary>
    /// Ends every episode the store still shows as running: at start-up, before any session
    /// exists, those are episodes a crash or a kill interrupted. Each becomes abandoned with the
    /// number of its last durable step. Returns how many there were.
    /// </summary>
    public async Task<int> AbandonInterruptedAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var endedAt = now.ToUnixTimeMilliseconds();
        return await context.Database.ExecuteSqlAsync($"""
            UPDATE episodes
            SET ended_at = {endedAt}, outcome = 'abandoned',
                abandon_reason = 'the server stopped while the episode ran; the last durable step is ' ||
                                 COALESCE((SELECT MAX(step_index) FROM steps WHERE steps.episode_id = episodes.id), 0)
            WHERE ended_at IS NULL
            """, cancellationToken);
    }

    /// <summary>One page of episode summaries (no steps are read) and the number of matches.</summary>
    public async Task<EpisodePage> SearchAsync(EpisodeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var matches = Filter(context, query);
        var total = await CountMatchesAsync(context, query, matches, cancellationToken);
        // A deferred join: the page's ids come from a walk over a covering index (skipped rows
        // are never read from the wide table), then only those rows are loaded.
        var pageIds = Order(context, matches, query)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .Select(e => e.Id);
        var page = await Order(context, context.Episodes.AsNoTracking().Where(e => pageIds.Contains(e.Id)), query)
            .Select(WithoutGrade)
            .ToListAsync(cancellationToken);
        var faults = await FaultKindsAsync(context, page, cancellationToken);
        return new EpisodePage(
            [.. page.Select(e => EpisodeDisclosure.Summary(EpisodeSummary.From(e, [.. faults[e.Id]])))],
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
        await foreach (var episode in Order(episodes, Filter(episodes, query), query).AsAsyncEnumerable().WithCancellation(cancellationToken))
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

    /// <summary>
    /// Graded episodes matching <paramref name="query"/> grouped by agent, suite, task and tier,
    /// aggregated by the database (one GROUP BY; no episode is loaded). Running and abandoned
    /// episodes are left out; paging and order of the query are ignored.
    /// </summary>
    public async Task<IReadOnlyList<LeaderboardGroup>> LeaderboardAsync(EpisodeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (EpisodeAggregates.CountedByCells(query with { GradedOnly = true }))
        {
            return await EpisodeAggregates.CellsAsync(await OpenAsync(context, cancellationToken), query, cancellationToken);
        }

        // A time window (or another filter) the cells do not keep: grouped from the rows, a
        // range of the leaderboard index (mode, start time, then every aggregated column).
        var groups = await Filter(context, query with { GradedOnly = true })
            .GroupBy(e => new { e.Agent, e.Suite, e.TaskId, e.Tier })
            .Select(g => new
            {
                g.Key.Agent,
                g.Key.Suite,
                g.Key.TaskId,
                g.Key.Tier,
                Episodes = g.Count(),
                Correct = g.Count(e => e.Success == true),
                ScoreSum = g.Sum(e => e.Score!.Value),
                ScoreSquareSum = g.Sum(e => e.Score!.Value * e.Score!.Value),
                LastEnded = g.Max(e => e.EndedAt),
                LastStarted = g.Max(e => e.StartedAt),
            })
            .ToListAsync(cancellationToken);
        return [.. groups.Select(g => new LeaderboardGroup(
            g.Agent, g.Suite, g.TaskId, g.Tier, g.Episodes, g.Correct, g.ScoreSum, g.ScoreSquareSum, g.LastEnded ?? g.LastStarted))];
    }

    /// <summary>
    /// Summaries of the matching episodes in the query's order, at most <paramref name="limit"/>
    /// of them (the query's page is ignored), with <paramref name="total"/> matches.
    /// </summary>
    public async Task<(IReadOnlyList<EpisodeSummary> Items, int Total)> SampleAsync(
        EpisodeQuery query, int limit, CancellationToken cancellationToken = default)
    {
        var page = await SearchAsync(query with { Page = 1, PageSize = limit }, cancellationToken);
        return (page.Items, page.Total);
    }

    /// <summary>Every fired fault of the given episodes: (episode, step index, kind), read from the steps' fault decisions.</summary>
    public async Task<IReadOnlyList<FiredFault>> FiredFaultsAsync(IReadOnlyCollection<string> episodeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episodeIds);
        var fired = new List<FiredFault>();
        if (episodeIds.Count == 0)
        {
            return fired;
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in episodeIds.Chunk(500))
        {
            // Steps where nothing fired are NULL and skipped by the database.
            var steps = await context.Steps.AsNoTracking()
                .Where(s => chunk.Contains(s.EpisodeId) && s.FiredFaults != null)
                .Select(s => new { s.EpisodeId, s.StepIndex, s.FiredFaults })
                .ToListAsync(cancellationToken);
            foreach (var step in steps)
            {
                fired.AddRange(FiredFaultKinds.Split(step.FiredFaults).Select(kind => new FiredFault(step.EpisodeId, step.StepIndex, kind)));
            }
        }

        return fired;
    }

    /// <summary>
    /// Graded episodes of <paramref name="agentA"/> and <paramref name="agentB"/> (matching the
    /// query's other filters) on the (suite, scenario, seed) keys that both played, in key order,
    /// whole keys only: when there are more than <paramref name="limit"/>, the keys after the
    /// last one both agents' reads hold in full are left out. Pairing them is the caller's business.
    /// </summary>
    /// <remarks>
    /// Each agent's side is a walk of the pairing index in key order that stops after its half of
    /// the limit. Ordering by start time instead made SQLite sort every candidate before taking
    /// any: 1.1 s for two agents with 230,000 candidates at a million episodes, against 0.12 s.
    /// </remarks>
    public async Task<PairedEpisodes> PairedEpisodesAsync(
        string agentA, string agentB, EpisodeQuery query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var candidates = Filter(context, query with { Agent = null, GradedOnly = true });
        var half = limit / 2;

        async Task<List<ComparedEpisode>> SideAsync(string agent, string partner) => await candidates
            .Where(e => e.Agent == agent && candidates.Any(o => o.Agent == partner && o.Suite == e.Suite && o.ScenarioId == e.ScenarioId && o.Seed == e.Seed))
            .OrderBy(e => e.Suite).ThenBy(e => e.ScenarioId).ThenBy(e => e.Seed)
            .Take(half + 1)
            .Select(e => new ComparedEpisode(e.Id, e.Agent, e.Suite, e.TaskId, e.Tier, e.ScenarioId, e.Seed, e.Score!.Value, e.Outcome!, e.StepCount, e.StartedAt))
            .ToListAsync(cancellationToken);

        var a = await SideAsync(agentA, agentB);
        var b = await SideAsync(agentB, agentA);
        if (a.Count <= half && b.Count <= half)
        {
            return new PairedEpisodes([.. a, .. b], Truncated: false);
        }

        // A cut side's last key may be missing episodes that came after its half: that key and
        // every later one are dropped from both sides, so each key kept is complete.
        var cut = new[] { a, b }.Where(side => side.Count > half).Select(side => side[half - 1]).Min(KeyOrder.Instance)!;
        return new PairedEpisodes([.. a.Concat(b).Where(e => KeyOrder.Instance.Compare(e, cut) < 0)], Truncated: true);
    }

    /// <summary>Episodes in (suite, scenario, seed) order, ordinal as SQLite's BINARY collation for these ASCII keys.</summary>
    private sealed class KeyOrder : IComparer<ComparedEpisode>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(ComparedEpisode? x, ComparedEpisode? y) =>
            x is null || y is null ? Comparer<object?>.Default.Compare(x, y)
            : string.CompareOrdinal(x.Suite, y.Suite) is var bySuite and not 0 ? bySuite
            : string.CompareOrdinal(x.ScenarioId, y.ScenarioId) is var byScenario and not 0 ? byScenario
            : x.Seed.CompareTo(y.Seed);
    }

    /// <summary>Episodes and mean score of every scenario id played, by id (case-insensitive), read from the kept totals.</summary>
    public async Task<IReadOnlyDictionary<string, ScenarioEpisodeTotals>> ScenarioTotalsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await EpisodeAggregates.ScenarioTotalsAsync(await OpenAsync(context, cancellationToken), cancellationToken);
    }

    /// <summary>The distinct values the browser's filters can choose from.</summary>
    public async Task<EpisodeFacets> FacetsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await EpisodeAggregates.FacetsAsync(await OpenAsync(context, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The number of matches: from the kept totals when the query filters by mode at most, from
    /// the leaderboard cells for graded episodes filtered by their keys, from the fault-kind
    /// index when it filters by fault kinds alone, else counted.
    /// </summary>
    private static async Task<int> CountMatchesAsync(
        ChaosLabDbContext context, EpisodeQuery query, IQueryable<EpisodeEntity> matches, CancellationToken cancellationToken)
    {
        if (EpisodeAggregates.CountedByTotals(query))
        {
            var (episodes, _) = await EpisodeAggregates.TotalsAsync(await OpenAsync(context, cancellationToken), query.Mode, cancellationToken);
            return checked((int)episodes);
        }

        if (EpisodeAggregates.CountedByCells(query))
        {
            return await EpisodeAggregates.GradedCountAsync(await OpenAsync(context, cancellationToken), query, cancellationToken);
        }

        return EpisodeAggregates.CountedByFaultIndex(query)
            ? await EpisodeAggregates.FaultCountAsync(await OpenAsync(context, cancellationToken), query.FaultKinds, cancellationToken)
            : await matches.CountAsync(cancellationToken);
    }

    /// <summary>The context's connection, opened (EF closes it with the context).</summary>
    private static async Task<System.Data.Common.DbConnection> OpenAsync(ChaosLabDbContext context, CancellationToken cancellationToken)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        return context.Database.GetDbConnection();
    }

    /// <summary>
    /// An episode row without its grade, which no summary shows: the largest column (about 1 KB as
    /// text before schema 10, a tenth of that compressed since), not read and decoded for every
    /// row of a page (the analytics page reads 5,000).
    /// </summary>
    private static readonly System.Linq.Expressions.Expression<Func<EpisodeEntity, EpisodeEntity>> WithoutGrade = e => new EpisodeEntity
    {
        Id = e.Id, Suite = e.Suite, TaskId = e.TaskId, Tier = e.Tier, ScenarioId = e.ScenarioId, ScenarioVersion = e.ScenarioVersion,
        Seed = e.Seed, MaxSteps = e.MaxSteps, Agent = e.Agent, ClientKind = e.ClientKind, Mode = e.Mode, StartedAt = e.StartedAt,
        EndedAt = e.EndedAt, Outcome = e.Outcome, Score = e.Score, Success = e.Success, StepCount = e.StepCount, Prompt = e.Prompt,
        Submission = e.Submission, FinalReward = e.FinalReward, AbandonReason = e.AbandonReason,
    };

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

        if (query.Mode is { } mode)
        {
            episodes = episodes.Where(e => e.Mode == mode);
        }

        if (query.GradedOnly)
        {
            episodes = episodes.Where(e => e.Outcome != null && e.Outcome != AbandonedOutcome && e.Score != null);
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
            // A probe of the (episode, kind) key per candidate: a page in start order walks the
            // start-time index and stops when it is full, where "id IN (every episode with the
            // kind)" sorted all of them first. A count by fault kinds alone never comes here.
            var kinds = query.FaultKinds.ToArray();

            // Which faults fired in a running episode is not disclosed, not even as a filter match.
            episodes = episodes.Where(e => e.EndedAt != null && context.EpisodeFaults.Any(f => f.EpisodeId == e.Id && kinds.Contains(f.Kind)));
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            var pattern = "%" + EscapeLike(query.Text) + "%";
            // The first condition is implied by the second; it is stated because it is the
            // condition of the partial index ix_episodes_text, which SQLite only uses for a
            // query that states it: the count and a page of a search read that index, not the rows.
            episodes = episodes
                .Where(e => e.Prompt != null || e.Submission != null)
                .WhereEitherLike(context.Database, e => e.Prompt, e => e.Submission, pattern, LikeEscape);
        }

        return episodes;
    }

    /// <summary>The query's order, then newest first, then by id, so pages never overlap.</summary>
    private static IQueryable<EpisodeEntity> Order(ChaosLabDbContext context, IQueryable<EpisodeEntity> episodes, EpisodeQuery query)
    {
        var descending = query.Descending;
        var ordered = query.Sort switch
        {
            EpisodeSortKey.Score => episodes.OrderByNullable(context.Database, e => e.Score, descending),
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

        // In chunks, like the fired faults: binding the parameters of one "IN (@ids1, ...)" costs
        // a name lookup per parameter over all of them, which made 5,000 ids (the analytics
        // sample) take 100 times as long as 10 chunks of 500.
        var faults = new List<EpisodeFaultEntity>();
        foreach (var ids in episodes.Select(e => e.Id).Chunk(FaultChunk))
        {
            faults.AddRange(await context.EpisodeFaults.AsNoTracking()
                .Where(f => ids.Contains(f.EpisodeId))
                .OrderBy(f => f.EpisodeId).ThenBy(f => f.Kind)
                .ToListAsync(cancellationToken));
        }

        return faults.ToLookup(f => f.EpisodeId, f => f.Kind, StringComparer.Ordinal);
    }

    private async Task<List<EpisodeTrajectory>> TrajectoriesAsync(
        ChaosLabDbContext context, List<EpisodeEntity> episodes, CancellationToken cancellationToken)
    {
        if (episodes.Count == 0)
        {
            return [];
        }

        var ids = episodes.Select(e => e.Id).ToArray();
        var faults = await FaultKindsAsync(context, episodes, cancellationToken);
        var rows = await context.Steps.AsNoTracking()
            .Where(s => ids.Contains(s.EpisodeId))
            .OrderBy(s => s.EpisodeId).ThenBy(s => s.StepIndex)
            .ToListAsync(cancellationToken);
        var dictionaries = await DictionariesAsync(context,
            rows.Select(r => StepBody.DictionaryId(r.Body)).Concat(episodes.Select(e => e.Grade is { } grade ? StoredGrade.DictionaryId(grade) : (int?)null)),
            cancellationToken);
        var fragments = await FragmentsAsync(context, rows, dictionaries, cancellationToken);
        var steps = rows.Select(row => ToRecordedStep(row, fragments, dictionaries)).ToLookup(s => s.EpisodeId, StringComparer.Ordinal);
        return [.. episodes.Select(e => EpisodeDisclosure.Trajectory(new EpisodeTrajectory(EpisodeSummary.From(e, [.. faults[e.Id]]), GradeText(e, dictionaries), [.. steps[e.Id]])))];
    }

    /// <summary>The grade as JSON, from whichever column the episode's schema version wrote it to.</summary>
    private static string? GradeText(EpisodeEntity episode, Func<int, BodyDictionary> dictionaries) =>
        episode.Grade is { } grade ? StoredGrade.Decode(grade, dictionaries) : episode.GradeJson;

    private static RecordedStep ToRecordedStep(StepEntity row, IReadOnlyDictionary<string, string> fragments, Func<int, BodyDictionary> dictionaries)
    {
        var text = StepBody.Decode(row.Body, hash => fragments.TryGetValue(hash, out var fragment)
            ? fragment
            : throw new InvalidDataException($"Step {row.StepIndex} of episode '{row.EpisodeId}' refers to fragment '{hash}', which the store does not hold."),
            dictionaries);
        return new RecordedStep
        {
            EpisodeId = row.EpisodeId,
            StepIndex = row.StepIndex,
            ActionJson = text.ActionJson,
            ObservationJson = text.ObservationJson,
            CleanResult = text.CleanResult,
            DeliveredResult = text.DeliveredResult,
            FaultsJson = text.FaultsJson,
            RewardComponentsJson = text.RewardComponentsJson,
            Reward = row.Reward,
            Done = row.Done,
            EpisodeTime = row.EpisodeTime,
            WallTimeUs = row.WallTimeUs,
            Error = text.Error,
        };
    }

    /// <summary>The fragments the reset bodies among <paramref name="rows"/> refer to; fragments never change, so they are cached.</summary>
    private async Task<IReadOnlyDictionary<string, string>> FragmentsAsync(
        ChaosLabDbContext context, List<StepEntity> rows, Func<int, BodyDictionary> dictionaries, CancellationToken cancellationToken)
    {
        var missing = rows.Where(r => r.StepIndex == 0)
            .SelectMany(r => StepBody.FragmentHashes(r.Body, dictionaries))
            .Where(hash => !_fragments.ContainsKey(hash))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (missing.Length > 0)
        {
            var loaded = await context.StepFragments.AsNoTracking()
                .Where(f => missing.Contains(f.Hash))
                .ToListAsync(cancellationToken);
            foreach (var fragment in loaded)
            {
                _fragments.TryAdd(fragment.Hash, fragment.Text);
            }
        }

        return _fragments;
    }

    /// <summary>
    /// The stored compression dictionaries the given ids name (null: none needed), loaded once and
    /// cached, as a lookup for the decoders.
    /// </summary>
    private async Task<Func<int, BodyDictionary>> DictionariesAsync(
        ChaosLabDbContext context, IEnumerable<int?> ids, CancellationToken cancellationToken)
    {
        var missing = ids.OfType<int>().Where(id => !_dictionaries.ContainsKey(id)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            var loaded = await context.BodyDictionaries.AsNoTracking()
                .Where(d => missing.Contains(d.Id))
                .ToListAsync(cancellationToken);
            foreach (var dictionary in loaded)
            {
                _dictionaries.TryAdd(dictionary.Id, Stored(dictionary));
            }
        }

        return id => _dictionaries.TryGetValue(id, out var dictionary)
            ? dictionary
            : throw new InvalidDataException($"A stored body names compression dictionary {id}, which the store does not hold.");
    }

    /// <summary>The build's own instance when the stored bytes are its released dictionary's: it shares the zstd contexts already made.</summary>
    private static BodyDictionary Stored(BodyDictionaryEntity stored) =>
        BodyDictionaries.Released.FirstOrDefault(d => d.Id == stored.Id && d.Content.AsSpan().SequenceEqual(stored.Content))
        ?? new BodyDictionary(stored.Id, stored.Name, stored.Content);

    private const string LikeEscape = "\\";

    /// <summary>The outcome of an episode that ended without a grade.</summary>
    public const string AbandonedOutcome = "abandoned";

    private static string EscapeLike(string text) => text
        .Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
        .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
        .Replace("_", LikeEscape + "_", StringComparison.Ordinal);
}

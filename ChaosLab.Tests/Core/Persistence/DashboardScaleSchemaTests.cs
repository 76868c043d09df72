using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>
/// Schema version 11: episode totals and leaderboard cells kept by triggers, facets read by
/// skipping through indexes, fault-filter counts from the fault-kind index, and the windowed
/// leaderboard index. Every kept number is checked against the same number counted from the rows.
/// </summary>
public sealed class DashboardScaleSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The cells as counted from the rows, in the form <see cref="CellsAsync"/> reads them.</summary>
    private const string CountedCells = """
        SELECT mode || '|' || agent || '|' || suite || '|' || task_id || '|' || tier || '|' || COUNT(*) || '|' || SUM(success IS 1)
               || '|' || printf('%.9f', SUM(score)) || '|' || printf('%.9f', SUM(score * score)) || '|' || COALESCE(MAX(ended_at), MAX(started_at))
        FROM episodes WHERE outcome IS NOT NULL AND outcome <> 'abandoned' AND score IS NOT NULL
        GROUP BY mode, agent, suite, task_id, tier ORDER BY 1
        """;

    private const string KeptCells = """
        SELECT mode || '|' || agent || '|' || suite || '|' || task_id || '|' || tier || '|' || episodes || '|' || successes
               || '|' || printf('%.9f', score_sum) || '|' || printf('%.9f', score_square_sum) || '|' || last_activity
        FROM leaderboard_cells ORDER BY 1
        """;

    private const string CountedTotals = "SELECT mode || '|' || COUNT(*) || '|' || SUM(step_count) FROM episodes GROUP BY mode ORDER BY 1";

    private const string KeptTotals = "SELECT mode || '|' || episodes || '|' || steps FROM episode_totals WHERE episodes > 0 ORDER BY 1";

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    private SqliteFile Database => new(DatabasePath);

    [Fact]
    public async Task MigrateAsync_Version9DatabaseWithEpisodes_FillsTotalsAndCellsFromTheRows()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version < 10)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InsertEpisodesAsync();
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        var again = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal((9, SchemaHistory.CurrentVersion), (previous, again));
        Assert.Equal(
            ["practice|p|tools|task1|easy|1|1|0.500000000|0.250000000|1795253460000", "sealed|a|tools|task1|easy|2|1|1.250000000|1.062500000|1795253420000",
             "sealed|b|tools|task2|hard|1|0|0.000000000|0.000000000|1795253430000"],
            await Database.QueryAsync(KeptCells));
        Assert.Equal(await Database.QueryAsync(CountedCells), await Database.QueryAsync(KeptCells));
        Assert.Equal(["practice|2|4", "sealed|4|9"], await Database.QueryAsync(KeptTotals));
        Assert.Equal(await Database.QueryAsync(CountedTotals), await Database.QueryAsync(KeptTotals));
    }

    [Fact]
    public async Task Triggers_RecordGradeAbandonAndPrune_KeptNumbersMatchTheRowsAfterEveryChange()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        string[] changes =
        [
            // Recorded as the recorder does: the start, a step at a time, the grade.
            "INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at) VALUES ('r', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'sealed', 1795253400000)",
            "UPDATE episodes SET step_count = 1 WHERE id = 'r' AND step_count < 1",
            "UPDATE episodes SET step_count = 2 WHERE id = 'r' AND step_count < 2",
            "UPDATE episodes SET ended_at = 1795253409000, outcome = 'correct', score = 0.75, success = 1 WHERE id = 'r'",
            "INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at) VALUES ('s', 'tools', 'task1', 'easy', 'E01', 2, 'a', 'ws', 'sealed', 1795253500000)",
            "UPDATE episodes SET ended_at = 1795253509000, outcome = 'wrong', score = 0.125, success = 0, step_count = 3 WHERE id = 's'",
            // Abandoned: counted in the totals, never in a cell.
            "INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, step_count) VALUES ('t', 'tools', 'task1', 'easy', 'E01', 3, 'a', 'http', 'practice', 1795253600000, 4)",
            "UPDATE episodes SET ended_at = 1795253609000, outcome = 'abandoned' WHERE id = 't'",
            // A regrade moves the episode's score within its cell; retention deletes.
            "UPDATE episodes SET score = 0.5 WHERE id = 's'",
            "DELETE FROM episodes WHERE id = 't'",
            "DELETE FROM episodes WHERE id = 'r'",
            "DELETE FROM episodes WHERE id = 's'",
        ];
        foreach (var change in changes)
        {
            await Database.ExecuteAsync(change);
            Assert.Equal(await Database.QueryAsync(CountedCells), await Database.QueryAsync(KeptCells));
            Assert.Equal(await Database.QueryAsync(CountedTotals), await Database.QueryAsync(KeptTotals));
        }

        Assert.Empty(await Database.QueryAsync("SELECT agent FROM leaderboard_cells"));
    }

    [Fact]
    public async Task Store_KeptNumbers_AnswerAsCountingTheRowsWould()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InsertEpisodesAsync();
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();

        Assert.Equal(6, await store.CountAsync());
        Assert.Equal(6, (await store.SearchAsync(new EpisodeQuery())).Total);
        Assert.Equal(4, (await store.SearchAsync(new EpisodeQuery { Mode = EpisodeModes.Sealed })).Total);
        Assert.Equal(3, (await store.SearchAsync(new EpisodeQuery { Mode = EpisodeModes.Sealed, GradedOnly = true })).Total);
        Assert.Equal(2, (await store.SearchAsync(new EpisodeQuery { Agent = "a", Suite = "tools", GradedOnly = true })).Total);
        // The running episode's fault is not disclosed; 'p1' and 'a1' share none, 'b1' has both kinds.
        Assert.Equal(["b1", "a1"], (await store.SearchAsync(new EpisodeQuery { FaultKinds = ["timeout", "stale"] })).Items.Select(e => e.Id));
        Assert.Equal(2, (await store.SearchAsync(new EpisodeQuery { FaultKinds = ["timeout", "stale"] })).Total);
        Assert.Equal(1, (await store.SearchAsync(new EpisodeQuery { FaultKinds = ["stale"], Agent = "b" })).Total);

        var all = await store.LeaderboardAsync(new EpisodeQuery { Mode = EpisodeModes.Sealed });
        Assert.Equal(
            [("a", "task1", 2, 1, 1.25, 1.0625, DateTimeOffset.FromUnixTimeMilliseconds(1795253420000)), ("b", "task2", 1, 0, 0.0, 0.0, DateTimeOffset.FromUnixTimeMilliseconds(1795253430000))],
            all.OrderBy(g => g.Agent, StringComparer.Ordinal).Select(g => (g.Agent, g.TaskId, g.Episodes, g.Correct, g.ScoreSum, g.ScoreSquareSum, g.LastActivity)));
        // A window is grouped from the rows: only 'a2' started in it.
        var window = await store.LeaderboardAsync(new EpisodeQuery { Mode = EpisodeModes.Sealed, From = DateTimeOffset.FromUnixTimeMilliseconds(1795253405000) });
        Assert.Equal([("a", 1), ("b", 1)], window.OrderBy(g => g.Agent, StringComparer.Ordinal).Select(g => (g.Agent, g.Episodes)));
        var both = await store.LeaderboardAsync(new EpisodeQuery());
        Assert.Equal([("a", 2), ("b", 1), ("p", 1)], both.OrderBy(g => g.Agent, StringComparer.Ordinal).Select(g => (g.Agent, g.Episodes)));
    }

    [Fact]
    public async Task SearchAsync_EpisodeWithEveryColumn_SummaryAsTheFullRowGivesIt()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent, client_kind, mode, started_at,
                                  ended_at, outcome, score, success, step_count, prompt, submission, grade_json, final_reward, abandon_reason)
            VALUES ('full', 'tools', 'task2', 'hard', 'E07', 3, 42, 12, 'a', 'http', 'sealed', 1795253400000,
                    1795253410000, 'partial', 0.625, 0, 7, 'What is it?', '42 units', '{"score":0.625}', -0.25, 'none');
            INSERT INTO episode_faults (episode_id, kind) VALUES ('full', 'timeout');
            """);
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();

        var listed = Assert.Single((await store.SearchAsync(new EpisodeQuery())).Items);

        Assert.Equivalent(EpisodeSummary.From((await store.FindAsync("full"))!, ["timeout"]), listed, strict: true);
        Assert.Equal("""{"score":0.625}""", (await store.GetTrajectoryAsync("full"))!.GradeJson);
    }

    [Fact]
    public async Task SampleAsync_MoreEpisodesThanOneFaultQueryTakes_EveryEpisodeKeepsItsFaultKinds()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199)
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score)
            SELECT printf('ep-%04d', i), 'tools', 'task1', 'easy', 'E01', i, 'a', 'ws', 'practice', 1795253400000 + i, 1795253500000 + i, 'correct', 1 FROM n;
            INSERT INTO episode_faults (episode_id, kind) SELECT id, CASE WHEN seed % 2 = 0 THEN 'timeout' ELSE 'stale' END FROM episodes;
            """);
        await using var services = BuildServices();

        var (items, total) = await services.GetRequiredService<EpisodeStore>().SampleAsync(new EpisodeQuery(), 1_200);

        Assert.Equal((1_200, 1_200), (items.Count, total));
        Assert.All(items, e => Assert.Equal([e.Seed % 2 == 0 ? "timeout" : "stale"], e.FaultKinds));
    }

    [Fact]
    public async Task PairedEpisodesAsync_UnderTheLimit_BothAgentsOnSharedKeysOnly()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InsertPairingEpisodesAsync(seeds: 3);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score)
            VALUES ('alone', 'tools', 'task1', 'easy', 'E01', 99, 'a', 'ws', 'practice', 1795253400000, 1795253500000, 'correct', 1),
                   ('running', 'tools', 'task1', 'easy', 'E01', 0, 'b', 'ws', 'practice', 1795253400000, NULL, NULL, NULL);
            """);
        await using var services = BuildServices();

        var paired = await services.GetRequiredService<EpisodeStore>().PairedEpisodesAsync("a", "b", new EpisodeQuery(), 100);

        Assert.False(paired.Truncated);
        Assert.Equal(["a-0-0", "a-0-1", "a-1-0", "a-1-1", "a-2-0", "a-2-1", "b-0-0", "b-1-0", "b-2-0"], paired.Episodes.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PairedEpisodesAsync_OverTheLimit_KeepsOnlyKeysBothSidesHoldInFull()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InsertPairingEpisodesAsync(seeds: 10);
        await using var services = BuildServices();

        // Agent a has two episodes per seed, b one: a's half of 10 ends inside seed 2 (a-2-0 read, a-2-1 not).
        var paired = await services.GetRequiredService<EpisodeStore>().PairedEpisodesAsync("a", "b", new EpisodeQuery(), 10);

        Assert.True(paired.Truncated);
        Assert.Equal(["a-0-0", "a-0-1", "a-1-0", "a-1-1", "b-0-0", "b-1-0"], paired.Episodes.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FacetsAsync_SeveralSuites_EveryDistinctValueSortedAndNoNulls()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InsertEpisodesAsync();
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at)
            VALUES ('m1', 'mast', 'diagnose', 'expert', 'M01', 9, 'A', 'ws', 'practice', 1795253700000),
                   ('m2', 'mast', 'task1', 'beginner', 'M02', 9, 'Z', 'ws', 'practice', 1795253700000);
            """);
        await using var services = BuildServices();

        var facets = await services.GetRequiredService<EpisodeStore>().FacetsAsync();

        Assert.Equal(["A", "Z", "a", "b", "p"], facets.Agents);
        Assert.Equal(["mast", "tools"], facets.Suites);
        Assert.Equal(["diagnose", "task1", "task2"], facets.Tasks);
        Assert.Equal(["beginner", "easy", "expert", "hard"], facets.Tiers);
        Assert.Equal(["E01", "E02", "M01", "M02", "P01"], facets.Scenarios);
        Assert.Equal(["abandoned", "correct", "wrong"], facets.Outcomes);
        Assert.Equal(["stale", "timeout"], facets.FaultKinds);
    }

    [Fact]
    public async Task QueryPlans_DashboardQueries_WalkIndexesInsteadOfScanningEpisodes()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        async Task<string> PlanAsync(string sql) => string.Join('\n', await Database.QueryAsync("EXPLAIN QUERY PLAN " + sql, column: 3));

        // A facet value is one probe of an index that starts with the column.
        Assert.Contains("COVERING INDEX ix_episodes_suite (suite=? AND task_id>?)",
            await PlanAsync("SELECT MIN(task_id) FROM episodes WHERE suite = 'tools' AND task_id > 'a'"), StringComparison.Ordinal);
        // A windowed leaderboard reads a range of the leaderboard index and nothing else.
        Assert.Contains("SEARCH episodes USING COVERING INDEX ix_episodes_leaderboard (mode=? AND started_at>?)", await PlanAsync(
            "SELECT agent, COUNT(*), SUM(score), MAX(ended_at) FROM episodes WHERE mode = 'sealed' AND started_at > 5 AND outcome IS NOT NULL AND score IS NOT NULL GROUP BY agent, suite, task_id, tier"),
            StringComparison.Ordinal);
        // The comparison page's "did the other agent play this seed" is a lookup.
        Assert.Contains("COVERING INDEX ix_episodes_pairing (agent=? AND suite=? AND scenario_id=? AND seed=?)",
            await PlanAsync("SELECT 1 FROM episodes WHERE agent = 'b' AND suite = 'tools' AND scenario_id = 'E01' AND seed = 4"), StringComparison.Ordinal);
        // An agent's episodes with one outcome are counted from an index, not from their rows.
        Assert.Contains("COVERING INDEX ix_episodes_agent_outcome (agent=? AND outcome=?)",
            await PlanAsync("SELECT COUNT(*) FROM episodes WHERE agent = 'a' AND outcome = 'correct'"), StringComparison.Ordinal);
        // The newest graded episodes come from the start-time index alone.
        Assert.Equal("SCAN episodes USING COVERING INDEX ix_episodes_started_at", await PlanAsync(
            "SELECT id FROM episodes WHERE outcome IS NOT NULL AND outcome <> 'abandoned' AND score IS NOT NULL ORDER BY started_at DESC, id LIMIT 50"));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Sealed: 'a1' and 'a2' graded (agent a, one success), 'b1' graded with score 0, 'open'
    /// running with a fault; practice: 'p1' graded, 'gone' abandoned. Faults: 'a1' timeout,
    /// 'b1' timeout and stale, 'open' stale.
    /// </summary>
    /// <summary>Graded episodes of agents a (two per seed) and b (one per seed) on one scenario, seeds 0 to <paramref name="seeds"/> - 1.</summary>
    private Task InsertPairingEpisodesAsync(int seeds) => Database.ExecuteAsync($"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {seeds - 1}),
        runs(agent, k) AS (VALUES ('a', 0), ('a', 1), ('b', 0))
        INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score)
        SELECT runs.agent || '-' || i || '-' || runs.k, 'tools', 'task1', 'easy', 'E01', i, runs.agent, 'ws', 'practice',
               1795253400000 - i * 1000 + runs.k, 1795253500000, 'correct', 0.5
        FROM n, runs;
        """);

    private Task InsertEpisodesAsync() => Database.ExecuteAsync("""
        INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, success, step_count)
        VALUES ('a1', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'sealed', 1795253400000, 1795253410000, 'correct', 1.0, 1, 3),
               ('a2', 'tools', 'task1', 'easy', 'E01', 2, 'a', 'ws', 'sealed', 1795253410000, 1795253420000, 'wrong', 0.25, 0, 2),
               ('b1', 'tools', 'task2', 'hard', 'E02', 1, 'b', 'http', 'sealed', 1795253420000, 1795253430000, 'wrong', 0.0, 0, 4),
               ('open', 'tools', 'task2', 'hard', 'E02', 3, 'b', 'http', 'sealed', 1795253440000, NULL, NULL, NULL, NULL, 0),
               ('p1', 'tools', 'task1', 'easy', 'P01', 5, 'p', 'eval', 'practice', 1795253450000, 1795253460000, 'correct', 0.5, 1, 1),
               ('gone', 'tools', 'task1', 'easy', 'P01', 6, 'p', 'eval', 'practice', 1795253470000, 1795253480000, 'abandoned', NULL, NULL, 3);
        INSERT INTO episode_faults (episode_id, kind) VALUES ('a1', 'timeout'), ('b1', 'timeout'), ('b1', 'stale'), ('open', 'stale');
        """);

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();
}

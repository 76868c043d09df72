using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema versions 2 (steps and fault kinds) and 3 (query indexes): the upgrades, and the EF model against the SQL.</summary>
public sealed class EpisodeSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private SqliteFile Database => new(DatabasePath);

    private string DatabasePath => _directory.File("chaoslab.db");

    [Fact]
    public async Task MigrateAsync_Version1DatabaseWithEpisodes_UpgradesToCurrentAndKeepsRows()
    {
        await new SchemaMigrator([SchemaHistory.Upgrades[0]], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, started_at, ended_at, outcome, score)
            VALUES ('old-1', 'tools', 'task1', 'easy', 'E01', 42, 'naive', 'ws', 1795253400000, 1795253403250, 'correct', 0.875),
                   ('old-2', 'tools', 'task2', 'hard', 'E07', 43, 'human', 'ui', 1795253500000, NULL, NULL, NULL)
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(1, previous);
        Assert.Equal(SchemaHistory.CurrentVersion, await SchemaMigrator.ReadVersionAsync(DatabasePath));
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();
        var old = await store.FindAsync("old-1");
        Assert.NotNull(old);
        Assert.Equal(
            ("tools", "task1", "E01", 42L, "naive", DateTimeOffset.FromUnixTimeMilliseconds(1795253400000), "correct", (double?)0.875, 0, 0, (string?)null),
            (old.Suite, old.TaskId, old.ScenarioId, old.Seed, old.Agent, old.StartedAt, old.Outcome, old.Score, old.StepCount, old.MaxSteps, old.GradeJson));
        var page = await store.SearchAsync(new EpisodeQuery());
        Assert.Equal(["old-2", "old-1"], page.Items.Select(e => e.Id));
        Assert.Empty((await store.GetTrajectoryAsync("old-2"))!.Steps);
    }

    [Fact]
    public async Task MigrateAsync_Version2DatabaseWithEpisodes_UpgradesKeepsRowsAndPagesWalkCoveringIndexes()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Take(2)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, started_at, ended_at, outcome, score, step_count)
            VALUES ('v2-1', 'tools', 'task1', 'easy', 'E01', 42, 'naive', 'ws', 1795253400000, 1795253403250, 'correct', 0.875, 3),
                   ('v2-2', 'mast', 'diagnose', 'hard', 'M01', 43, 'resilient', 'ui', 1795253500000, 1795253501000, 'wrong', 0.25, 5),
                   ('v2-3', 'tools', 'task1', 'easy', 'E01', 44, 'naive', 'ws', 1795253600000, NULL, NULL, NULL, 1);
            INSERT INTO episode_faults (episode_id, kind) VALUES ('v2-2', 'timeout');
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(2, previous);
        Assert.Equal(SchemaHistory.CurrentVersion, await SchemaMigrator.ReadVersionAsync(DatabasePath));
        await using (var services = BuildServices())
        {
            var store = services.GetRequiredService<EpisodeStore>();
            Assert.Equal(["v2-3", "v2-2", "v2-1"], (await store.SearchAsync(new EpisodeQuery())).Items.Select(e => e.Id));
            Assert.Equal(["v2-3", "v2-1", "v2-2"], (await store.SearchAsync(new EpisodeQuery { Sort = EpisodeSortKey.Agent, Descending = false })).Items.Select(e => e.Id));
            Assert.Equal(["v2-2"], (await store.SearchAsync(new EpisodeQuery { Suite = "mast", FaultKinds = ["timeout"] })).Items.Select(e => e.Id));
            // Episodes from before modes existed were played on client-visible seeds: practice.
            Assert.Empty(await store.LeaderboardAsync(new EpisodeQuery { Mode = EpisodeModes.Sealed }));
            var board = await store.LeaderboardAsync(new EpisodeQuery { Mode = EpisodeModes.Practice });
            Assert.Equal([("naive", 1), ("resilient", 1)], board.OrderBy(g => g.Agent, StringComparer.Ordinal).Select(g => (g.Agent, g.Episodes)));
        }

        var indexes = await Database.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'episodes' AND sql IS NOT NULL");
        Assert.Contains("ix_episodes_agent_started_at", indexes);
        Assert.Contains("ix_episodes_leaderboard", indexes);
        Assert.DoesNotContain("ix_episodes_agent", indexes);
        // The slow page of the benchmark (sort by agent, deep page): the ids come from an index walk, not a sort of the table.
        var plan = string.Join('\n', await Database.QueryAsync(
            "EXPLAIN QUERY PLAN SELECT id FROM episodes ORDER BY agent, started_at DESC, id LIMIT 50 OFFSET 49950", column: 3));
        Assert.Contains("COVERING INDEX ix_episodes_agent_started_at", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseBeforeSuccessColumn_SuccessDerivedForGradedEpisodesOnly()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version < 7)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score)
            VALUES ('won', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'sealed', 1795253400000, 1795253401000, 'correct', 0.9),
                   ('lost', 'tools', 'task1', 'easy', 'E01', 2, 'a', 'ws', 'sealed', 1795253400000, 1795253401000, 'partial', 0.4),
                   ('left', 'tools', 'task1', 'easy', 'E01', 3, 'a', 'ws', 'sealed', 1795253400000, 1795253401000, 'abandoned', NULL),
                   ('open', 'tools', 'task1', 'easy', 'E01', 4, 'a', 'ws', 'sealed', 1795253400000, NULL, NULL, NULL);
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(6, previous);
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();
        Assert.Equal(
            [(bool?)true, false, null, null],
            [(await store.FindAsync("won"))!.Success, (await store.FindAsync("lost"))!.Success, (await store.FindAsync("left"))!.Success, (await store.FindAsync("open"))!.Success]);
        var group = Assert.Single(await store.LeaderboardAsync(new EpisodeQuery { Mode = EpisodeModes.Sealed }));
        Assert.Equal((2, 1), (group.Episodes, group.Correct));
    }

    [Fact]
    public async Task AbandonInterruptedAsync_EpisodesLeftRunning_AbandonedWithTheirLastDurableStep()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, step_count)
            VALUES ('done', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'sealed', 1795253400000, 1795253401000, 'correct', 1, 2),
                   ('cut', 'tools', 'task1', 'easy', 'E01', 2, 'a', 'ws', 'sealed', 1795253400000, NULL, NULL, NULL, 2),
                   ('fresh', 'tools', 'task1', 'easy', 'E01', 3, 'a', 'http', 'practice', 1795253400000, NULL, NULL, NULL, 0);
            INSERT INTO steps (episode_id, step_index, body, reward, done, episode_time, wall_time_us)
            VALUES ('cut', 0, x'01', 0, 0, 0, 0), ('cut', 1, x'01', 0, 0, 0, 0), ('cut', 2, x'01', 0, 0, 0, 0),
                   ('fresh', 0, x'01', 0, 0, 0, 0);
            """);
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();

        var abandoned = await store.AbandonInterruptedAsync(Now);
        var again = await store.AbandonInterruptedAsync(Now.AddMinutes(1));

        Assert.Equal((2, 0), (abandoned, again));
        var cut = (await store.FindAsync("cut"))!;
        Assert.Equal(("abandoned", Now), (cut.Outcome, cut.EndedAt!.Value));
        Assert.EndsWith("the last durable step is 2", cut.AbandonReason, StringComparison.Ordinal);
        Assert.EndsWith("the last durable step is 0", (await store.FindAsync("fresh"))!.AbandonReason, StringComparison.Ordinal);
        Assert.Equal("correct", (await store.FindAsync("done"))!.Outcome);
    }

    [Fact]
    public async Task Model_CurrentSchema_EveryEntityMapsExactlyTheTablesColumns()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var services = BuildServices();
        await using var context = await services.GetRequiredService<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();

        foreach (var entity in context.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var mapped = entity.GetProperties().Select(p => p.GetColumnName()).Order(StringComparer.Ordinal);
            var actual = (await Database.QueryAsync($"SELECT name FROM pragma_table_info('{table}')")).Order(StringComparer.Ordinal);
            Assert.Equal(actual, mapped);
        }

        Assert.Equal(["agent_traces", "body_dictionaries", "curricula", "curriculum_episodes", "episode_faults", "episodes", "eval_run_items", "eval_runs", "scenario_drafts", "scenarios", "step_fragments", "steps"], context.Model.GetEntityTypes().Select(e => e.GetTableName()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveChanges_EveryColumn_RoundTripsThroughTheSqlSchema()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        var episode = new EpisodeEntity
        {
            Id = "ep-all",
            Suite = "gauntlet",
            TaskId = "harden",
            Tier = "expert",
            ScenarioId = "G09",
            ScenarioVersion = 4,
            Seed = long.MaxValue,
            MaxSteps = 25,
            Agent = "llm:gpt",
            ClientKind = "eval",
            StartedAt = Now,
            EndedAt = Now.AddMilliseconds(12_345),
            Outcome = "wrong",
            Score = 0.125,
            StepCount = 1,
            Prompt = "Harden parse_date",
            Submission = """{"code":"def f(): pass"}""",
            GradeJson = """{"score":0.125}""",
            FinalReward = -0.5,
            AbandonReason = null,
        };
        var step = new StepEntity
        {
            EpisodeId = "ep-all",
            StepIndex = 1,
            Body = [1, 2, 3],
            FiredFaults = "wrong_number",
            Reward = 0.1,
            Done = true,
            EpisodeTime = Now.AddSeconds(90),
            WallTimeUs = 1_234_567,
        };
        var fault = new EpisodeFaultEntity { EpisodeId = "ep-all", Kind = "wrong_number" };

        await using (var services = BuildServices())
        await using (var context = await services.GetRequiredService<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync())
        {
            context.AddRange(step, fault, episode);
            await context.SaveChangesAsync();
        }

        SqliteConnection.ClearAllPools();
        await using (var services = BuildServices())
        await using (var context = await services.GetRequiredService<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync())
        {
            Assert.Equivalent(episode, await context.Episodes.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(step, await context.Steps.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(fault, await context.EpisodeFaults.AsNoTracking().SingleAsync(), strict: true);
        }

        Assert.Equal(["1795253412345|1795253490000|1"], await Database.QueryAsync("SELECT e.ended_at || '|' || s.episode_time || '|' || s.done FROM episodes e JOIN steps s ON s.episode_id = e.id"));
    }

    public void Dispose() => _directory.Dispose();

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();
}

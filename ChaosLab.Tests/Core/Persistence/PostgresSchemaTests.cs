using System.Data.Common;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Persistence.Schema.Postgres;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>
/// The PostgreSQL schema: its history in step with SQLite's, the baseline against the EF model, the
/// migrator's lock and refusals, and the triggers and keys behaving as SQLite's do.
/// </summary>
public sealed class PostgresSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Histories_BothEngines_EndAtTheSameVersionWithTheSameDescription()
    {
        Assert.Equal(
            (SchemaHistory.CurrentVersion, SchemaHistory.Upgrades[^1].Description),
            (PostgresSchemaHistory.CurrentVersion, PostgresSchemaHistory.Upgrades[^1].Description));
        Assert.True(PostgresSchemaHistory.Upgrades.Select(u => u.Version).SequenceEqual(
            SchemaHistory.Upgrades.Select(u => u.Version).SkipWhile(v => v < PostgresSchemaHistory.Upgrades[0].Version)));
    }

    [PostgresFact]
    public async Task Model_MigratedPostgres_EveryEntityMapsExactlyTheTablesColumnsTypesAndNullability()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);
        await using var context = await store.Get<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();

        foreach (var entity in context.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var mapped = entity.GetProperties()
                .Select(p => $"{p.GetColumnName()} {p.GetColumnType()} {(p.IsColumnNullable() ? "NULL" : "NOT NULL")}")
                .Order(StringComparer.Ordinal);
            var actual = (await store.QueryAsync($"""
                SELECT column_name || ' ' || data_type || ' ' || CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END
                FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'
                """)).Order(StringComparer.Ordinal);
            Assert.Equal(actual, mapped);
        }
    }

    [PostgresFact]
    public async Task Schema_MigratedPostgres_HasSqlitesTablesIndexesAndTriggers()
    {
        await using var sqlite = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await using var postgres = await TestStore.CreateAsync(StoreProvider.Postgres);

        Assert.Equal(
            await sqlite.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
            await postgres.QueryAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name COLLATE \"C\""));
        // The text-search index is SQLite's only: PostgreSQL's b-tree entries cannot hold long prompts.
        Assert.Equal(
            (await sqlite.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name")).Where(n => n != "ix_episodes_text"),
            await postgres.QueryAsync("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix\\_%' ORDER BY indexname COLLATE \"C\""));
        Assert.Equal(
            await sqlite.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"),
            await postgres.QueryAsync("SELECT DISTINCT trigger_name::text COLLATE \"C\" AS name FROM information_schema.triggers WHERE trigger_schema = current_schema() ORDER BY name"));
        Assert.Equal(
            await sqlite.QueryAsync("SELECT id, name, length(content) FROM body_dictionaries ORDER BY id"),
            await postgres.QueryAsync("SELECT id, name, length(content) FROM body_dictionaries ORDER BY id"));
    }

    [StoreTheory]
    public async Task SaveChanges_EveryEntity_RoundTripsThroughTheSchema(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var episode = new EpisodeEntity
        {
            Id = "ep-all", Suite = "gauntlet", TaskId = "harden", Tier = "expert", ScenarioId = "G09", ScenarioVersion = 4,
            Seed = long.MaxValue, MaxSteps = 25, Agent = "llm:gpt", ClientKind = "eval", Mode = "sealed", StartedAt = Now,
            EndedAt = Now.AddMilliseconds(12_345), Outcome = "wrong", Score = 0.125, Success = false, StepCount = 1,
            Prompt = "Harden parse_date", Submission = """{"code":"def f(): pass"}""", GradeJson = """{"score":0.125}""",
            Grade = [9, 8, 7], FinalReward = -0.5, AbandonReason = null,
        };
        var step = new StepEntity
        {
            EpisodeId = "ep-all", StepIndex = 1, Body = [1, 2, 3], FiredFaults = "wrong_number", Reward = 0.1, Done = true,
            EpisodeTime = Now.AddSeconds(90), WallTimeUs = long.MaxValue - 1,
        };
        var fault = new EpisodeFaultEntity { EpisodeId = "ep-all", Kind = "wrong_number" };
        var scenario = new ScenarioEntity
        {
            Id = "My-Scenario", Version = 2, Suite = "tools", TaskId = "task1", Tier = "easy", Family = "lookup", Title = "Éclair ✓",
            DocumentJson = "{}", CreatedAt = Now, Author = "ada",
        };
        var draft = new ScenarioDraftEntity
        {
            Id = "My-Draft", Suite = "tools", Version = 1, Revision = 3, BaseVersion = null, Author = null, CreatedAt = Now,
            UpdatedAt = Now.AddMinutes(1), DocumentJson = "{}",
        };
        var run = new EvaluationRunEntity
        {
            Id = "run-1", Name = "nightly", Agent = "naive", Model = null, Harness = "{}", AssignmentJson = "{}", AblationId = "abl",
            Variant = "base", Origin = "api", Status = "running", CreatedAt = Now, StartedAt = Now.AddSeconds(1), EndedAt = null, Error = null,
        };
        var item = new EvaluationRunItemEntity
        {
            RunId = "run-1", Key = "E01/0/0", Sequence = 0, Suite = "tools", TaskId = "task1", Tier = "easy", ScenarioId = "E01",
            SeedIndex = 0, Trial = 0, Status = "done", Attempts = 1, EpisodeId = "ep-all", Outcome = "wrong", Score = 0.125,
            Success = true, Steps = 7, InterventionsJson = "[]", Error = null, StartedAt = Now, EndedAt = Now.AddSeconds(3),
        };
        var curriculum = new CurriculumEntity { Name = "cur", Suite = "tools", RulesJson = "{}", CurrentTier = "warmup", CreatedAt = Now, UpdatedAt = Now };
        var decision = new CurriculumEpisodeEntity
        {
            EpisodeId = "ep-all", Curriculum = "cur", Sequence = 1, Tier = "warmup", Advanced = true, WindowEpisodes = 5,
            WindowSuccesses = 4, Reason = "promoted", DecidedAt = Now,
        };
        var trace = new AgentTraceEntity { EpisodeId = "ep-all", RunId = "run-1", TraceJson = "[]", CreatedAt = Now };

        await using (var context = await store.Get<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync())
        {
            context.AddRange(step, fault, episode, scenario, draft, item, run, decision, curriculum, trace);
            await context.SaveChangesAsync();
        }

        await using (var context = await store.BuildServices().GetRequiredService<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync())
        {
            Assert.Equivalent(episode, await context.Episodes.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(step, await context.Steps.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(fault, await context.EpisodeFaults.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(scenario, await context.Scenarios.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(draft, await context.ScenarioDrafts.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(run, await context.EvaluationRuns.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(item, await context.EvaluationRunItems.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(curriculum, await context.Curricula.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(decision, await context.CurriculumEpisodes.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equivalent(trace, await context.AgentTraces.AsNoTracking().SingleAsync(), strict: true);
            Assert.Equal([BodyDictionaries.StepBodies.Id, BodyDictionaries.Grades.Id], await context.BodyDictionaries.Select(d => d.Id).OrderBy(i => i).ToListAsync());
        }

        Assert.Equal(["1795253412345|1795253490000"], await store.QueryAsync("SELECT e.ended_at, s.episode_time FROM episodes e JOIN steps s ON s.episode_id = e.id"));
    }

    /// <summary>The same writes on both engines leave the same totals, cells and scenario totals.</summary>
    [PostgresFact]
    public async Task Triggers_SameEpisodeWritesOnBothEngines_KeepTheSameAggregates()
    {
        await using var sqlite = await TestStore.CreateAsync(StoreProvider.Sqlite);
        await using var postgres = await TestStore.CreateAsync(StoreProvider.Postgres);
        string[] writes =
        [
            """
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, started_at, mode)
            VALUES ('a', 'tools', 't1', 'easy', 'Foo', 1, 'naive', 'ws', 1000, 'practice'),
                   ('b', 'tools', 't1', 'easy', 'foo', 2, 'naive', 'ws', 2000, 'practice'),
                   ('c', 'tools', 't1', 'easy', 'Bar', 3, 'naive', 'ws', 3000, 'sealed'),
                   ('d', 'mast', 'm1', 'hard', 'M1', 4, 'smart', 'eval', 4000, 'sealed')
            """,
            "UPDATE episodes SET step_count = 3 WHERE id IN ('a', 'b', 'c', 'd')",
            "UPDATE episodes SET step_count = 5 WHERE id = 'a'",
            "UPDATE episodes SET outcome = 'correct', score = 1.0, success = TRUE, ended_at = 5000 WHERE id = 'a'",
            "UPDATE episodes SET outcome = 'wrong', score = 0.25, success = FALSE, ended_at = 6000 WHERE id = 'b'",
            "UPDATE episodes SET outcome = 'correct', score = 0.5, success = TRUE, ended_at = 7000 WHERE id IN ('c', 'd')",
            "UPDATE episodes SET outcome = 'abandoned', ended_at = 8000 WHERE id = 'd'",
            "UPDATE episodes SET score = 0.75 WHERE id = 'b'",
            "UPDATE episodes SET mode = 'sealed' WHERE id = 'a'",
            "INSERT INTO agent_traces (episode_id, run_id, trace_json, created_at) VALUES ('c', NULL, '[]', 1), ('a', NULL, '[]', 1)",
            "DELETE FROM episodes WHERE id = 'c'",
        ];
        foreach (var write in writes)
        {
            await sqlite.ExecuteAsync(write);
            await postgres.ExecuteAsync(write);
        }

        string[] reads =
        [
            "SELECT mode, episodes, steps FROM episode_totals ORDER BY mode",
            "SELECT mode, agent, suite, task_id, tier, episodes, successes, score_sum, score_square_sum, last_activity FROM leaderboard_cells ORDER BY mode, agent, suite, task_id, tier",
            "SELECT lower(scenario_id), episodes, scored, score_sum FROM scenario_totals ORDER BY lower(scenario_id)",
            "SELECT episode_id FROM agent_traces ORDER BY episode_id",
        ];
        foreach (var read in reads)
        {
            Assert.Equal(await sqlite.QueryAsync(read), await postgres.QueryAsync(read));
        }

        Assert.Equal(["practice|1|3", "sealed|2|8"], await postgres.QueryAsync(reads[0]));
        Assert.Equal(["foo|2|2|1.75", "m1|1|1|0.5"], await postgres.QueryAsync(reads[2]));
    }

    [StoreTheory]
    public async Task Triggers_UpdateScenarioOrDeleteDictionary_RefusedWithTheReason(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.ExecuteAsync("""
            INSERT INTO scenarios (id, version, suite, task_id, tier, family, title, document_json, created_at)
            VALUES ('S1', 1, 'tools', 't1', 'easy', 'f', 'title', '{}', 1)
            """);

        var update = await Assert.ThrowsAnyAsync<DbException>(() => store.ExecuteAsync("UPDATE scenarios SET title = 'changed'"));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => store.ExecuteAsync("DELETE FROM body_dictionaries"));

        Assert.Contains("scenario versions are immutable", update.Message, StringComparison.Ordinal);
        Assert.Contains("compression dictionaries are never deleted", delete.Message, StringComparison.Ordinal);
        Assert.Equal(["title"], await store.QueryAsync("SELECT title FROM scenarios"));
    }

    [StoreTheory]
    public async Task ScenarioIds_DifferentCase_AreOneIdForKeysAndLookups(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        const string Insert = """
            INSERT INTO scenarios (id, version, suite, task_id, tier, family, title, document_json, created_at)
            VALUES ('{0}', 1, 'tools', 't1', 'easy', 'f', 'title', '{{}}', 1)
            """;
        await store.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "Mixed-Case"));

        await Assert.ThrowsAnyAsync<DbException>(() => store.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, "MIXED-case")));
        await using var context = await store.Get<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();
        var id = "mixed-CASE";
        Assert.Equal(["Mixed-Case"], await context.Scenarios.Where(s => s.Id == id).Select(s => s.Id).ToListAsync());
        context.ScenarioDrafts.Add(new ScenarioDraftEntity
        {
            Id = "MIXED-CASE", Suite = "tools", Version = 2, Revision = 1, CreatedAt = Now, UpdatedAt = Now, DocumentJson = "{}",
        });
        await context.SaveChangesAsync();
        Assert.Equal(1, await context.ScenarioDrafts.CountAsync(d => d.Id == id));
    }

    [PostgresFact]
    public async Task MigrateAsync_TwoReplicasAtOnce_OneCreatesTheSchemaTheOtherFindsItCurrent()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var replicas = Enumerable.Range(0, 2).Select(_ => Database(connectionString)).ToList();

        var previous = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.MigrateAsync())));

        Assert.Equal([0, PostgresSchemaHistory.CurrentVersion], previous.Order());
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task MigrateAsync_NewerVersion_RefusedNamingTheDatabaseAndUnchanged()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);
        await store.ExecuteAsync("INSERT INTO chaoslab_schema (version, description, applied_at) VALUES (99, 'from the future', 'x')");

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => store.Database.MigrateAsync());

        Assert.Contains($"'{store.Database.Location}' has schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChaosLab:Database:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Equal([.. PostgresSchemaHistory.Upgrades.Select(u => u.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), "99"], await store.QueryAsync("SELECT version FROM chaoslab_schema ORDER BY version"));
    }

    [PostgresFact]
    public async Task MigrateAsync_DatabaseWithOtherTables_RefusedAndLeftAsItWas()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres, migrate: false);
        await store.ExecuteAsync("CREATE TABLE invoices (id integer)");

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => store.Database.MigrateAsync());

        Assert.Contains($"'{store.Database.Location}' is a PostgreSQL database that ChaosLab did not create (it has tables invoices", error.Message, StringComparison.Ordinal);
        Assert.Equal(["invoices"], await store.QueryAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"));
    }

    [Fact]
    public async Task Location_ConnectionStringWithPassword_HostPortAndDatabaseOnly()
    {
        await using var database = Database("Host=db.internal;Port=6543;Database=chaoslab;Username=lab;Password=hunter2");

        Assert.Equal("db.internal:6543/chaoslab", database.Location);
    }

    private static PostgresStoreDatabase Database(string connectionString) => new(
        Options.Create(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = connectionString }),
        new PostgresSchemaMigrator(new ManualTimeProvider(Now)));
}

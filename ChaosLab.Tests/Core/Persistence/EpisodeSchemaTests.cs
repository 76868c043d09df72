using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema version 2 (steps and fault kinds): the upgrade from version 1, and the EF model against the SQL.</summary>
public sealed class EpisodeSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    [Fact]
    public async Task MigrateAsync_Version1DatabaseWithEpisodes_UpgradesToVersion2AndKeepsRows()
    {
        await new SchemaMigrator([SchemaHistory.Upgrades[0]], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, started_at, ended_at, outcome, score)
            VALUES ('old-1', 'tools', 'task1', 'easy', 'E01', 42, 'naive', 'ws', 1795253400000, 1795253403250, 'correct', 0.875),
                   ('old-2', 'tools', 'task2', 'hard', 'E07', 43, 'human', 'ui', 1795253500000, NULL, NULL, NULL)
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(1, previous);
        Assert.Equal(2, await SchemaMigrator.ReadVersionAsync(DatabasePath));
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
    public async Task Model_CurrentSchema_EveryEntityMapsExactlyTheTablesColumns()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var services = BuildServices();
        await using var context = await services.GetRequiredService<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();

        foreach (var entity in context.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var mapped = entity.GetProperties().Select(p => p.GetColumnName()).Order(StringComparer.Ordinal);
            var actual = (await QueryAsync($"SELECT name FROM pragma_table_info('{table}')")).Order(StringComparer.Ordinal);
            Assert.Equal(actual, mapped);
        }

        Assert.Equal(["episode_faults", "episodes", "steps"], context.Model.GetEntityTypes().Select(e => e.GetTableName()!).Order(StringComparer.Ordinal));
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
            Question = "Harden parse_date",
            Answer = """{"code":"def f(): pass"}""",
            GradeJson = """{"score":0.125}""",
            FinalReward = -0.5,
            AbandonReason = null,
        };
        var step = new StepEntity
        {
            EpisodeId = "ep-all",
            StepIndex = 1,
            ActionJson = """{"type":"probe"}""",
            ObservationJson = """{"output":"ok"}""",
            CleanResult = "clean",
            DeliveredResult = "delivered",
            FaultsJson = "[]",
            RewardComponentsJson = """[{"name":"probe","value":0.1,"reason":"r"}]""",
            Reward = 0.1,
            Done = true,
            EpisodeTime = Now.AddSeconds(90),
            WallTimeUs = 1_234_567,
            Error = "boom",
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

        Assert.Equal(["1795253412345|1795253490000|1"], await QueryAsync("SELECT e.ended_at || '|' || s.episode_time || '|' || s.done FROM episodes e JOIN steps s ON s.episode_id = e.id"));
    }

    public void Dispose() => _directory.Dispose();

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

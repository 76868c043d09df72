using ChaosLab.Core;
using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>The curricula step of the schema history, on a database that already holds episodes.</summary>
public sealed class CurriculumSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    [Fact]
    public async Task MigrateAsync_DatabaseBeforeCurriculaWithEpisodes_AddsTablesKeepsEpisodesAndCurriculaWork()
    {
        var curriculaStep = SchemaHistory.Upgrades.Single(u => u.Description.StartsWith("curricula", StringComparison.Ordinal));
        await new SchemaMigrator([.. SchemaHistory.Upgrades.TakeWhile(u => u.Version < curriculaStep.Version)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        var database = new SqliteFile(DatabasePath);
        await database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, step_count)
            VALUES ('before-1', 'tools', 'task1', 'warmup', 'W01', 1, 'naive', 'ws', 'practice', 1795253400000, 1795253401000, 'correct', 1, 2),
                   ('before-2', 'tools', 'task1', 'warmup', 'W01', 2, 'naive', 'ws', 'sealed', 1795253500000, NULL, NULL, NULL, 0)
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(curriculaStep.Version - 1, previous);
        Assert.Equal(SchemaHistory.CurrentVersion, await SchemaMigrator.ReadVersionAsync(DatabasePath));
        Assert.Equal(["before-1|correct", "before-2|"], await database.QueryAsync("SELECT id || '|' || COALESCE(outcome, '') FROM episodes ORDER BY id"));
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new ManualTimeProvider(Now))
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var store = services.GetRequiredService<CurriculumStore>();
        Assert.Empty(await store.ListAsync());
        var decision = await store.ChooseTierAsync("after-upgrade", new ToolsSuite(), "after-1");
        Assert.Equal("warmup", decision.Value!.Tier);
        Assert.Equal(["after-upgrade|warmup"], await database.QueryAsync("SELECT name || '|' || current_tier FROM curricula"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

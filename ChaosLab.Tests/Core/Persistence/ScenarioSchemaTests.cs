using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Scenarios;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema version 5: the scenarios table, reached from a version 4 database that holds episodes.</summary>
public sealed class ScenarioSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task MigrateAsync_Version4DatabaseWithEpisodes_KeepsThemAndStoresScenarios()
    {
        var path = _directory.File("chaoslab.db");
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Take(4)], new ManualTimeProvider(Now)).MigrateAsync(path);
        await new SqliteFile(path).ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, step_count)
            VALUES ('v4-1', 'tools', 'task1', 'warmup', 'W01', 1, 42, 'naive', 'ws', 'sealed', 1795253400000, 1795253403250, 'correct', 0.875, 3)
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(path);
        await using var services = await ServicesAsync(_directory);
        var added = await services.GetRequiredService<ScenarioStore>().AddVersionAsync(Element(FixedWorldCopy("X01")));

        Assert.Equal((4, 5), (previous, SchemaHistory.Upgrades[4].Version));
        var episode = (await services.GetRequiredService<EpisodeStore>().FindAsync("v4-1"))!;
        Assert.Equal(("W01", 1, "sealed", (double?)0.875), (episode.ScenarioId, episode.ScenarioVersion, episode.Mode, episode.Score));
        Assert.True(added.Succeeded);
        Assert.Equal(["X01|1|tools|task1|warmup|population"], await new SqliteFile(path).QueryAsync("SELECT id || '|' || version || '|' || suite || '|' || task_id || '|' || tier || '|' || family FROM scenarios"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

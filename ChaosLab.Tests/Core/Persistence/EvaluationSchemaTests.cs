using ChaosLab.Core;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>The evaluation-runs step of the schema history, on a database that already holds episodes.</summary>
public sealed class EvaluationSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    [Fact]
    public async Task MigrateAsync_DatabaseBeforeRunsWithEpisodes_AddsTablesKeepsEpisodesAndRunsWork()
    {
        var runsStep = SchemaHistory.Upgrades.Single(u => u.Description.StartsWith("evaluation runs", StringComparison.Ordinal));
        await new SchemaMigrator([.. SchemaHistory.Upgrades.TakeWhile(u => u.Version < runsStep.Version)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        var database = new SqliteFile(DatabasePath);
        await database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, step_count)
            VALUES ('before-1', 'tools', 'task1', 'warmup', 'W01', 1, 'naive', 'ws', 'practice', 1795253400000, 1795253401000, 'correct', 1, 2)
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(runsStep.Version - 1, previous);
        Assert.Equal(["before-1|correct"], await database.QueryAsync("SELECT id || '|' || outcome FROM episodes"));
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new ManualTimeProvider(Now))
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var runs = services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(new NewRun("after", "agent", null, "none", "{}", "cli"), [new RunItemSpec("tools", "task1", "warmup", "W01", 1, 1)]);
        Assert.Equal([run.Id], (await runs.ListAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task MigrateAsync_RunsBeforeLeases_ConcurrencyFromTheAssignmentAndAnItemLeftRunningIsClaimable()
    {
        var leasesStep = SchemaHistory.Upgrades.Single(u => u.Description.StartsWith("evaluation work shared by replicas", StringComparison.Ordinal));
        await new SchemaMigrator([.. SchemaHistory.Upgrades.TakeWhile(u => u.Version < leasesStep.Version)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        var database = new SqliteFile(DatabasePath);
        await database.ExecuteAsync("""
            INSERT INTO eval_runs (id, name, agent, harness, assignment_json, origin, status, created_at, started_at)
            VALUES ('run-1', 'before', 'naive', 'none', '{"name":"before","concurrency":3}', 'web', 'running', 1795253400000, 1795253400000),
                   ('run-2', 'odd', 'naive', 'none', '{"name":"odd"}', 'cli', 'completed', 1795253400001, NULL)
            """);
        await database.ExecuteAsync("""
            INSERT INTO eval_run_items (run_id, item_key, sequence, suite, task_id, tier, scenario_id, seed_index, trial, status, attempts, episode_id, started_at)
            VALUES ('run-1', 'tools/W01/1/1', 0, 'tools', 'task1', 'warmup', 'W01', 1, 1, 'running', 1, 'ep-of-v14', 1795253400000)
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(leasesStep.Version - 1, previous);
        Assert.Equal(["run-1|3", "run-2|1"], await database.QueryAsync("SELECT id || '|' || concurrency FROM eval_runs ORDER BY id"));
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new ManualTimeProvider(Now))
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var runs = services.GetRequiredService<RunStore>();
        var taken = await runs.ClaimNextAsync(null, new ItemLease("replica-b", "ep-b", Now, TimeSpan.FromSeconds(30)));
        Assert.Equal(("tools/W01/1/1", 2, "replica-b"), (taken?.Key, taken?.Attempts, taken?.LeaseOwner));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

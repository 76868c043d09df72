using ChaosLab.Core;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Retention;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence.Retention;

public sealed class EpisodeRetentionTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private SqliteFile Database => new(_directory.File("chaoslab.db"));

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(Database.Path);
        // Ages in days before Now; every episode has a reset and one step, and one fired fault.
        await InsertAsync("old-practice", "practice", daysAgo: 40);
        await InsertAsync("old-practice-2", "practice", daysAgo: 35);
        await InsertAsync("old-sealed", "sealed", daysAgo: 50);
        await InsertAsync("old-running", "practice", daysAgo: 45, running: true);
        await InsertAsync("old-curriculum", "practice", daysAgo: 42);
        await InsertAsync("new-practice", "practice", daysAgo: 2);
        await InsertAsync("newest-practice", "practice", daysAgo: 1);
        await Database.ExecuteAsync("""
            INSERT INTO curricula (name, suite, rules_json, current_tier, created_at, updated_at) VALUES ('run', 'tools', '{}', 'warmup', 0, 0);
            INSERT INTO curriculum_episodes (episode_id, curriculum, sequence, tier, advanced, window_episodes, window_successes, reason, decided_at)
            VALUES ('old-curriculum', 'run', 1, 'warmup', 0, 0, 0, 'start', 0);
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task PruneBatchAsync_DefaultSettings_KeepsEverything()
    {
        var deleted = await Retention(new RetentionOptions()).PruneBatchAsync(Now);

        Assert.Equal(0, deleted);
        Assert.Equal(7L, await Database.ScalarAsync<long>("SELECT COUNT(*) FROM episodes"));
    }

    [Fact]
    public async Task PruneBatchAsync_PracticeDays_DeletesOnlyOldEndedPracticeEpisodesOutsideCurricula()
    {
        var deleted = await Retention(new RetentionOptions { PracticeDays = 30 }).PruneBatchAsync(Now);

        Assert.Equal(2, deleted);
        Assert.Equal(["new-practice", "newest-practice", "old-curriculum", "old-running", "old-sealed"], await EpisodeIdsAsync());
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT COUNT(*) FROM steps WHERE episode_id LIKE 'old-practice%'"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT COUNT(*) FROM episode_faults WHERE episode_id LIKE 'old-practice%'"));
        Assert.Equal(10L, await Database.ScalarAsync<long>("SELECT COUNT(*) FROM steps"));
    }

    [Fact]
    public async Task PruneBatchAsync_PracticeEpisodes_KeepsTheNewestPracticeEpisodes()
    {
        var deleted = await Retention(new RetentionOptions { PracticeEpisodes = 1 }).PruneBatchAsync(Now);

        Assert.Equal(3, deleted);
        Assert.Equal(["newest-practice", "old-curriculum", "old-running", "old-sealed"], await EpisodeIdsAsync());
    }

    [Fact]
    public async Task PruneBatchAsync_SmallBatches_DeletesAtMostOneBatchPerCall()
    {
        var retention = Retention(new RetentionOptions { PracticeDays = 30, BatchSize = 1 });

        var calls = new[] { await retention.PruneBatchAsync(Now), await retention.PruneBatchAsync(Now), await retention.PruneBatchAsync(Now) };

        Assert.Equal([1, 1, 0], calls);
    }

    [Fact]
    public async Task PruneBatchAsync_LargeEpisodesPruned_GivesTheFreedPagesBack()
    {
        var padding = new string('x', 200_000);
        for (var i = 0; i < 20; i++)
        {
            await InsertAsync($"big-{i}", "practice", daysAgo: 60, body: padding);
        }

        var before = new FileInfo(Database.Path).Length;
        await Database.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");

        await Retention(new RetentionOptions { PracticeDays = 30, VacuumPagesPerBatch = 100_000 }).PruneBatchAsync(Now);
        await Database.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");

        Assert.Equal(0L, await Database.ScalarAsync<long>("PRAGMA freelist_count"));
        Assert.True(new FileInfo(Database.Path).Length < 1_000_000, $"{new FileInfo(Database.Path).Length} bytes left of {before}");
    }

    private EpisodeRetention Retention(RetentionOptions options) =>
        new(new SqliteStoreDatabase(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }), new SchemaMigrator(TimeProvider.System)), Options.Create(options));

    private Task<List<string>> EpisodeIdsAsync() => Database.QueryAsync("SELECT id FROM episodes ORDER BY id");

    private async Task InsertAsync(string id, string mode, int daysAgo, bool running = false, string body = "")
    {
        var startedAt = Now.AddDays(-daysAgo).ToUnixTimeMilliseconds();
        var endedAt = running ? "NULL" : (startedAt + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Database.ExecuteAsync($"""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, step_count)
            VALUES ('{id}', 'tools', 'task1', 'warmup', 'F01', 1, 'naive', 'ws', '{mode}', {startedAt}, {endedAt}, 1);
            INSERT INTO steps (episode_id, step_index, body, reward, done, episode_time, wall_time_us)
            VALUES ('{id}', 0, CAST('{body}' AS BLOB), 0, 0, 0, 0), ('{id}', 1, x'01', 0, 0, 0, 0);
            INSERT INTO episode_faults (episode_id, kind) VALUES ('{id}', 'timeout');
            """);
    }
}

using System.Globalization;
using ChaosLab.Core.Persistence.Retention;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence.Retention;

public sealed class EpisodeRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [StoreTheory]
    public async Task PruneBatchAsync_DefaultSettings_KeepsEverything(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);

        var deleted = await Retention(store, new RetentionOptions()).PruneBatchAsync(Now);

        Assert.Equal(0, deleted);
        Assert.Equal(["7"], await store.QueryAsync("SELECT COUNT(*) FROM episodes"));
    }

    [StoreTheory]
    public async Task PruneBatchAsync_PracticeDays_DeletesOnlyOldEndedPracticeEpisodesOutsideCurricula(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);

        var deleted = await Retention(store, new RetentionOptions { PracticeDays = 30 }).PruneBatchAsync(Now);

        Assert.Equal(2, deleted);
        Assert.Equal(["new-practice", "newest-practice", "old-curriculum", "old-running", "old-sealed"], await EpisodeIdsAsync(store));
        Assert.Equal(["0"], await store.QueryAsync("SELECT COUNT(*) FROM steps WHERE episode_id LIKE 'old-practice%'"));
        Assert.Equal(["0"], await store.QueryAsync("SELECT COUNT(*) FROM episode_faults WHERE episode_id LIKE 'old-practice%'"));
        Assert.Equal(["10"], await store.QueryAsync("SELECT COUNT(*) FROM steps"));
        Assert.Equal(["practice|4"], await store.QueryAsync("SELECT mode, episodes FROM episode_totals WHERE mode = 'practice'"));
    }

    [StoreTheory]
    public async Task PruneBatchAsync_PracticeEpisodes_KeepsTheNewestPracticeEpisodes(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);

        var deleted = await Retention(store, new RetentionOptions { PracticeEpisodes = 1 }).PruneBatchAsync(Now);

        Assert.Equal(3, deleted);
        Assert.Equal(["newest-practice", "old-curriculum", "old-running", "old-sealed"], await EpisodeIdsAsync(store));
    }

    [StoreTheory]
    public async Task PruneBatchAsync_BothLimits_DeletesWhatEitherPrunes(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);

        // 36 days prunes old-practice alone; keeping 2 prunes old-practice-2 as well.
        var deleted = await Retention(store, new RetentionOptions { PracticeDays = 36, PracticeEpisodes = 2 }).PruneBatchAsync(Now);

        Assert.Equal(2, deleted);
        Assert.Equal(["new-practice", "newest-practice", "old-curriculum", "old-running", "old-sealed"], await EpisodeIdsAsync(store));
    }

    [StoreTheory]
    public async Task PruneBatchAsync_SmallBatches_DeletesAtMostOneBatchPerCall(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        var retention = Retention(store, new RetentionOptions { PracticeDays = 30, BatchSize = 1 });

        var calls = new[] { await retention.PruneBatchAsync(Now), await retention.PruneBatchAsync(Now), await retention.PruneBatchAsync(Now) };

        Assert.Equal([1, 1, 0], calls);
    }

    [Fact]
    public async Task PruneBatchAsync_LargeEpisodesPrunedOnSqlite_GivesTheFreedPagesBack()
    {
        await using var store = await SeededStoreAsync(StoreProvider.Sqlite);
        var database = new SqliteFile(Path.Combine(store.DataDirectory, "chaoslab.db"));
        var padding = new string('x', 200_000);
        for (var i = 0; i < 20; i++)
        {
            await InsertAsync(store, $"big-{i}", "practice", daysAgo: 60, body: $"CAST('{padding}' AS BLOB)");
        }

        var before = new FileInfo(database.Path).Length;
        await database.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");

        await Retention(store, new RetentionOptions { PracticeDays = 30, VacuumPagesPerBatch = 100_000 }).PruneBatchAsync(Now);
        await database.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");

        Assert.Equal(0L, await database.ScalarAsync<long>("PRAGMA freelist_count"));
        Assert.True(new FileInfo(database.Path).Length < 1_000_000, $"{new FileInfo(database.Path).Length} bytes left of {before}");
    }

    private static EpisodeRetention Retention(TestStore store, RetentionOptions options) => new(store.Database, Options.Create(options));

    private static async Task<IReadOnlyList<string>> EpisodeIdsAsync(TestStore store) => await store.QueryAsync("SELECT id FROM episodes ORDER BY id");

    /// <summary>Ages in days before Now; every episode has a reset and one step, and one fired fault.</summary>
    private static async Task<TestStore> SeededStoreAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await InsertAsync(store, "old-practice", "practice", daysAgo: 40);
        await InsertAsync(store, "old-practice-2", "practice", daysAgo: 35);
        await InsertAsync(store, "old-sealed", "sealed", daysAgo: 50);
        await InsertAsync(store, "old-running", "practice", daysAgo: 45, running: true);
        await InsertAsync(store, "old-curriculum", "practice", daysAgo: 42);
        await InsertAsync(store, "new-practice", "practice", daysAgo: 2);
        await InsertAsync(store, "newest-practice", "practice", daysAgo: 1);
        await store.ExecuteAsync("""
            INSERT INTO curricula (name, suite, rules_json, current_tier, created_at, updated_at) VALUES ('run', 'tools', '{}', 'warmup', 0, 0)
            """);
        await store.ExecuteAsync("""
            INSERT INTO curriculum_episodes (episode_id, curriculum, sequence, tier, advanced, window_episodes, window_successes, reason, decided_at)
            VALUES ('old-curriculum', 'run', 1, 'warmup', false, 0, 0, 'start', 0)
            """);
        return store;
    }

    /// <param name="body">The reset's body as an SQL expression; by default a one-byte blob.</param>
    private static async Task InsertAsync(TestStore store, string id, string mode, int daysAgo, bool running = false, string? body = null)
    {
        var startedAt = Now.AddDays(-daysAgo).ToUnixTimeMilliseconds();
        var endedAt = running ? "NULL" : (startedAt + 1000).ToString(CultureInfo.InvariantCulture);
        // The bytes of the text '1', as each engine spells a blob.
        var blob = store.Provider == StoreProvider.Postgres ? "convert_to('1', 'UTF8')" : "CAST('1' AS BLOB)";
        await store.ExecuteAsync($"""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, step_count)
            VALUES ('{id}', 'tools', 'task1', 'warmup', 'F01', 1, 'naive', 'ws', '{mode}', {startedAt}, {endedAt}, 1)
            """);
        await store.ExecuteAsync($"""
            INSERT INTO steps (episode_id, step_index, body, reward, done, episode_time, wall_time_us)
            VALUES ('{id}', 0, {body ?? blob}, 0, false, 0, 0), ('{id}', 1, {blob}, 0, false, 0, 0)
            """);
        await store.ExecuteAsync($"INSERT INTO episode_faults (episode_id, kind) VALUES ('{id}', 'timeout')");
    }
}

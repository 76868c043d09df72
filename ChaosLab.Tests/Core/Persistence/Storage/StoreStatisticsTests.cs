using System.Globalization;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.Core.Persistence.Storage;

public sealed class StoreStatisticsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [StoreTheory]
    public async Task ReadAsync_EpisodesOfDifferentAges_CountsTotalsAndGrowthPerPeriod(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        // (minutes ago, steps taken): the reset adds one recorded step to each.
        foreach (var (id, minutesAgo, steps) in new[] { ("a", 10, 4), ("b", 50, 2), ("c", 300, 5), ("d", 3000, 9) })
        {
            await store.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, step_count)
                VALUES ('{id}', 'tools', 'task1', 'warmup', 'F01', 1, 'naive', 'ws', 'practice', {Now.AddMinutes(-minutesAgo).ToUnixTimeMilliseconds()}, {steps})
                """));
        }

        var before = await BytesAsync(store);
        var size = await new StoreStatistics(store.Database, new ManualTimeProvider(Now)).ReadAsync();
        var after = await BytesAsync(store);

        Assert.InRange(size.Bytes, Math.Min(before, after), Math.Max(before, after));
        Assert.Equal((4L, 24L), (size.Episodes, size.Steps));
        var bytes = size.Bytes;
        Assert.Equal(bytes / 24.0, size.BytesPerStep);
        Assert.Equal(new StoreGrowth(2, 8, (long)Math.Round(8 * bytes / 24.0)), size.LastHour);
        Assert.Equal(new StoreGrowth(3, 14, (long)Math.Round(14 * bytes / 24.0)), size.LastDay);
    }

    /// <summary>What the store measures, read independently: the SQLite file and its log, or PostgreSQL's database size.</summary>
    private static async Task<long> BytesAsync(TestStore store) => store.Provider == StoreProvider.Postgres
        ? long.Parse((await store.QueryAsync("SELECT pg_database_size(current_database())")).Single(), CultureInfo.InvariantCulture)
        : new FileInfo(Path.Combine(store.DataDirectory, "chaoslab.db")).Length + new FileInfo(Path.Combine(store.DataDirectory, "chaoslab.db-wal")).Length;

    [StoreTheory]
    public async Task ReadAsync_EmptyStore_HasNoBytesPerStep(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);

        var size = await new StoreStatistics(store.Database, new ManualTimeProvider(Now)).ReadAsync();

        Assert.True(size.Bytes > 0);
        Assert.Equal((0L, 0L, (double?)null), (size.Episodes, size.Steps, size.BytesPerStep));
        Assert.Equal(new StoreGrowth(0, 0, 0), size.LastDay);
    }

    [Fact]
    public async Task ReadAsync_Sqlite_CountsTheFreePagesInTheFile()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var sqlite = new SqliteFile(Path.Combine(store.DataDirectory, "chaoslab.db"));
        var pageSize = await sqlite.ScalarAsync<long>("PRAGMA page_size");
        await sqlite.ExecuteAsync("CREATE TABLE filler (x BLOB); INSERT INTO filler VALUES (zeroblob(100000)); DROP TABLE filler");

        var size = await new StoreStatistics(store.Database, new ManualTimeProvider(Now)).ReadAsync();

        Assert.Equal(await sqlite.ScalarAsync<long>("PRAGMA freelist_count") * pageSize, size.FreeBytes);
        Assert.True(size.FreeBytes >= 100_000);
    }

    [PostgresFact]
    public async Task ReadAsync_Postgres_ReportsNoFreePages()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);

        var size = await new StoreStatistics(store.Database, new ManualTimeProvider(Now)).ReadAsync();

        // Autovacuum reuses deleted rows' space in place: there is no free-page count to give back.
        Assert.Null(size.FreeBytes);
    }
}

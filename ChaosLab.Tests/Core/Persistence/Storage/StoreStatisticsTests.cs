using ChaosLab.Core;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence.Storage;

public sealed class StoreStatisticsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task ReadAsync_EpisodesOfDifferentAges_CountsTotalsAndGrowthPerPeriod()
    {
        var database = new SqliteFile(_directory.File("chaoslab.db"));
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(database.Path);
        // (minutes ago, steps taken): the reset adds one recorded step to each.
        foreach (var (id, minutesAgo, steps) in new[] { ("a", 10, 4), ("b", 50, 2), ("c", 300, 5), ("d", 3000, 9) })
        {
            await database.ExecuteAsync($"""
                INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, step_count)
                VALUES ('{id}', 'tools', 'task1', 'warmup', 'F01', 1, 'naive', 'ws', 'practice', {Now.AddMinutes(-minutesAgo).ToUnixTimeMilliseconds()}, {steps})
                """);
        }

        var size = await new StoreStatistics(new SqliteStoreDatabase(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }), new SchemaMigrator(TimeProvider.System)), new ManualTimeProvider(Now)).ReadAsync();

        var fileBytes = new FileInfo(database.Path).Length + new FileInfo(database.Path + "-wal").Length;
        Assert.Equal((fileBytes, 4L, 24L), (size.Bytes, size.Episodes, size.Steps));
        Assert.Equal(fileBytes / 24.0, size.BytesPerStep);
        Assert.Equal(new StoreGrowth(2, 8, (long)Math.Round(8 * fileBytes / 24.0)), size.LastHour);
        Assert.Equal(new StoreGrowth(3, 14, (long)Math.Round(14 * fileBytes / 24.0)), size.LastDay);
    }

    [Fact]
    public async Task ReadAsync_EmptyStore_HasNoBytesPerStep()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(_directory.File("chaoslab.db"));

        var size = await new StoreStatistics(new SqliteStoreDatabase(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }), new SchemaMigrator(TimeProvider.System)), new ManualTimeProvider(Now)).ReadAsync();

        Assert.Equal((0L, 0L, (double?)null), (size.Episodes, size.Steps, size.BytesPerStep));
        Assert.Equal(new StoreGrowth(0, 0, 0), size.LastDay);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

using ChaosLab.Core.Persistence.Retention;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using ChaosLab.Web.Services;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Services;

/// <summary>The retention service runs on the injected clock: pruning follows the clock, not the wall.</summary>
public sealed class RetentionServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [StoreTheory]
    public async Task ExecuteAsync_ClockPassesTheRetentionAge_PrunesTheEpisode(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var clock = new ManualTimeProvider(Now);
        await store.ExecuteAsync($"""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, step_count)
            VALUES ('practice', 'tools', 'task1', 'warmup', 'F01', 1, 'naive', 'ws', 'practice', {Now.AddDays(-10).ToUnixTimeMilliseconds()}, {Now.AddDays(-10).ToUnixTimeMilliseconds()}, 0)
            """);
        var options = new RetentionOptions { PracticeDays = 20 };
        var retention = new EpisodeRetention(store.Database, Options.Create(options));
        using var armed = new SemaphoreSlim(0);
        clock.TimerArmed += (_, _) => armed.Release();
        using var service = new RetentionService(retention, clock, NullLogger<RetentionService>.Instance);

        await service.StartAsync(CancellationToken.None);
        // First pass: 10 days old is within 20 days. The pause after the batch arms a timer.
        Assert.True(await armed.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["1"], await store.QueryAsync("SELECT COUNT(*) FROM episodes"));
        clock.Advance(options.BatchPause);
        Assert.True(await armed.WaitAsync(TimeSpan.FromSeconds(30)));

        // Eleven days later the interval has passed and the episode is 21 days old.
        clock.Advance(TimeSpan.FromDays(11));
        Assert.True(await armed.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(["0"], await store.QueryAsync("SELECT COUNT(*) FROM episodes"));
        await service.StopAsync(CancellationToken.None);
    }
}

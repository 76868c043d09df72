using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Replicas;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Replicas;

/// <summary>A replica gives up only the episodes of replicas that stopped beating, its own leftovers at start-up, and legacy ones.</summary>
public sealed class ReplicaRegistryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [StoreTheory]
    public async Task AbandonOrphans_OnlyEpisodesOfReplicasGoneQuietAndOfNoReplica(StoreProvider provider)
    {
        var clock = new ManualTimeProvider(Start);
        await using var store = await TestStore.CreateAsync(provider, services => services.AddSingleton<TimeProvider>(clock));
        var episodes = store.Get<EpisodeStore>();
        foreach (var (id, replica) in new[] { ("ep-self", "self"), ("ep-alive", "alive"), ("ep-gone", "gone"), ("ep-legacy", (string?)null) })
        {
            await episodes.AddAsync(Running(id, replica));
        }

        await Registry(store, "gone", clock).BeatAsync();
        clock.Advance(TimeSpan.FromSeconds(90));
        await Registry(store, "alive", clock).BeatAsync();
        var self = Registry(store, "self", clock);
        await self.BeatAsync();

        Assert.Equal(2, await self.AbandonOrphansAsync(includeOwn: false, ReplicaRegistry.Lease));
        Assert.Equal(["ep-gone", "ep-legacy"], await EndedAsync(store));
        var gone = (await episodes.FindAsync("ep-gone"))!;
        Assert.Equal("abandoned", gone.Outcome);
        Assert.Equal("the replica playing it (gone) stopped while the episode ran; the last durable step is 0", gone.AbandonReason);

        // A restarted "self" gives up what its previous process left; "alive" still plays.
        Assert.Equal(1, await self.AbandonOrphansAsync(includeOwn: true, ReplicaRegistry.Lease));
        Assert.Equal(["ep-gone", "ep-legacy", "ep-self"], await EndedAsync(store));
    }

    private static ReplicaRegistry Registry(TestStore store, string id, TimeProvider clock) =>
        new(store.Get<IDbContextFactory<ChaosLabDbContext>>(), new ReplicaIdentity(Options.Create(new ChaosLabOptions { ReplicaId = id })), clock);

    private static async Task<List<string>> EndedAsync(TestStore store)
    {
        await using var context = await store.Get<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();
        return await context.Episodes.Where(e => e.EndedAt != null).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
    }

    private static EpisodeEntity Running(string id, string? replica) => new()
    {
        Id = id,
        Suite = "tools",
        TaskId = "task1",
        Tier = "warmup",
        ScenarioId = "W01",
        Agent = "agent",
        ClientKind = "ws",
        StartedAt = Start,
        Replica = replica,
    };
}

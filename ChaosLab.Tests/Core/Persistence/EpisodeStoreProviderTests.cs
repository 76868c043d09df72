using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>
/// What the store's EF queries and writes do the same on SQLite and PostgreSQL although the engines
/// differ: where NULLs sort, byte-order text, start-up abandonment, agent traces saved twice.
/// </summary>
public sealed class EpisodeStoreProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [StoreTheory]
    [StoreData(false)]
    [StoreData(true)]
    public async Task StreamTrajectoriesAsync_SortedByScore_UnscoredFirstAscendingAndLastDescending(StoreProvider provider, bool descending)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var episodes = store.Get<EpisodeStore>();
        foreach (var (id, score, started) in new[] { ("half", (double?)0.5, 1), ("open-old", null, 2), ("full", 1.0, 3), ("open-new", null, 4), ("zero", 0.0, 5) })
        {
            await episodes.AddAsync(Episode(id, "a", score, Now.AddMinutes(started)));
        }

        var order = await IdsAsync(episodes, new EpisodeQuery { Sort = EpisodeSortKey.Score, Descending = descending });

        // Ties (the unscored) newest first, as every order of the store.
        Assert.Equal(descending ? ["full", "half", "zero", "open-new", "open-old"] : ["open-new", "open-old", "zero", "half", "full"], order);
    }

    [StoreTheory]
    public async Task StreamTrajectoriesAsync_SortedByAgent_ByteOrderAsSqlitesBinary(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var episodes = store.Get<EpisodeStore>();
        var agents = new[] { "b", "A", "a", "Z", "_x", "a-1", "a_1", "é" };
        for (var i = 0; i < agents.Length; i++)
        {
            await episodes.AddAsync(Episode($"ep-{i}", agents[i], 1, Now));
        }

        var order = await IdsAsync(episodes, new EpisodeQuery { Sort = EpisodeSortKey.Agent, Descending = false });

        Assert.Equal(agents.Order(StringComparer.Ordinal), order.Select(id => agents[int.Parse(id[3..], System.Globalization.CultureInfo.InvariantCulture)]));
    }

    [StoreTheory]
    public async Task AbandonInterruptedAsync_RunningEpisodes_AbandonedWithTheirLastDurableStepOnce(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var episodes = store.Get<EpisodeStore>();
        await episodes.AddAsync(Episode("cut", "a", null, Now, running: true));
        await episodes.AddAsync(Episode("fresh", "a", null, Now, running: true));
        await episodes.AddAsync(Episode("done", "a", 1, Now));
        await using (var context = await store.Get<IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync())
        {
            context.Steps.AddRange(Enumerable.Range(1, 2).Select(i => new StepEntity
            {
                EpisodeId = "cut", StepIndex = i, Body = [1], Reward = 0, Done = false, EpisodeTime = Now, WallTimeUs = 1,
            }));
            await context.SaveChangesAsync();
        }

        var abandoned = await episodes.AbandonInterruptedAsync(Now.AddMinutes(1));
        var again = await episodes.AbandonInterruptedAsync(Now.AddMinutes(2));

        Assert.Equal((2, 0), (abandoned, again));
        var cut = (await episodes.FindAsync("cut"))!;
        Assert.Equal((EpisodeStore.AbandonedOutcome, Now.AddMinutes(1)), (cut.Outcome, cut.EndedAt!.Value));
        Assert.EndsWith("the last durable step is 2", cut.AbandonReason, StringComparison.Ordinal);
        Assert.EndsWith("the last durable step is 0", (await episodes.FindAsync("fresh"))!.AbandonReason, StringComparison.Ordinal);
        Assert.Equal("correct", (await episodes.FindAsync("done"))!.Outcome);
    }

    [StoreTheory]
    public async Task SaveAsync_SameEpisodeTwiceAtOnceThenAgain_OneTraceTheLastSaved(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var replicas = new[] { store.Get<AgentTraceStore>(), store.BuildServices().GetService(typeof(AgentTraceStore)) as AgentTraceStore ?? throw new InvalidOperationException() };

        for (var race = 0; race < 10; race++)
        {
            await Task.WhenAll(replicas.Select((r, i) => Task.Run(() => r.SaveAsync($"ep-{race}", "run-1", Trace($"racer-{i}")))));
        }

        await replicas[1].SaveAsync("ep-0", null, Trace("last"));

        Assert.Equal(["10"], await store.QueryAsync("SELECT COUNT(*) FROM agent_traces"));
        Assert.Equal("last", (await replicas[0].FindAsync("ep-0"))!.Agent);
        Assert.Equal([""], await store.QueryAsync("SELECT run_id FROM agent_traces WHERE episode_id = 'ep-0'"));
        Assert.StartsWith("racer-", (await replicas[0].FindAsync("ep-9"))!.Agent, StringComparison.Ordinal);
    }

    private static async Task<List<string>> IdsAsync(EpisodeStore episodes, EpisodeQuery query)
    {
        var ids = new List<string>();
        await foreach (var trajectory in episodes.StreamTrajectoriesAsync(query))
        {
            ids.Add(trajectory.Episode.Id);
        }

        return ids;
    }

    private static StoredAgentTrace Trace(string agent) => new(agent, null, "default", [], [], [], [], Finished: true, Error: null);

    private static EpisodeEntity Episode(string id, string agent, double? score, DateTimeOffset startedAt, bool running = false) => new()
    {
        Id = id,
        Suite = "tools",
        TaskId = "task1",
        Tier = "easy",
        ScenarioId = "E01",
        Agent = agent,
        ClientKind = "ws",
        StartedAt = startedAt,
        EndedAt = running ? null : startedAt.AddSeconds(5),
        Outcome = running ? null : "correct",
        Score = score,
        Success = running || score is null ? null : score > 0.5,
    };
}

using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>
/// Two replicas (two sets of services with their own ids, runners, gateways and recorders) sharing
/// one store play one run: each takes items while it has free slots, the run's concurrency holds
/// over both, a dead replica's items are taken over only once its leases expire, and a cancel on
/// one replica stops the items of the other.
/// </summary>
public sealed class ReplicaSharingTests
{
    private const string Warmup = """
        name: shared-eval
        agent: reference:resilient
        tasks:
          - suite: tools
            tiers: [warmup]
        seeds: 2
        concurrency: 3
        """;

    private static readonly EvaluationOptions Settings = new();

    private static readonly TimeSpan QuickPoll = TimeSpan.FromMilliseconds(50);

    [StoreTheory]
    public async Task RunAsync_OnTwoReplicas_EachPlaysSomeTheRunsConcurrencyHoldsOverBothAndTotalsAreOneReplicasRun(StoreProvider provider)
    {
        var gateA = new Gate(free: 0, held: 2);
        var gateB = new Gate(free: 0, held: 1);
        var startedByB = 0;
        await using var bench = await EvaluationBench.StartAsync(first: new Replica("replica-a", Wrap(gateA), Options: new EvaluationOptions { MaxConcurrency = 2 }), provider: provider);
        var a = bench.Service;
        var clockB = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var b = await bench.AddReplicaAsync(new Replica("replica-b", inner => new PortWrappingEpisodes(inner, port =>
        {
            Interlocked.Increment(ref startedByB);
            return gateB.Wrap(port);
        }), clockB, new EvaluationOptions { MaxConcurrency = 2, PollInterval = QuickPoll }));
        var run = await bench.CreateAsync(Warmup);

        var playingA = a.RunAsync(run.Id, null, CancellationToken.None);
        await gateA.Held;
        var bFoundNothing = clockB.NextTimerAsync(QuickPoll).WaitAsync(TimeSpan.FromSeconds(30));
        var playingB = b.RunAsync(run.Id, null, CancellationToken.None);
        await gateB.Held;
        await bFoundNothing;

        // B has a free slot, but the run's concurrency (3, over both replicas) is leased already: 2 to A, 1 to B.
        var running = (await bench.Runs.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Running).ToList();
        Assert.Equal(["replica-a", "replica-a", "replica-b"], running.Select(i => i.LeaseOwner).Order());
        Assert.Equal(1, Volatile.Read(ref startedByB));

        gateA.Open();
        gateB.Open();
        // B's clock moves a short poll at a time, far from A's leases (A renews them by the real clock).
        var (byA, byB) = (await playingA, await PlayAsync(playingB, clockB, QuickPoll));
        var playedByB = Volatile.Read(ref startedByB);
        var alone = await PlayAsync(b.RunAsync((await bench.CreateAsync(Warmup)).Id, null, CancellationToken.None), clockB, QuickPoll);

        Assert.Equal((RunStatus.Completed, RunStatus.Completed), (byA.Status, byB.Status));
        var items = await bench.Runs.ItemsAsync(run.Id);
        Assert.All(items, i => Assert.Equal((RunItemStatus.Done, 1, null), (i.Status, i.Attempts, i.LeaseOwner)));
        Assert.Equal((alone.Done, alone.Successes, alone.MeanScore), (byB.Done, byB.Successes, byB.MeanScore));
        Assert.Equal(await ScoresAsync(bench, alone.Id), await ScoresAsync(bench, run.Id));
        Assert.InRange(playedByB, 1, items.Count - 2);
    }

    [StoreTheory]
    public async Task ReplicaDies_ItsItemsTakenOverOnlyOnceTheLeasesExpireAndItsLateResultsAreRefused(StoreProvider provider)
    {
        // A's clock stands still: it never renews its leases again, as a dead (or hung) process.
        var gateA = new Gate(free: 0, held: 3);
        await using var bench = await EvaluationBench.StartAsync(first: new Replica("replica-a", Wrap(gateA), new ManualTimeProvider(DateTimeOffset.UtcNow)), provider: provider);
        var a = bench.Service;
        var clockB = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var startedByB = 0;
        var b = await bench.AddReplicaAsync(new Replica("replica-b", inner => new PortWrappingEpisodes(inner, port =>
        {
            Interlocked.Increment(ref startedByB);
            return port;
        }), clockB));
        var run = await bench.CreateAsync(Warmup);
        var playingA = a.RunAsync(run.Id, null, CancellationToken.None);
        await gateA.Held;
        var heldByA = (await bench.Runs.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Running).ToList();

        var bFoundNothing = clockB.NextTimerAsync(Settings.PollInterval).WaitAsync(TimeSpan.FromSeconds(30));
        var playingB = b.RunAsync(run.Id, null, CancellationToken.None);
        await bFoundNothing;
        Assert.Equal(heldByA.Select(i => (i.Key, i.EpisodeId)), (await bench.Runs.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Running).Select(i => (i.Key, i.EpisodeId)));
        Assert.Equal(0, Volatile.Read(ref startedByB));

        clockB.Advance(Settings.LeaseDuration);
        var taken = await PlayAsync(playingB, clockB);

        Assert.Equal((RunStatus.Completed, taken.Total), (taken.Status, taken.Done));
        var items = await bench.Runs.ItemsAsync(run.Id);
        Assert.All(heldByA, h => Assert.Equal(2, items.Single(i => i.Key == h.Key).Attempts));
        Assert.All(heldByA, h => Assert.NotEqual(h.EpisodeId, items.Single(i => i.Key == h.Key).EpisodeId));

        // A wakes up: its agents finish, and nothing of theirs is written.
        gateA.Open();
        await playingA;
        var after = (await bench.Runs.FindAsync(run.Id))!;
        Assert.Equal((taken.Done, taken.MeanScore, taken.EndedAt), (after.Done, after.MeanScore, after.EndedAt));
        Assert.Equal(items.Select(i => (i.Key, i.EpisodeId, i.Score)), (await bench.Runs.ItemsAsync(run.Id)).Select(i => (i.Key, i.EpisodeId, i.Score)));
        var alone = await PlayAsync(b.RunAsync((await bench.CreateAsync(Warmup)).Id, null, CancellationToken.None), clockB);
        Assert.Equal(await ScoresAsync(bench, alone.Id), await ScoresAsync(bench, run.Id));
    }

    [StoreTheory]
    public async Task CancelAsync_OnAnotherReplica_ThePlayingReplicaGivesItsItemsBackAtItsNextRenewal(StoreProvider provider)
    {
        var gateA = new Gate(free: 0, held: 3);
        var clockA = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var bench = await EvaluationBench.StartAsync(first: new Replica("replica-a", Wrap(gateA), clockA), provider: provider);
        var a = bench.Service;
        var b = await bench.AddReplicaAsync(new Replica("replica-b"));
        var run = await bench.CreateAsync(Warmup);
        var playingA = a.RunAsync(run.Id, null, CancellationToken.None);
        await gateA.Held;

        Assert.True(await b.CancelAsync(run.Id));
        Assert.Equal(3, (await bench.Runs.FindAsync(run.Id))!.Running);
        clockA.Advance(Settings.LeaseDuration / 3);
        var cancelled = await playingA;

        Assert.Equal((RunStatus.Cancelled, 0, 0, cancelled.Total), (cancelled.Status, cancelled.Running, cancelled.Done, cancelled.Pending));
        Assert.Equal(3, (await bench.Runs.ItemsAsync(run.Id)).Count(i => i.Attempts == 1 && i.EpisodeId is null && i.LeaseOwner is null));
        Assert.False(await b.CancelAsync(run.Id));
    }

    private static Func<IEvaluationEpisodes, IEvaluationEpisodes> Wrap(Gate gate) => inner => new PortWrappingEpisodes(inner, gate.Wrap);

    /// <summary>Moves a replica's clock a poll at a time until its play ends (it looks for work, renews and sees the run end by its clock).</summary>
    private static async Task<RunSummary> PlayAsync(Task<RunSummary> playing, ManualTimeProvider clock, TimeSpan? step = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!playing.IsCompleted && DateTime.UtcNow < deadline)
        {
            clock.Advance(step ?? Settings.PollInterval);
            await Task.WhenAny(playing, Task.Delay(20));
        }

        return await playing;
    }

    private static async Task<List<(string, double?)>> ScoresAsync(EvaluationBench bench, string runId) =>
        [.. (await bench.Runs.ItemsAsync(runId)).Select(i => (i.Key, i.Score))];
}

using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>
/// Runs of the scripted reference agents over the real tools suite, store and gateway: every item
/// is played once on its sealed seed, whatever cancels, stops or kills the runner in between.
/// </summary>
public sealed class EvaluationServiceTests
{
    private const string Warmup = """
        name: warmup-eval
        agent: reference:resilient
        tasks:
          - suite: tools
            tiers: [warmup]
        seeds: 2
        concurrency: 3
        """;

    [StoreTheory]
    public async Task RunAsync_ReferenceAgentConcurrency3_EveryItemDoneOnceWithTheScoresOfPlayingItsSealedSeed(StoreProvider provider)
    {
        await using var bench = await EvaluationBench.StartAsync(provider: provider);
        var run = await bench.CreateAsync(Warmup);

        var summary = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        var items = await bench.Runs.ItemsAsync(run.Id);
        Assert.Equal((RunStatus.Completed, items.Count, 0), (summary.Status, summary.Done, summary.Errors));
        Assert.All(items, i => Assert.Equal((RunItemStatus.Done, 1), (i.Status, i.Attempts)));
        Assert.Equal(items.Count, items.Select(i => i.EpisodeId).Distinct().Count());
        foreach (var item in items)
        {
            var expected = await PlayDirectlyAsync("warmup-eval:test", item, "resilient");
            Assert.Equal((expected.Score, expected.Outcome, expected.Success), (item.Score!.Value, item.Outcome, item.Success!.Value));
            var episode = (await bench.Episodes.GetTrajectoryAsync(item.EpisodeId!))!.Episode;
            Assert.Equal(("resilient", "sealed", ClientKinds.Eval, expected.Score), (episode.Agent, episode.Mode, episode.ClientKind, episode.Score));
            Assert.NotNull(await bench.Traces.FindAsync(item.EpisodeId!));
        }
    }

    [Fact]
    public async Task RunAsync_SameAssignmentTwice_SameScoresItemByItem()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var first = await bench.Service.RunAsync((await bench.CreateAsync(Warmup)).Id, null, CancellationToken.None);
        var second = await bench.Service.RunAsync((await bench.CreateAsync(Warmup)).Id, null, CancellationToken.None);

        Assert.Equal(await ScoresAsync(bench, first.Id), await ScoresAsync(bench, second.Id));
    }

    [StoreTheory]
    public async Task Cancel_MidRun_RunningItemsReleasedAndResumeReachesTheTotalsOfAnUninterruptedRun(StoreProvider provider)
    {
        var gate = new Gate(free: 2, held: 3);
        await using var bench = await EvaluationBench.StartAsync(wrapEpisodes: inner => new PortWrappingEpisodes(inner, gate.Wrap), provider: provider);
        var run = await bench.CreateAsync(Warmup);
        var playing = bench.Service.RunAsync(run.Id, null, CancellationToken.None);
        await gate.Held;

        Assert.True(await bench.Service.CancelAsync(run.Id));
        var cancelled = await playing;

        Assert.Equal((RunStatus.Cancelled, 2, 0, cancelled.Total - 2), (cancelled.Status, cancelled.Done, cancelled.Running, cancelled.Pending));
        var released = (await bench.Runs.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Pending && i.Attempts == 1).ToList();
        Assert.Equal(3, released.Count);

        gate.Open();
        var resumed = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);
        var uninterrupted = await bench.Service.RunAsync((await bench.CreateAsync(Warmup)).Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, uninterrupted.Total, uninterrupted.Successes, uninterrupted.MeanScore), (resumed.Status, resumed.Done, resumed.Successes, resumed.MeanScore));
        Assert.Equal(await ScoresAsync(bench, uninterrupted.Id), await ScoresAsync(bench, run.Id));
    }

    [StoreTheory]
    public async Task KilledMidRun_SameReplicaRestartsAndResumes_SameTotalsAndNothingCountedTwice(StoreProvider provider)
    {
        // The killed process's clock stands still: it never renews a lease or looks for work again.
        var gate = new Gate(free: 2, held: 3);
        await using var bench = await EvaluationBench.StartAsync(first: new Replica(EvaluationBench.FirstReplica, inner => new PortWrappingEpisodes(inner, gate.Wrap), new ManualTimeProvider(DateTimeOffset.UtcNow)), provider: provider);
        var run = await bench.CreateAsync(Warmup);
        var killed = bench.Service;
        Assert.True(killed.Start(run.Id));
        await gate.Held;
        var runningWhenKilled = (await bench.Runs.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Running).ToList();

        // Restarted under the same replica id, it takes its own items back at once (no lease to wait for).
        await bench.RestartAsync();
        var resumed = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        // The dead process's agents wake up: their results must not count.
        gate.Open();
        await killed.StopAllAsync();
        var uninterrupted = await bench.Service.RunAsync((await bench.CreateAsync(Warmup)).Id, null, CancellationToken.None);
        var after = (await bench.Runs.FindAsync(run.Id))!;
        Assert.Equal((RunStatus.Completed, uninterrupted.Total, uninterrupted.Total, uninterrupted.MeanScore), (resumed.Status, resumed.Done, after.Done, after.MeanScore));
        Assert.Equal(await ScoresAsync(bench, uninterrupted.Id), await ScoresAsync(bench, run.Id));
        var items = await bench.Runs.ItemsAsync(run.Id);
        Assert.Equal(3, runningWhenKilled.Count);
        Assert.All(runningWhenKilled, k => Assert.Equal(2, items.Single(i => i.Key == k.Key).Attempts));
        Assert.All(runningWhenKilled, k => Assert.NotEqual(k.EpisodeId, items.Single(i => i.Key == k.Key).EpisodeId));
    }

    [StoreTheory]
    public async Task StopAllAsync_ServerStopping_RunningItemsReleasedAtOnceAndTheRunLeftRunningForAnyReplica(StoreProvider provider)
    {
        var gate = new Gate(free: 2, held: 3);
        await using var bench = await EvaluationBench.StartAsync(wrapEpisodes: inner => new PortWrappingEpisodes(inner, gate.Wrap), provider: provider);
        var run = await bench.CreateAsync(Warmup);
        Assert.True(bench.Service.Start(run.Id));
        await gate.Held;

        await bench.Service.StopAllAsync();

        var stopped = (await bench.Runs.FindAsync(run.Id))!;
        Assert.Equal((RunStatus.Running, 2, 0, stopped.Total - 2), (stopped.Status, stopped.Done, stopped.Running, stopped.Pending));
        Assert.False(bench.Service.IsActive(run.Id));
        Assert.Equal(0, await bench.Runs.RecoverInterruptedAsync(EvaluationBench.FirstReplica));
        Assert.All((await bench.Runs.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Pending), i => Assert.Null(i.EpisodeId));
    }

    [Fact]
    public async Task RunAsync_ServerAtCapacity_ClaimsNothingUntilASessionIsFreeThenPlays()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var settings = new EvaluationOptions();
        await using var bench = await EvaluationBench.StartAsync(maxSessions: 1, first: new Replica(EvaluationBench.FirstReplica, EvaluationClock: clock));
        var client = bench.Gateway.Sessions.TryOpen(ClientKinds.Http, bench.Catalog.Suites[0], SessionLifetime.UntilClosed)!;
        var run = await bench.CreateAsync("""
            name: one
            agent: reference:naive
            tasks: [{ suite: tools, tiers: [warmup] }]
            """);

        // The worker looked, found no free session and waits for its next look.
        var lookedAndWaits = clock.NextTimerAsync(settings.PollInterval).WaitAsync(TimeSpan.FromSeconds(30));
        var playing = bench.Service.RunAsync(run.Id, null, CancellationToken.None);
        await lookedAndWaits;

        // Nothing is leased to a replica that cannot play it: any replica with room may take every item.
        Assert.All(await bench.Runs.ItemsAsync(run.Id), i => Assert.Equal((RunItemStatus.Pending, null, 0), (i.Status, i.LeaseOwner, i.Attempts)));
        Assert.Equal(0, await bench.Episodes.CountAsync());
        await bench.Gateway.Sessions.CloseAsync(client, "the client left");
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !playing.IsCompleted && DateTime.UtcNow < deadline; await Task.WhenAny(playing, Task.Delay(20)))
        {
            clock.Advance(settings.PollInterval);
        }

        var summary = await playing;
        Assert.Equal((RunStatus.Completed, summary.Total), (summary.Status, summary.Done));
    }

    [Fact]
    public async Task RunAsync_AgentStopsBeforeTheEpisodeEnds_ItemDoneAsAbandonedWithScore0AndTheEpisodeAbandoned()
    {
        await using var bench = await EvaluationBench.StartAsync(wrapEpisodes: inner => new PortWrappingEpisodes(inner, port => new RefusingPort(port)));
        var run = await bench.CreateAsync("""
            name: refused
            agent: reference:naive
            tasks: [{ suite: tools, scenarios: [W01] }]
            """);

        var summary = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        var item = (await bench.Runs.ItemsAsync(run.Id)).Single();
        Assert.Equal((RunStatus.Completed, RunItemStatus.Done, EvaluationService.AbandonedOutcome, 0.0, false, 0), (summary.Status, item.Status, item.Outcome, item.Score!.Value, item.Success!.Value, item.Steps!.Value));
        var episode = await StoreWaiter.WaitForAsync(bench.Services.GetRequiredService<IEpisodeFeed>(), bench.Episodes, item.EpisodeId!, t => t.Episode.EndedAt is not null);
        Assert.NotNull(episode.Episode.AbandonReason);
    }

    [Fact]
    public async Task RunAsync_AgentThrows_ItemErrorWithTheMessageAndTheRunCompletes()
    {
        await using var bench = await EvaluationBench.StartAsync(wrapEpisodes: inner => new PortWrappingEpisodes(inner, port => new ThrowingPort(port)));
        var run = await bench.CreateAsync("""
            name: failing
            agent: reference:naive
            tasks: [{ suite: tools, scenarios: [W01] }]
            seeds: 2
            """);

        var summary = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, 0, 2), (summary.Status, summary.Done, summary.Errors));
        Assert.All(await bench.Runs.ItemsAsync(run.Id), i => Assert.Equal((RunItemStatus.Error, ThrowingPort.Message), (i.Status, i.Error)));
    }

    [Fact]
    public async Task Subscribe_RunPlays_ReportsEveryItemStartAndFinishAndTheEnd()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var run = await bench.CreateAsync("""
            name: progress
            agent: reference:naive
            tasks: [{ suite: tools, scenarios: [W01] }]
            seeds: 2
            """);
        var events = new List<RunProgress>();
        using (bench.Service.Subscribe(e => { lock (events) { events.Add(e); } }))
        {
            await bench.Service.RunAsync(run.Id, null, CancellationToken.None);
        }

        Assert.Equal(4, events.Count(e => e.Item is not null));
        Assert.Equal(2, events.Count(e => e.Item is { Status: RunItemStatus.Done }));
        Assert.Equal(RunStatus.Completed, events[^1].Run.Status);
    }

    private static async Task<List<(string, double?)>> ScoresAsync(EvaluationBench bench, string runId) =>
        [.. (await bench.Runs.ItemsAsync(runId)).Select(i => (i.Key, i.Score))];

    /// <summary>What the seeder's way of playing gives for an item: the agent straight against a session, on the item's sealed seed.</summary>
    private static async Task<EpisodeGrade> PlayDirectlyAsync(string evaluation, RunItem item, string agentName)
    {
        var suite = new ToolsSuite();
        using var session = suite.CreateSession();
        var agent = suite.ReferenceAgents.Single(a => a.Name == agentName).Create();
        var options = new ResetOptions { ScenarioId = item.ScenarioId, Seed = TestGateway.SealedSeeds.ForEvaluation(evaluation, item.ScenarioId, item.SeedIndex), Mode = EpisodeMode.Sealed };
        var final = await AgentRunner.RunAsync(agent, session, options);
        return final!.Grade!;
    }

    /// <summary>A server that refuses every action (as a closed session does): a scripted agent gives up after its turns.</summary>
    private sealed class RefusingPort(IEnvironmentPort inner) : IEnvironmentPort
    {
        public AgentStep First => inner.First;

        public Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken) =>
            Task.FromResult(inner.First with { Refusal = "The session is closed." });
    }

    private sealed class ThrowingPort(IEnvironmentPort inner) : IEnvironmentPort
    {
        public const string Message = "the model endpoint failed after 3 attempts";

        public AgentStep First => inner.First;

        public Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken) => throw new HttpRequestException(Message);
    }
}

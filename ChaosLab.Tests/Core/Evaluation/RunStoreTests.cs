using ChaosLab.Core.Agents;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>
/// Runs, items and agent traces on a real store of each provider: every item move is guarded by
/// its lease (replica and episode), so nothing counts twice whichever replica plays or dies.
/// </summary>
public sealed class RunStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly NewRun Draft = new("smoke", "local-qwen [h2+h3+h4+h5]", "qwen", "h2+h3+h4+h5", "{}", "cli");
    private static readonly ItemResult Correct = new("correct", 1.0, true, 4, new Dictionary<string, int> { ["h2"] = 2 });

    private readonly ManualTimeProvider _clock = new(Now);
    private TestStore _store = null!;

    private RunStore Store => _store.Get<RunStore>();

    private async Task OpenAsync(StoreProvider provider) =>
        _store = await TestStore.CreateAsync(provider, services => services.AddSingleton<TimeProvider>(_clock));

    [StoreTheory]
    public async Task CreateAsync_ThreeItems_QueuedWithAllPendingInPlanOrder(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await Store.CreateAsync(Draft, Plan(3));

        Assert.Equal((RunStatus.Queued, 3, 3, 0, (double?)null), (run.Status, run.Total, run.Pending, run.Done, run.MeanScore));
        Assert.Equal(["tools/s/1/1", "tools/s/2/1", "tools/s/3/1"], (await Store.ItemsAsync(run.Id)).Where(i => i.Status == RunItemStatus.Pending).Select(i => i.Key));
    }

    [StoreTheory]
    public async Task CreateAsync_RepeatedItem_Throws(StoreProvider provider)
    {
        await OpenAsync(provider);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(Draft, [.. Plan(2), Plan(1)[0]]));
    }

    [StoreTheory]
    public async Task CompleteItemAsync_Twice_CountsOnce(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(2));
        var hold = await ClaimAsync(run.Id, "a", "ep-1");

        Assert.True(await Store.CompleteItemAsync(hold, Correct));
        Assert.False(await Store.CompleteItemAsync(hold, Correct with { Score = 0.0 }));

        var summary = (await Store.FindAsync(run.Id))!;
        Assert.Equal((1, 1, 1, 1.0), (summary.Done, summary.Pending, summary.Successes, summary.MeanScore));
        var item = (await Store.ItemsAsync(run.Id))[0];
        Assert.Equal(("done", 1.0, 4, 2, 1, null), (item.Status, item.Score, item.Steps, item.Interventions["h2"], item.Attempts, item.LeaseOwner));
    }

    [StoreTheory]
    public async Task CompleteItemAsync_FromAnotherEpisodeOrReplica_IsRefused(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(1));
        var hold = await ClaimAsync(run.Id, "a", "ep-new");

        Assert.False(await Store.CompleteItemAsync(hold with { EpisodeId = "ep-old" }, Correct));
        Assert.False(await Store.CompleteItemAsync(hold with { Owner = "b" }, Correct));
        Assert.False(await Store.ReleaseItemAsync(hold with { Owner = "b" }));
        Assert.Null(await Store.ClaimNextAsync(run.Id, Lease("b", "ep-other")));
        Assert.Equal((RunItemStatus.Running, "a"), ((await Store.ItemsAsync(run.Id))[0].Status, (await Store.ItemsAsync(run.Id))[0].LeaseOwner));
    }

    [StoreTheory]
    public async Task ClaimNextAsync_PlanOrderOnlyRunningRunsAndAtMostTheRunsConcurrencyOverAllReplicas(StoreProvider provider)
    {
        await OpenAsync(provider);
        var queued = await Store.CreateAsync(Draft with { Concurrency = 2 }, Plan(3));
        Assert.Null(await Store.ClaimNextAsync(queued.Id, Lease("a", "ep-0")));
        await Store.ResumeAsync(queued.Id);

        var first = await Store.ClaimNextAsync(queued.Id, Lease("a", "ep-1"));
        var second = await Store.ClaimNextAsync(queued.Id, Lease("b", "ep-2"));
        var third = await Store.ClaimNextAsync(queued.Id, Lease("b", "ep-3"));

        Assert.Equal(("tools/s/1/1", "tools/s/2/1", null), (first?.Key, second?.Key, third?.Key));
        Assert.Equal((RunItemStatus.Running, "ep-2", 1), (second!.Status, second.EpisodeId, second.Attempts));
        Assert.True(await Store.CompleteItemAsync(new ItemHold(queued.Id, first!.Key, "ep-1", "a"), Correct));
        Assert.Equal("tools/s/3/1", (await Store.ClaimNextAsync(queued.Id, Lease("b", "ep-3")))?.Key);
    }

    [StoreTheory]
    public async Task ClaimNextAsync_NoRunNamed_TakesServerRunsOldestFirstNeverTheCommandLines(StoreProvider provider)
    {
        await OpenAsync(provider);
        var cli = await RunningAsync(Plan(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var web = await Store.CreateAsync(Draft with { Origin = EvaluationService.OriginWeb }, Plan(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var api = await Store.CreateAsync(Draft with { Origin = EvaluationService.OriginApi }, Plan(1));
        await Store.ResumeAsync(api.Id);
        await Store.ResumeAsync(web.Id);

        Assert.Equal(web.Id, (await Store.ClaimNextAsync(null, Lease("a", "ep-1")))?.RunId);
        Assert.Equal(api.Id, (await Store.ClaimNextAsync(null, Lease("a", "ep-2")))?.RunId);
        Assert.Null(await Store.ClaimNextAsync(null, Lease("a", "ep-3")));
        Assert.Equal(RunItemStatus.Pending, (await Store.ItemsAsync(cli.Id))[0].Status);
    }

    [StoreTheory]
    public async Task ClaimNextAsync_LeaseExpired_AnotherReplicaTakesTheItemAndTheFormerHolderCannotWrite(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(1));
        var dead = await ClaimAsync(run.Id, "a", "ep-a");

        Assert.Null(await Store.ClaimNextAsync(run.Id, Lease("b", "ep-b")));
        _clock.Advance(Duration);
        var taken = await Store.ClaimNextAsync(run.Id, Lease("b", "ep-b"));

        Assert.Equal(("ep-b", 2, "b"), (taken?.EpisodeId, taken?.Attempts, (await Store.ItemsAsync(run.Id))[0].LeaseOwner));
        Assert.False(await Store.CompleteItemAsync(dead, Correct));
        Assert.False(await Store.FailItemAsync(dead, "late"));
        Assert.Empty(await Store.RenewLeasesAsync("a", _clock.GetUtcNow() + Duration));
        Assert.True(await Store.CompleteItemAsync(new ItemHold(run.Id, taken!.Key, "ep-b", "b"), Correct));
    }

    [StoreTheory]
    public async Task RenewLeasesAsync_KeepsTheItemAndReportsARunCancelledElsewhere(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(2));
        var hold = await ClaimAsync(run.Id, "a", "ep-a");

        _clock.Advance(Duration / 2);
        Assert.Equal([new HeldItem(run.Id, hold.Key, "ep-a", RunStatus.Running)], await Store.RenewLeasesAsync("a", _clock.GetUtcNow() + Duration));
        _clock.Advance(Duration / 2 + TimeSpan.FromSeconds(1));
        Assert.Equal("tools/s/2/1", (await Store.ClaimNextAsync(run.Id, Lease("b", "ep-b")))?.Key);

        Assert.True(await Store.EndAsync(run.Id, RunStatus.Cancelled));
        Assert.Equal([new HeldItem(run.Id, hold.Key, "ep-a", RunStatus.Cancelled)], await Store.RenewLeasesAsync("a", _clock.GetUtcNow() + Duration));
        Assert.Null(await Store.ClaimNextAsync(run.Id, Lease("c", "ep-c")));
        Assert.True(await Store.ReleaseItemAsync(hold));
    }

    [StoreTheory]
    public async Task TryCompleteAsync_OnlyOnceNothingIsLeftAndOnlyOnce(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(2));
        var first = await ClaimAsync(run.Id, "a", "ep-1");
        var second = await ClaimAsync(run.Id, "b", "ep-2");
        await Store.CompleteItemAsync(first, Correct);
        Assert.False(await Store.TryCompleteAsync(run.Id));
        await Store.FailItemAsync(second, "model endpoint returned 500 after 3 attempts");

        var completions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Store.TryCompleteAsync(run.Id)));

        Assert.Single(completions, c => c);
        Assert.Equal(RunStatus.Completed, (await Store.FindAsync(run.Id))!.Status);
        Assert.False(await Store.ResumeAsync(run.Id));
    }

    [StoreTheory]
    public async Task RecoverInterruptedAsync_OnlyThisReplicasItemsGoBackAndTheirEpisodesCannotWrite(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(3));
        var done = await ClaimAsync(run.Id, "a", "ep-1");
        await Store.CompleteItemAsync(done, Correct);
        var mine = await ClaimAsync(run.Id, "a", "ep-2");
        var theirs = await ClaimAsync(run.Id, "b", "ep-3");

        Assert.Equal(1, await Store.RecoverInterruptedAsync("a"));

        var items = await Store.ItemsAsync(run.Id);
        Assert.Equal([("done", "ep-1", null), ("pending", null, null), ("running", "ep-3", "b")], items.Select(i => (i.Status, i.EpisodeId, i.LeaseOwner)));
        Assert.False(await Store.CompleteItemAsync(mine, Correct));
        Assert.Equal(2, (await Store.ClaimNextAsync(run.Id, Lease("a", "ep-4")))?.Attempts);
        Assert.True(await Store.CompleteItemAsync(theirs, Correct));
    }

    [StoreTheory]
    public async Task FailAndRelease_ErrorCountsAsFinishedReleasedGoesBackToPending(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await RunningAsync(Plan(2));
        var failed = await ClaimAsync(run.Id, "a", "ep-1");
        var released = await ClaimAsync(run.Id, "a", "ep-2");

        Assert.True(await Store.FailItemAsync(failed, "model endpoint returned 500 after 3 attempts"));
        Assert.True(await Store.ReleaseItemAsync(released));

        var summary = (await Store.FindAsync(run.Id))!;
        Assert.Equal((1, 1, 0, 1), (summary.Errors, summary.Pending, summary.Running, summary.Finished));
        Assert.Equal("model endpoint returned 500 after 3 attempts", (await Store.ItemsAsync(run.Id))[0].Error);
        Assert.Equal(("pending", null, null), ((await Store.ItemsAsync(run.Id))[1].Status, (await Store.ItemsAsync(run.Id))[1].EpisodeId, (await Store.ItemsAsync(run.Id))[1].LeaseOwner));
    }

    [StoreTheory]
    public async Task EndAsync_EndedRun_StaysAsItWasUntilResumed(StoreProvider provider)
    {
        await OpenAsync(provider);
        var run = await Store.CreateAsync(Draft, Plan(1));
        Assert.True(await Store.ResumeAsync(run.Id));
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await Store.EndAsync(run.Id, RunStatus.Cancelled));
        Assert.False(await Store.EndAsync(run.Id, RunStatus.Completed));

        var summary = (await Store.FindAsync(run.Id))!;
        Assert.Equal((RunStatus.Cancelled, Now, Now.AddMinutes(2)), (summary.Status, summary.StartedAt, summary.EndedAt));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.EndAsync(run.Id, RunStatus.Running));
        Assert.True(await Store.ResumeAsync(run.Id));
        Assert.Equal((RunStatus.Running, Now, null), ((await Store.FindAsync(run.Id))!.Status, (await Store.FindAsync(run.Id))!.StartedAt, (await Store.FindAsync(run.Id))!.EndedAt));
    }

    [StoreTheory]
    public async Task ListAndAblation_NewestFirstAndAblationOldestFirst(StoreProvider provider)
    {
        await OpenAsync(provider);
        var first = await Store.CreateAsync(Draft with { AblationId = "ab-1", Variant = "all" }, Plan(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Store.CreateAsync(Draft with { AblationId = "ab-1", Variant = "none" }, Plan(1));

        Assert.Equal([second.Id, first.Id], (await Store.ListAsync()).Select(r => r.Id));
        Assert.Equal(["all", "none"], (await Store.AblationAsync("ab-1")).Select(r => r.Variant));
    }

    [StoreTheory]
    public async Task AgentTrace_RoundTripsAndIsDeletedWithItsEpisode(StoreProvider provider)
    {
        await OpenAsync(provider);
        var traces = _store.Get<AgentTraceStore>();
        var trace = new AgentEpisodeTrace { Finished = true };
        trace.Conversation.Add(new TracedMessage("assistant", "", """[{"name":"search"}]"""));
        trace.ModelCalls.Add(new ModelCall(1, 1, """{"choices":[]}""", 12.5, 2, 10, 3));
        trace.Interventions.Add(new HarnessIntervention(1, "h2", "tool name off by case", "Search -> search"));
        await traces.SaveAsync("ep-1", "run-1", StoredAgentTrace.From(trace, "agent", "qwen", "h2"));

        var stored = (await traces.FindAsync("ep-1"))!;
        Assert.Equal(("agent", true, 2, "Search -> search"), (stored.Agent, stored.Finished, stored.ModelCalls[0].Attempts, stored.Interventions[0].Change));

        await _store.ExecuteAsync("INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, started_at) VALUES ('ep-1', 'tools', 't', 'warmup', 's', 1, 'a', 'eval', 0)");
        await _store.ExecuteAsync("DELETE FROM episodes WHERE id = 'ep-1'");
        Assert.Null(await traces.FindAsync("ep-1"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private ItemLease Lease(string owner, string episodeId) => new(owner, episodeId, _clock.GetUtcNow(), Duration);

    private async Task<RunSummary> RunningAsync(IReadOnlyList<RunItemSpec> plan)
    {
        var run = await Store.CreateAsync(Draft with { Concurrency = 8 }, plan);
        Assert.True(await Store.ResumeAsync(run.Id));
        return run;
    }

    private async Task<ItemHold> ClaimAsync(string runId, string owner, string episodeId)
    {
        var item = await Store.ClaimNextAsync(runId, Lease(owner, episodeId));
        Assert.NotNull(item);
        return new ItemHold(runId, item.Key, episodeId, owner);
    }

    private static List<RunItemSpec> Plan(int seeds) =>
        [.. Enumerable.Range(1, seeds).Select(i => new RunItemSpec("tools", "t", "warmup", "s", i, 1))];
}

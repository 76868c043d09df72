using ChaosLab.Core;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>Runs, items and agent traces on a real SQLite file: every item move is guarded, so nothing counts twice.</summary>
public sealed class RunStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly NewRun Draft = new("smoke", "local-qwen [h2+h3+h4+h5]", "qwen", "h2+h3+h4+h5", "{}", "cli");
    private static readonly ItemResult Correct = new("correct", 1.0, true, 4, new Dictionary<string, int> { ["h2"] = 2 });

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);
    private ServiceProvider _services = null!;

    private RunStore Store => _services.GetRequiredService<RunStore>();

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
    }

    [Fact]
    public async Task CreateAsync_ThreeItems_QueuedWithAllPendingInPlanOrder()
    {
        var run = await Store.CreateAsync(Draft, Plan(3));

        Assert.Equal((RunStatus.Queued, 3, 3, 0, (double?)null), (run.Status, run.Total, run.Pending, run.Done, run.MeanScore));
        Assert.Equal(["tools/s/1/1", "tools/s/2/1", "tools/s/3/1"], (await Store.PendingAsync(run.Id)).Select(i => i.Key));
    }

    [Fact]
    public async Task CreateAsync_RepeatedItem_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(Draft, [.. Plan(2), Plan(1)[0]]));
    }

    [Fact]
    public async Task CompleteItemAsync_Twice_CountsOnce()
    {
        var run = await Store.CreateAsync(Draft, Plan(2));
        Assert.True(await Store.StartItemAsync(run.Id, "tools/s/1/1", "ep-1"));

        Assert.True(await Store.CompleteItemAsync(run.Id, "tools/s/1/1", "ep-1", Correct));
        Assert.False(await Store.CompleteItemAsync(run.Id, "tools/s/1/1", "ep-1", Correct with { Score = 0.0 }));

        var summary = (await Store.FindAsync(run.Id))!;
        Assert.Equal((1, 1, 1, 1.0), (summary.Done, summary.Pending, summary.Successes, summary.MeanScore));
        var item = (await Store.ItemsAsync(run.Id))[0];
        Assert.Equal(("done", 1.0, 4, 2, 1), (item.Status, item.Score, item.Steps, item.Interventions["h2"], item.Attempts));
    }

    [Fact]
    public async Task CompleteItemAsync_FromAnotherEpisode_IsRefused()
    {
        var run = await Store.CreateAsync(Draft, Plan(1));
        await Store.StartItemAsync(run.Id, "tools/s/1/1", "ep-new");

        Assert.False(await Store.CompleteItemAsync(run.Id, "tools/s/1/1", "ep-old", Correct));
        Assert.False(await Store.StartItemAsync(run.Id, "tools/s/1/1", "ep-other"));
        Assert.Equal(RunItemStatus.Running, (await Store.ItemsAsync(run.Id))[0].Status);
    }

    [Fact]
    public async Task RecoverInterruptedAsync_ItemRunningWhenTheProcessDied_IsPendingAgainAndItsRunIsReturned()
    {
        var run = await Store.CreateAsync(Draft, Plan(2));
        await Store.MarkRunningAsync(run.Id);
        await Store.StartItemAsync(run.Id, "tools/s/1/1", "ep-1");
        await Store.CompleteItemAsync(run.Id, "tools/s/1/1", "ep-1", Correct);
        await Store.StartItemAsync(run.Id, "tools/s/2/1", "ep-2");

        var resumable = await Store.RecoverInterruptedAsync();

        Assert.Equal([run.Id], resumable);
        var items = await Store.ItemsAsync(run.Id);
        Assert.Equal([("done", "ep-1"), ("pending", null)], items.Select(i => (i.Status, i.EpisodeId)));
        Assert.False(await Store.CompleteItemAsync(run.Id, "tools/s/2/1", "ep-2", Correct));
        Assert.True(await Store.StartItemAsync(run.Id, "tools/s/2/1", "ep-3"));
        Assert.Equal(2, (await Store.ItemsAsync(run.Id))[1].Attempts);
    }

    [Fact]
    public async Task FailAndRelease_ErrorCountsAsFinishedReleasedGoesBackToPending()
    {
        var run = await Store.CreateAsync(Draft, Plan(2));
        await Store.StartItemAsync(run.Id, "tools/s/1/1", "ep-1");
        await Store.StartItemAsync(run.Id, "tools/s/2/1", "ep-2");

        Assert.True(await Store.FailItemAsync(run.Id, "tools/s/1/1", "ep-1", "model endpoint returned 500 after 3 attempts"));
        Assert.True(await Store.ReleaseItemAsync(run.Id, "tools/s/2/1", "ep-2"));

        var summary = (await Store.FindAsync(run.Id))!;
        Assert.Equal((1, 1, 0, 1), (summary.Errors, summary.Pending, summary.Running, summary.Finished));
        Assert.Equal("model endpoint returned 500 after 3 attempts", (await Store.ItemsAsync(run.Id))[0].Error);
    }

    [Fact]
    public async Task EndAsync_EndedRun_StaysAsItWasAndCannotBeMarkedRunning()
    {
        var run = await Store.CreateAsync(Draft, Plan(1));
        Assert.True(await Store.MarkRunningAsync(run.Id));
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await Store.EndAsync(run.Id, RunStatus.Cancelled));
        Assert.False(await Store.EndAsync(run.Id, RunStatus.Completed));
        Assert.False(await Store.MarkRunningAsync(run.Id));

        var summary = (await Store.FindAsync(run.Id))!;
        Assert.Equal((RunStatus.Cancelled, Now, Now.AddMinutes(2)), (summary.Status, summary.StartedAt, summary.EndedAt));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.EndAsync(run.Id, RunStatus.Running));
    }

    [Fact]
    public async Task ListAndAblation_NewestFirstAndAblationOldestFirst()
    {
        var first = await Store.CreateAsync(Draft with { AblationId = "ab-1", Variant = "all" }, Plan(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Store.CreateAsync(Draft with { AblationId = "ab-1", Variant = "none" }, Plan(1));

        Assert.Equal([second.Id, first.Id], (await Store.ListAsync()).Select(r => r.Id));
        Assert.Equal(["all", "none"], (await Store.AblationAsync("ab-1")).Select(r => r.Variant));
    }

    [Fact]
    public async Task AgentTrace_RoundTripsAndIsDeletedWithItsEpisode()
    {
        var traces = _services.GetRequiredService<AgentTraceStore>();
        var trace = new AgentEpisodeTrace { Finished = true };
        trace.Conversation.Add(new TracedMessage("assistant", "", """[{"name":"search"}]"""));
        trace.ModelCalls.Add(new ModelCall(1, 1, """{"choices":[]}""", 12.5, 2, 10, 3));
        trace.Interventions.Add(new HarnessIntervention(1, "h2", "tool name off by case", "Search -> search"));
        await traces.SaveAsync("ep-1", "run-1", StoredAgentTrace.From(trace, "agent", "qwen", "h2"));

        var stored = (await traces.FindAsync("ep-1"))!;
        Assert.Equal(("agent", true, 2, "Search -> search"), (stored.Agent, stored.Finished, stored.ModelCalls[0].Attempts, stored.Interventions[0].Change));

        var file = new SqliteFile(_directory.File("chaoslab.db"));
        await file.ExecuteAsync("INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, started_at) VALUES ('ep-1', 'tools', 't', 'warmup', 's', 1, 'a', 'eval', 0)");
        await file.ExecuteAsync("DELETE FROM episodes WHERE id = 'ep-1'");
        Assert.Null(await traces.FindAsync("ep-1"));
    }

    public Task DisposeAsync() => _services.DisposeAsync().AsTask();

    public void Dispose() => _directory.Dispose();

    private static List<RunItemSpec> Plan(int seeds) =>
        [.. Enumerable.Range(1, seeds).Select(i => new RunItemSpec("tools", "t", "warmup", "s", i, 1))];
}

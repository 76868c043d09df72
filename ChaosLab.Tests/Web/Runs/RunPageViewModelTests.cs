using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;

namespace ChaosLab.Tests.Web.Runs;

public sealed class RunPageViewModelTests : IAsyncLifetime
{
    private RunFixture _runs = null!;
    private FakeEvaluationRuns _service = null!;

    public async Task InitializeAsync()
    {
        _runs = await RunFixture.StartAsync();
        _service = new FakeEvaluationRuns(_runs.Store);
    }

    public async Task DisposeAsync() => await _runs.DisposeAsync();

    [Fact]
    public async Task LoadAsync_UnknownRun_NotFound()
    {
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);

        await model.LoadAsync("nope");

        Assert.True(model.NotFound);
        Assert.Equal(LoadState.Empty, model.State);
    }

    [Fact]
    public async Task LoadAsync_ScoredItems_BreakdownsByTierAndChartsOfScoreAndSuccess()
    {
        var run = await _runs.CreateAsync("tiers", RunFixture.Items(("W01", "warmup"), ("W02", "warmup"), ("B01", "beginner"), ("B02", "beginner")));
        await _runs.ScoreAsync(run.Id, "tools/W01/1/1", 1.0, interventions: new Dictionary<string, int> { ["h4"] = 1 });
        await _runs.ScoreAsync(run.Id, "tools/W02/1/1", 0.5, interventions: new Dictionary<string, int> { ["h2"] = 3 });
        await _runs.FailAsync(run.Id, "tools/B01/1/1", "the model returned no action 3 times");
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);

        await model.LoadAsync(run.Id);

        Assert.Equal(LoadState.Ready, model.State);
        Assert.Equal(
            [new RunGroup("warmup", 2, 2, 0.75, 0.5), new RunGroup("beginner", 2, 0, null, null)],
            model.ByTier);
        Assert.Equal([new RunGroup("tools", 4, 2, 0.75, 0.5)], model.BySuite);
        Assert.Equal(["tools/task1"], model.ByTask.Select(g => g.Label));
        // Only groups with a score are drawn: a bar of 0 would read as "scored zero".
        Assert.Equal([RunBreakdown.ScoreSeries, RunBreakdown.SuccessSeries], model.TierFigure.Traces.Select(t => t.Name));
        Assert.Equal(["warmup"], model.TierFigure.Traces[0].X);
        Assert.Equal([0.75], model.TierFigure.Traces[0].Y);
        Assert.Equal([0.5], model.TierFigure.Traces[1].Y);
        Assert.Equal((1.0, "group"), (model.TierFigure.Layout.YAxisMax, model.TierFigure.Layout.BarMode));
        Assert.Equal(["h2", "h4"], model.InterventionLayers);
        Assert.Equal(3, RunPageViewModel.Interventions(model.Items[1], "h2"));
        Assert.Equal(0, RunPageViewModel.Interventions(model.Items[1], "h5"));
    }

    [Fact]
    public async Task LoadAsync_NothingScored_EmptyFigures()
    {
        var run = await _runs.CreateAsync("fresh", RunFixture.Items(("W01", "warmup")));
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);

        await model.LoadAsync(run.Id);

        Assert.Same(ChartFigure.Empty, model.SuiteFigure);
        Assert.Same(ChartFigure.Empty, model.TierFigure);
    }

    [Fact]
    public async Task LoadAsync_RunOfAnAblation_ListsItsVariantsOldestFirst()
    {
        var all = await _runs.CreateAsync("abl", RunFixture.Items(("W01", "warmup")), ablationId: "ab1", variant: "all");
        var none = await _runs.CreateAsync("abl", RunFixture.Items(("W01", "warmup")), harness: "none", ablationId: "ab1", variant: "none");
        await _runs.CreateAsync("other", RunFixture.Items(("W01", "warmup")));
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);

        await model.LoadAsync(none.Id);

        Assert.Equal([all.Id, none.Id], model.Ablation.Select(r => r.Id));
    }

    [Fact]
    public async Task Live_RunEndsElsewhere_PollShowsItAndStopsFollowing()
    {
        var run = await _runs.CreateAsync("cli-run", RunFixture.Items(("W01", "warmup")));
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);
        await model.LoadAsync(run.Id, live: true);
        Assert.True(model.IsLive);
        Assert.Equal(1, _service.Subscribers);

        // As a command line on the same database would: the item scored, the run completed.
        await _runs.Store.ResumeAsync(run.Id);
        Assert.True(await _runs.Store.StartItemAsync(run.Id, "tools/W01/1/1", "ep-1"));
        Assert.True(await _runs.Store.CompleteItemAsync(run.Id, "tools/W01/1/1", "ep-1", new ItemResult("correct", 1, true, 2, new Dictionary<string, int>())));
        Assert.True(await _runs.Store.EndAsync(run.Id, RunStatus.Completed));
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.Changed += () => changed.TrySetResult();
        _runs.Clock.Advance(RunLiveUpdates.PollInterval);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((RunStatus.Completed, 1.0), (model.Run!.Status, model.Run.MeanScore));
        Assert.False(model.IsLive);
        Assert.Equal(0, _service.Subscribers);
    }

    [Fact]
    public async Task LoadAsync_FinishedRun_NotFollowed()
    {
        var run = await _runs.CreateAsync("done", RunFixture.Items(("W01", "warmup")));
        await _runs.Store.EndAsync(run.Id, RunStatus.Cancelled);
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);

        await model.LoadAsync(run.Id, live: true);

        Assert.False(model.IsLive);
        Assert.Equal(0, _service.Subscribers);
    }

    [Fact]
    public async Task CancelAsync_RunStarted_AskedOfTheServiceAndNotCancellableAgain()
    {
        var run = await _runs.CreateAsync("playing", RunFixture.Items(("W01", "warmup")));
        _service.Start(run.Id);
        using var model = new RunPageViewModel(_runs.Store, _service, _runs.Clock);
        await model.LoadAsync(run.Id);

        Assert.True(model.CanCancel);
        Assert.True(await model.CancelAsync());
        Assert.Equal(RunStatus.Cancelled, model.Run!.Status);
        Assert.False(model.CanCancel);
        Assert.False(await model.CancelAsync());
    }
}

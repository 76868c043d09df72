using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Web.Model;

public sealed class ReplayViewModelTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(Epoch);
    private RecordingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await RecordingHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task LoadAsync_UnknownId_IsNotFound()
    {
        using var model = CreateModel();

        await model.LoadAsync("nope");

        Assert.True(model.NotFound);
        Assert.Equal(LoadState.Empty, model.State);
        Assert.Null(model.Selected);
    }

    [Fact]
    public async Task LoadAsync_UnreadableStore_FailsWithInlineError()
    {
        await using var broken = await RecordingHarness.StartAsync(createSchema: false);
        using var model = new ReplayViewModel(broken.Store, broken.Feed, _clock);

        await model.LoadAsync("ep-1");

        Assert.Equal(LoadState.Failed, model.State);
        Assert.StartsWith("The episode could not be read", model.Error, StringComparison.Ordinal);
        Assert.False(model.NotFound);
    }

    [Fact]
    public async Task LoadAsync_FinishedEpisode_ReadsStepsFaultsGradeAndChart()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1")), steps: 3, faults: ["rate_limit"]);
        using var model = CreateModel();

        await model.LoadAsync("ep-1", step: 1);

        Assert.Equal(LoadState.Ready, model.State);
        Assert.Equal([0, 1, 2, 3, 4], model.Steps.Select(s => s.Index));
        var selected = model.Selected!;
        Assert.Equal(1, selected.Index);
        Assert.Equal(["rate_limit"], selected.FiredKinds);
        Assert.Equal(2, selected.Faults.Count);
        Assert.Equal(0.05, selected.Faults.Single(f => f.Fired).Inputs.Roll);
        Assert.True(selected.ResultChanged);
        Assert.Contains(selected.Diff, l => l.Kind == DiffKind.Removed && l.Text == "clean 1");
        Assert.Contains(selected.Diff, l => l.Kind == DiffKind.Added && l.Text == "faulty 1");
        Assert.False(model.Steps[2].ResultChanged);
        Assert.Equal("search", selected.Label);
        Assert.Equal("reset", model.Steps[0].Label);
        Assert.Equal("correct", model.Grade!.Outcome);
        Assert.Equal("revenue", Assert.Single(model.Grade.Criteria).Name);
        Assert.Contains("12.5 billion USD", model.AnswerKey, StringComparison.Ordinal);
        Assert.False(model.IsRunning);
        Assert.False(model.IsLive);
        Assert.Equal(3, model.RewardFigure.Traces.Count);
    }

    [Fact]
    public async Task LoadAsync_StepThatDoesNotExist_SelectsTheFirst()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1")), steps: 2);
        using var model = CreateModel();

        await model.LoadAsync("ep-1", step: 99);

        Assert.Equal(0, model.Selected!.Index);
    }

    [Fact]
    public async Task HandleKey_TimelineKeys_MoveWithinBounds()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1")), steps: 3);
        using var model = CreateModel();
        await model.LoadAsync("ep-1");

        Assert.False(model.HandleKey("ArrowLeft"));
        Assert.True(model.HandleKey("ArrowRight"));
        Assert.Equal(1, model.Selected!.Index);
        Assert.True(model.HandleKey("End"));
        Assert.Equal(4, model.Selected.Index);
        Assert.False(model.HandleKey("ArrowRight"));
        Assert.False(model.CanMoveForward);
        Assert.True(model.HandleKey("ArrowLeft"));
        Assert.Equal(3, model.Selected.Index);
        Assert.True(model.HandleKey("Home"));
        Assert.Equal(0, model.Selected.Index);
        Assert.False(model.HandleKey("a"));
    }

    [Fact]
    public async Task Play_ManualClock_AdvancesOneStepPerSecondAndStopsAtTheEnd()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1")), steps: 2);
        using var model = CreateModel();
        await model.LoadAsync("ep-1");
        var changes = 0;
        model.Changed += () => changes++;

        model.Play();
        Assert.True(model.Playing);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, model.Selected!.Index);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, model.Selected.Index);
        _clock.Advance(ReplayViewModel.PlayInterval);
        _clock.Advance(ReplayViewModel.PlayInterval);

        Assert.Equal(3, model.Selected.Index);
        Assert.False(model.Playing);
        Assert.Equal(3, changes);
        _clock.Advance(ReplayViewModel.PlayInterval * 5);
        Assert.Equal(3, model.Selected.Index);
    }

    [Fact]
    public async Task Play_KeyPressed_PausesPlayback()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1")), steps: 4);
        using var model = CreateModel();
        await model.LoadAsync("ep-1");

        model.TogglePlay();
        _clock.Advance(ReplayViewModel.PlayInterval);
        model.HandleKey("ArrowRight");
        _clock.Advance(ReplayViewModel.PlayInterval * 3);

        Assert.False(model.Playing);
        Assert.Equal(2, model.Selected!.Index);
    }

    [Fact]
    public async Task Play_FromTheLastStep_StartsOver()
    {
        await RecordEpisodeAsync(_harness.Recorder, Start(Info("ep-1")), steps: 2);
        using var model = CreateModel();
        await model.LoadAsync("ep-1", step: 3);

        model.Play();

        Assert.Equal(0, model.Selected!.Index);
        Assert.True(model.Playing);
    }

    [Fact]
    public async Task Live_StepsArrive_AppendAndFollowTheLatestThenGradeAppears()
    {
        var start = Start(Info("ep-live"));
        _harness.Recorder.EpisodeStarted(start, Reset());
        await _harness.Recorder.StepRecordedAsync("ep-live", Step(1), TimeSpan.Zero);
        await WaitForStepAsync("ep-live", 1);
        using var model = CreateModel();
        using var changed = Signal(model);

        await model.LoadAsync("ep-live", live: true);

        Assert.True(model.IsRunning);
        Assert.True(model.IsLive);
        Assert.True(model.Following);
        Assert.Equal(1, model.Selected!.Index);
        Assert.Null(model.Grade);

        await _harness.Recorder.StepRecordedAsync("ep-live", Step(2, 0.2, "stale_data"), TimeSpan.Zero);
        await changed.WaitAsync(c => model.Steps.Count == 3);

        Assert.Equal(2, model.Selected.Index);

        // While the episode runs, which faults fired is not disclosed, not even to the dashboard.
        Assert.Empty(model.Episode!.FaultKinds);
        Assert.Empty(model.Selected.Faults);
        Assert.DoesNotContain(model.RewardFigure.Traces, t => t.Kind == ChartTraceKind.Markers);

        // Looking at an earlier step: new steps must not pull the selection away.
        model.Select(1);
        Assert.False(model.Following);
        await _harness.Recorder.StepRecordedAsync("ep-live", Step(3), TimeSpan.Zero);
        await changed.WaitAsync(c => model.Steps.Count == 4);
        Assert.Equal(1, model.Selected.Index);

        await _harness.Recorder.StepRecordedAsync("ep-live", Final(4, "12.5 billion"), TimeSpan.Zero);
        await changed.WaitAsync(c => model.Grade is not null);

        Assert.Equal("correct", model.Episode.Outcome);
        Assert.False(model.IsRunning);
        Assert.False(model.IsLive);
        Assert.Equal(5, model.Steps.Count);
        Assert.Equal(1, model.Selected.Index);

        // Ended: the whole record, faults included, is disclosed.
        Assert.Contains("stale_data", model.Episode.FaultKinds);
        Assert.Equal(["2"], model.RewardFigure.Traces.Single(t => t.Kind == ChartTraceKind.Markers).X);
    }

    [Fact]
    public void BuildRewardFigure_Steps_BarsCumulativeLineAndFaultMarkers()
    {
        var faulted = """[{"kind":"timeout","target":"t","fired":true,"trigger":"p","reason":"r","parameters":{},"inputs":{"seed":1,"scenario_id":"E01","target":"t","canonical_arguments":"{}","occurrence":0,"roll":0.1,"threshold":0.5}}]""";
        ReplayStep[] steps =
        [
            Row(0, 0, "[]"),
            Row(1, 0.1, faulted),
            Row(2, 0.2, "[]"),
            Row(3, 0.5, "[]"),
        ];

        var figure = ReplayViewModel.BuildRewardFigure(steps);

        Assert.Equal(["step reward", "cumulative", "fault fired"], figure.Traces.Select(t => t.Name));
        Assert.Equal(["1", "2", "3"], figure.Traces[0].X);
        Assert.Equal([0.1, 0.2, 0.5], figure.Traces[0].Y);
        Assert.Equal([0.1, 0.3, 0.8], figure.Traces[1].Y);
        Assert.Equal((ChartTraceKind.Markers, "1", 0.1), (figure.Traces[2].Kind, figure.Traces[2].X.Single(), figure.Traces[2].Y.Single()));
        Assert.Same(ChartFigure.Empty, ReplayViewModel.BuildRewardFigure([Row(0, 0, "[]")]));
    }

    [Fact]
    public void ReplayStep_OddAndCorruptRows_StillRender()
    {
        var step = ReplayStep.From(new RecordedStep
        {
            EpisodeId = "ep",
            StepIndex = 3,
            ActionJson = """{"type":42}""",
            ObservationJson = "not json",
            CleanResult = """{"a":1,"b":2}""",
            DeliveredResult = """{"a":1,"b""",
            FaultsJson = "{broken",
            RewardComponentsJson = "[]",
            Error = "HTTP 500",
        });

        Assert.Equal("action", step.Label);
        Assert.Equal("error", step.Status);
        Assert.Contains("not json", step.Observation, StringComparison.Ordinal);
        Assert.Empty(step.Faults);
        Assert.True(step.ResultChanged);
        Assert.Contains(step.Diff, l => l.Kind == DiffKind.Removed && l.Text.Contains("\"b\": 2", StringComparison.Ordinal));
    }

    private static ReplayStep Row(int index, double reward, string faults) => ReplayStep.From(new RecordedStep
    {
        EpisodeId = "ep",
        StepIndex = index,
        ActionJson = index == 0 ? null : """{"type":"call_tool","tool_name":"t","arguments":{}}""",
        ObservationJson = "{}",
        FaultsJson = faults,
        RewardComponentsJson = "[]",
        Reward = reward,
    });

    private ReplayViewModel CreateModel() => new(_harness.Store, _harness.Feed, _clock);

    private Task<EpisodeTrajectory> WaitForStepAsync(string id, int index) =>
        StoreWaiter.WaitForStepsAsync(_harness.Feed, _harness.Store, id, index + 1);

    private static ChangeSignal Signal(ReplayViewModel model)
    {
        var signal = new ChangeSignal();
        model.Changed += signal.Set;
        return signal;
    }

    /// <summary>Waits for the model's Changed events until a condition holds (the feed delivers on its own task).</summary>
    private sealed class ChangeSignal : IDisposable
    {
        private readonly SemaphoreSlim _changes = new(0);

        public void Set() => _changes.Release();

        public void Dispose() => _changes.Dispose();

        public async Task WaitAsync(Func<int, bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!condition(0))
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero || !await _changes.WaitAsync(remaining))
                {
                    throw new TimeoutException("The replay model was not updated in time.");
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Telemetry;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Telemetry;

/// <summary>What a recorded session emits: measurements tagged by suite, and spans that name the episode and nothing it hides.</summary>
public sealed class EpisodeTelemetryTests : IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await RecordingHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Step_CountedWithItsLatencyUnderTheSuiteTag()
    {
        using var measurements = new Measurements(_harness.Metrics.Meter);
        await using var session = Session(new ToySuite("metered"));

        await session.ResetAsync(session.Suite, new ResetOptions { Seed = 1 }, "tester", CancellationToken.None);
        var step = await session.StepAsync(Action("""{"type": "call_tool", "tool_name": "peek", "arguments": {}}"""), CancellationToken.None);

        Assert.True(step.Succeeded);
        var resets = Assert.Single(measurements.Of(ChaosLabTelemetry.Metrics.Resets));
        Assert.Equal((1.0, "metered"), (resets.Value, resets.Tags["suite"]));
        var steps = Assert.Single(measurements.Of(ChaosLabTelemetry.Metrics.Steps));
        Assert.Equal((1.0, "metered"), (steps.Value, steps.Tags["suite"]));
        var latency = Assert.Single(measurements.Of(ChaosLabTelemetry.Metrics.StepDuration));
        Assert.Equal(["suite"], latency.Tags.Keys);
        Assert.Equal("metered", latency.Tags["suite"]);
        Assert.InRange(latency.Value, double.Epsilon, 10);
    }

    [Fact]
    public async Task Step_RefusedAction_NotCounted()
    {
        using var measurements = new Measurements(_harness.Metrics.Meter);
        await using var session = Session(new ToySuite("metered"));
        await session.ResetAsync(session.Suite, new ResetOptions { Seed = 1 }, "tester", CancellationToken.None);

        var refused = await session.StepAsync(Action("""{"type": "dance"}"""), CancellationToken.None);

        Assert.False(refused.Succeeded);
        Assert.Empty(measurements.Of(ChaosLabTelemetry.Metrics.Steps));
        Assert.Empty(measurements.Of(ChaosLabTelemetry.Metrics.StepDuration));
    }

    [Fact]
    public async Task Spans_SealedEpisode_ResetStepsAndGradeNameTheEpisodeAndNothingItHides()
    {
        const long Seed = 987_654_321;
        var episodeId = "traced-" + Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChaosLabTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Other tests' sessions run in parallel; only this episode's spans count here.
                if (activity.GetTagItem(ChaosLabTelemetry.Tags.EpisodeId) as string == episodeId)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var session = Session(new ToySuite("traced"));

        // T02's first peek is swapped by a fault: a decision the spans must not carry.
        await session.ResetAsync(session.Suite, new ResetOptions { ScenarioId = "T02", Seed = Seed, EpisodeId = episodeId, Mode = EpisodeMode.Sealed }, "tester", CancellationToken.None);
        await session.StepAsync(Action("""{"type": "call_tool", "tool_name": "peek", "arguments": {}}"""), CancellationToken.None);
        var submitted = await session.StepAsync(Action("""{"type": "submit_answer", "answer": "done"}"""), CancellationToken.None);

        Assert.True(submitted.Value!.Done);
        // A span stops before its parent: the grade inside the submission's step.
        Assert.Equal([ChaosLabTelemetry.Spans.Reset, ChaosLabTelemetry.Spans.Step, ChaosLabTelemetry.Spans.Grade, ChaosLabTelemetry.Spans.Step], spans.Select(s => s.OperationName));
        var (reset, peek, grade, submit) = (spans.ElementAt(0), spans.ElementAt(1), spans.ElementAt(2), spans.ElementAt(3));
        Assert.Equal(
            new Dictionary<string, string?> { ["chaoslab.episode_id"] = episodeId, ["chaoslab.suite"] = "traced", ["chaoslab.mode"] = "sealed", ["chaoslab.client_kind"] = "eval", ["chaoslab.tier"] = "hard" },
            Tags(reset));
        Assert.Equal(new Dictionary<string, string?> { ["chaoslab.episode_id"] = episodeId, ["chaoslab.suite"] = "traced", ["chaoslab.step"] = "1" }, Tags(peek));
        Assert.Equal(new Dictionary<string, string?> { ["chaoslab.episode_id"] = episodeId, ["chaoslab.suite"] = "traced", ["chaoslab.step"] = "2" }, Tags(submit));
        Assert.Equal(new Dictionary<string, string?> { ["chaoslab.episode_id"] = episodeId, ["chaoslab.suite"] = "traced", ["chaoslab.step"] = "2" }, Tags(grade));
        Assert.Equal(submit.SpanId, grade.ParentSpanId);
        Assert.All(spans, span => Assert.Empty(span.Events));
    }

    [Fact]
    public async Task Spans_RefusedReset_MarkedAsAnError()
    {
        var episodeId = "refused-" + Guid.NewGuid().ToString("N");
        Activity? reset = null;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChaosLabTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => reset = activity.GetTagItem(ChaosLabTelemetry.Tags.EpisodeId) as string == episodeId ? activity : reset,
        };
        ActivitySource.AddActivityListener(listener);
        await using var session = Session(new ToySuite("traced"));

        var result = await session.ResetAsync(session.Suite, new ResetOptions { ScenarioId = "T99", EpisodeId = episodeId }, "tester", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ActivityStatusCode.Error, reset!.Status);
        Assert.Equal("unknown scenario", reset.StatusDescription);
    }

    private RecordedSession Session(ToySuite suite) =>
        new(suite, "eval", _harness.Recorder, new EpisodeClaims(), TimeProvider.System, _harness.Metrics);

    private static JsonElement Action(string json) => JsonDocument.Parse(json).RootElement;

    private static Dictionary<string, string?> Tags(Activity activity) => activity.Tags.ToDictionary(t => t.Key, t => t.Value);

    /// <summary>Every measurement made on one meter (this test's host's), as it is made.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _made = new();

        public Measurements(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public IEnumerable<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            _made.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags));

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _made.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
    }
}

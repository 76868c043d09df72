using System.Diagnostics.Metrics;
using ChaosLab.Core;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Replicas;
using ChaosLab.Core.Telemetry;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Telemetry;

/// <summary>The gauges read state that is already in memory: the registry's counts, the recorder's queue, the last count of work items.</summary>
public sealed class ChaosLabGaugesTests : IAsyncLifetime, IDisposable
{
    private static readonly NewRun Draft = new("gauged", "agent", null, "h2", "{}", "cli");

    private readonly TempDirectory _directory = new();
    private ServiceProvider _services = null!;

    private RunStore Runs => _services.GetRequiredService<RunStore>();

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(TimeProvider.System).MigrateAsync(_directory.File("chaoslab.db"));
        _services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path, ReplicaId = "replica-7" }))
            .AddChaosLabPersistence()
            .AddChaosLabRecording()
            .BuildServiceProvider();
    }

    [Fact]
    public void Sessions_OpenAndCapacityOfThisReplica()
    {
        CreateGauges(new FixedSessions(3, 10));

        var observed = Observe();

        Assert.Equal([(3L, "replica-7")], observed[ChaosLabTelemetry.Metrics.SessionsOpen].Select(m => (m.Value, m.Tags[ChaosLabTelemetry.Tags.Replica])));
        Assert.Equal([(10L, "replica-7")], observed[ChaosLabTelemetry.Metrics.SessionsCapacity].Select(m => (m.Value, m.Tags[ChaosLabTelemetry.Tags.Replica])));
        Assert.Equal([0L], observed[ChaosLabTelemetry.Metrics.RecorderQueueDepth].Select(m => m.Value));
        Assert.Equal([0L], observed[ChaosLabTelemetry.Metrics.RecorderDropped].Select(m => m.Value));
    }

    [Fact]
    public async Task WorkItems_PendingAndRunningOfUnfinishedRuns_ByStatusAfterARefresh()
    {
        var playing = await Runs.CreateAsync(Draft, Plan(4));
        // Items are claimed only from a run that plays.
        Assert.True(await Runs.ResumeAsync(playing.Id));
        // One at a time (the run's concurrency is 1): item 2 played, then item 1 left running.
        Assert.True(await Runs.StartItemAsync(playing.Id, "tools/s/2/1", "ep-2"));
        Assert.True(await Runs.CompleteItemAsync(playing.Id, "tools/s/2/1", "ep-2", new ItemResult("correct", 1.0, true, 3, new Dictionary<string, int>())));
        Assert.True(await Runs.StartItemAsync(playing.Id, "tools/s/1/1", "ep-1"));
        // A cancelled run keeps its pending items, but nobody will play them.
        var cancelled = await Runs.CreateAsync(Draft, Plan(5));
        Assert.True(await Runs.EndAsync(cancelled.Id, RunStatus.Cancelled));
        var counts = _services.GetRequiredService<EvaluationWorkItemCounts>();
        CreateGauges(new FixedSessions(0, 1));

        Assert.Empty(Observe().GetValueOrDefault(ChaosLabTelemetry.Metrics.EvaluationWorkItems, []));
        await counts.RefreshAsync(CancellationToken.None);
        var workItems = Observe()[ChaosLabTelemetry.Metrics.EvaluationWorkItems];

        Assert.Equal(
            [("pending", 2L), ("leased", 1L)],
            workItems.Select(m => ((string)m.Tags[ChaosLabTelemetry.Tags.Status]!, m.Value)));
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    /// <summary>The gauges live on the meter from here on; the object itself holds nothing else.</summary>
    private void CreateGauges(ISessionCounts sessions) => _ = new ChaosLabGauges(
        _services.GetRequiredService<ChaosLabMetrics>(),
        _services.GetRequiredService<ReplicaIdentity>(),
        sessions,
        _services.GetRequiredService<EpisodeRecorder>(),
        _services.GetRequiredService<EvaluationWorkItemCounts>());

    /// <summary>One collection of the observable instruments of this test's meter, as a scrape does.</summary>
    private Dictionary<string, List<(long Value, Dictionary<string, object?> Tags)>> Observe()
    {
        var meter = _services.GetRequiredService<ChaosLabMetrics>().Meter;
        var observed = new Dictionary<string, List<(long, Dictionary<string, object?>)>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var list = observed.TryGetValue(instrument.Name, out var found) ? found : observed[instrument.Name] = [];
            list.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        }

        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }

    private static List<RunItemSpec> Plan(int seeds) =>
        [.. Enumerable.Range(1, seeds).Select(i => new RunItemSpec("tools", "t", "warmup", "s", i, 1))];

    private sealed class FixedSessions(int active, int max) : ISessionCounts
    {
        public int ActiveSessions => active;

        public int MaxSessions => max;
    }
}

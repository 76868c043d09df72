using System.Diagnostics.Metrics;
using static ChaosLab.Core.Telemetry.ChaosLabTelemetry;

namespace ChaosLab.Core.Telemetry;

/// <summary>
/// The "ChaosLab" meter and what the engine records on it as things happen: resets, steps and
/// their latency per suite, the recorder's batch writes. The gauges that read state when a
/// collector asks (<see cref="ChaosLabGauges"/>) are made on the same meter.
/// </summary>
public sealed class ChaosLabMetrics
{
    /// <summary>
    /// Seconds, from half a millisecond (a tool call on the episode clock) to ten seconds (a
    /// gauntlet submission graded in the sandbox); the default buckets start at 5 s.
    /// </summary>
    private static readonly IReadOnlyList<double> LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _resets;
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _storeWriteDuration;

    /// <param name="meterFactory">Scopes the meter to its host, so two hosts in one process (tests) keep their numbers apart.</param>
    public ChaosLabMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _resets = Meter.CreateCounter<long>(Metrics.Resets, "{episode}", "Episodes started (successful resets), by suite.");
        _steps = Meter.CreateCounter<long>(Metrics.Steps, "{step}", "Steps played, by suite; steps per second is its rate.");
        _stepDuration = Meter.CreateHistogram(Metrics.StepDuration, "s", "Time the engine took for a step, by suite (recording excluded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _storeWriteDuration = Meter.CreateHistogram(Metrics.StoreWriteDuration, "s", "Time of one write of a batch of records to the store, by outcome (ok, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    public Meter Meter { get; }

    public void EpisodeReset(string suite) => _resets.Add(1, new KeyValuePair<string, object?>(Tags.Suite, suite));

    public void StepPlayed(string suite, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(Tags.Suite, suite);
        _steps.Add(1, tag);
        _stepDuration.Record(duration.TotalSeconds, tag);
    }

    /// <param name="succeeded">False when the store refused or failed the write (the recorder retries it).</param>
    public void StoreWritten(TimeSpan duration, bool succeeded) =>
        _storeWriteDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(Tags.Outcome, succeeded ? "ok" : "error"));
}

using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// The adversarial input classes of the stream piece, each belonging to one requirement tier.
/// Names carry the <c>stream_</c> prefix so they stay unique across suites.
/// </summary>
public static class StreamFaultKinds
{
    public static FaultKind NanStorm { get; } = new("stream_nan_storm", FaultFamily.Data,
        "A run of readings whose value is NaN or an infinity.");

    public static FaultKind StringInjection { get; } = new("stream_string_injection", FaultFamily.Shape,
        "Readings whose value is a string: error codes, blanks, and numeric-looking text such as \"21.5\" or \"nan\".");

    public static FaultKind MalformedEvent { get; } = new("stream_malformed_event", FaultFamily.Shape,
        "Events with a missing, None or boolean field, a timestamp that is not a number, or that are not dicts at all.");

    public static FaultKind ClockDrift { get; } = new("stream_clock_drift", FaultFamily.Data,
        "A sensor's clock jumps hours to months ahead, so its readings carry timestamps in the future.");

    public static FaultKind LateEvent { get; } = new("stream_late_event", FaultFamily.Data,
        "Readings delivered after newer ones were already emitted.");

    public static FaultKind Reorder { get; } = new("stream_reorder", FaultFamily.Data,
        "A batch delivered out of timestamp order.");

    public static FaultKind FlatSegment { get; } = new("stream_flat_segment", FaultFamily.Data,
        "A sensor reports exactly the same value reading after reading (a stuck sensor or a setpoint).");

    public static FaultKind Spike { get; } = new("stream_spike", FaultFamily.Data,
        "Isolated heavy-tailed spikes and sentinel values far outside the sensor's level, some of them still physically plausible.");

    public static FaultKind MinorityPattern { get; } = new("stream_minority_pattern", FaultFamily.Data,
        "A sensor with a sustained second operating level holding 25-35% of its readings, far from its main level.");

    public static FaultKind Burst { get; } = new("stream_burst", FaultFamily.Transport,
        "A producer flushes its backlog: one batch of 700 to 1,000 events, far beyond the state's bound.");

    public static FaultKind SinkFlaky { get; } = new("stream_sink_flaky", FaultFamily.Transport,
        "The publish sink fails one or two attempts, then accepts the batch.");

    public static FaultKind SinkOutage { get; } = new("stream_sink_outage", FaultFamily.Transport,
        "The publish sink is down for every attempt of several consecutive calls.");

    public static IReadOnlyList<FaultKind> All { get; } =
    [
        NanStorm, StringInjection, MalformedEvent, ClockDrift, LateEvent, Reorder,
        FlatSegment, Spike, MinorityPattern,
        Burst, SinkFlaky, SinkOutage,
    ];

    /// <summary>The requirement tier whose checks a kind's inputs test.</summary>
    public static int TierOf(FaultKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind == FlatSegment || kind == Spike || kind == MinorityPattern ? 2
            : kind == Burst || kind == SinkFlaky || kind == SinkOutage ? 3
            : 1;
    }
}

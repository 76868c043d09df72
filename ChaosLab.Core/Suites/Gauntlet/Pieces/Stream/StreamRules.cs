namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// The constants of the stream piece's requirements (requirements.md spells each one out): the
/// generator keeps its ground truth clear of them by wide margins, the checks hold code to them.
/// </summary>
public static class StreamRules
{
    /// <summary>An event more than this many seconds ahead of <c>now()</c> comes from a drifted clock.</summary>
    public const double MaxClockSkewSeconds = 300;

    /// <summary>Accepted readings per sensor that the window (and its stats) keeps.</summary>
    public const int Window = 60;

    /// <summary>A reading further than this many robust deviations from its sensor's median is an outlier.</summary>
    public const double SpikeK = 6;

    /// <summary>Readings within this many robust deviations of an outlier count as its pattern.</summary>
    public const double PatternRadius = 3;

    /// <summary>An outlier whose pattern holds at least this share of the reference readings is kept.</summary>
    public const double PatternShare = 0.10;

    /// <summary>The bound on every container in the state, and on the pending queue (the original's <c>MAX_BUFFER</c>).</summary>
    public const int MaxBuffer = 240;

    /// <summary>The state's serialized size bound, so an unbounded buffer cannot hide inside a string.</summary>
    public const int MaxStateBytes = 64 * 1024;

    /// <summary>Publish attempts per call, the first included.</summary>
    public const int MaxPublishAttempts = 3;

    /// <summary>The shortest pause between two publish attempts the checks accept (the requirements ask for 0.5 s, then 1 s).</summary>
    public const double MinBackoffSeconds = 0.25;

    /// <summary>The most a call may sleep in all (the requirements' backoff sums to 1.5 s).</summary>
    public const double MaxSleepPerCallSeconds = 10;

    /// <summary>Relative tolerance of the stats' mean and std.</summary>
    public const double StatsTolerance = 1e-6;

    /// <summary>The telemetry fields and the drop reasons, as the requirements name them.</summary>
    public static IReadOnlyList<string> TelemetryCounts { get; } = ["received", "accepted", "published", "publish_attempts", "pending", "shed"];

    public static IReadOnlyList<string> DropReasons { get; } = ["invalid", "future", "late", "spike"];
}

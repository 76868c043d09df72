using System.Diagnostics;

namespace ChaosLab.Core.Telemetry;

/// <summary>
/// The names an operator's collector subscribes to: one meter and one activity source, both
/// "ChaosLab". Core only emits through <c>System.Diagnostics</c>; the host decides what listens
/// (the Prometheus endpoint, an OTLP exporter, a test's listener).
/// </summary>
public static class ChaosLabTelemetry
{
    public const string MeterName = "ChaosLab";
    public const string ActivitySourceName = "ChaosLab";

    /// <summary>Spans have no factory to scope them to a host, so the source is process-wide, as .NET's own are.</summary>
    internal static ActivitySource Source { get; } = new(ActivitySourceName);

    /// <summary>Metric names, in OpenTelemetry's dotted style (the Prometheus exporter writes them with underscores and unit suffixes).</summary>
    public static class Metrics
    {
        public const string SessionsOpen = "chaoslab.sessions.open";
        public const string SessionsCapacity = "chaoslab.sessions.capacity";
        public const string Resets = "chaoslab.resets";
        public const string Steps = "chaoslab.steps";
        public const string StepDuration = "chaoslab.step.duration";
        public const string RecorderQueueDepth = "chaoslab.recorder.queue.depth";
        public const string RecorderDropped = "chaoslab.recorder.dropped";
        public const string StoreWriteDuration = "chaoslab.store.write.duration";
        public const string EvaluationWorkItems = "chaoslab.evaluation.work_items";
    }

    /// <summary>Span names, one per thing an episode does.</summary>
    public static class Spans
    {
        public const string Reset = "chaoslab.reset";
        public const string Step = "chaoslab.step";
        public const string Grade = "chaoslab.grade";
    }

    /// <summary>
    /// Every tag key ChaosLab puts on a measurement or a span. Only what anyone may see of a running
    /// episode: never its seed, its fault decisions or its answer (see <see cref="Persistence.EpisodeDisclosure"/>).
    /// </summary>
    public static class Tags
    {
        public const string Replica = "replica";
        public const string Suite = "suite";
        public const string Outcome = "outcome";
        public const string Status = "status";
        public const string EpisodeId = "chaoslab.episode_id";
        public const string SpanSuite = "chaoslab.suite";
        public const string Tier = "chaoslab.tier";
        public const string Mode = "chaoslab.mode";
        public const string ClientKind = "chaoslab.client_kind";
        public const string Step = "chaoslab.step";
    }
}

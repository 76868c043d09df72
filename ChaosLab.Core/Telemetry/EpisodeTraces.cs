using System.Diagnostics;
using System.Globalization;
using ChaosLab.Core.Environment;
using static ChaosLab.Core.Telemetry.ChaosLabTelemetry;

namespace ChaosLab.Core.Telemetry;

/// <summary>
/// The spans around what an episode does. Their tags are what the episode's own observation
/// shows anyone (its id, suite, tier, mode, step): never the seed, a fault decision or the answer,
/// which would leak a sealed episode's truth to whoever reads the traces while it runs.
/// </summary>
public static class EpisodeTraces
{
    /// <returns>Null when nothing listens to <see cref="ChaosLabTelemetry.ActivitySourceName"/>.</returns>
    public static Activity? StartReset(string episodeId, string suite, EpisodeMode mode, string clientKind)
    {
        var activity = Source.StartActivity(Spans.Reset);
        activity?.SetTag(Tags.EpisodeId, episodeId)
            .SetTag(Tags.SpanSuite, suite)
            .SetTag(Tags.Mode, mode.Name())
            .SetTag(Tags.ClientKind, clientKind);
        return activity;
    }

    /// <summary>Adds what the suite chose at reset (the tier, when the client left it to the suite or a curriculum).</summary>
    public static void Started(Activity? reset, EpisodeInfo episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        reset?.SetTag(Tags.Tier, episode.Tier);
    }

    /// <summary>A step of the running episode; its index is added once the step is spent (<see cref="Played"/>).</summary>
    public static Activity? StartStep(EpisodeInfo episode) => Start(Spans.Step, episode);

    public static void Played(Activity? step, StepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        step?.SetTag(Tags.Step, Index(result.Record.Index));
    }

    /// <summary>The step that ends the episode with a grade: a submission, or the step that hits the limit.</summary>
    /// <param name="step">The step's index (the reset is step 0).</param>
    public static Activity? StartGrade(EpisodeInfo episode, int step) => Start(Spans.Grade, episode)?.SetTag(Tags.Step, Index(step));

    /// <summary>Marks a span whose request was refused or invalid, with what the client was told.</summary>
    public static void Failed<T>(Activity? activity, EnvironmentResult<T> result) =>
        activity?.SetStatus(ActivityStatusCode.Error, string.Join("; ", result.Errors.Select(e => e.Message)));

    private static Activity? Start(string name, EpisodeInfo episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return Source.StartActivity(name)?.SetTag(Tags.EpisodeId, episode.EpisodeId).SetTag(Tags.SpanSuite, episode.Suite);
    }

    private static string Index(int step) => step.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Model.Runs;

/// <summary>How the runs pages write numbers and times: invariant culture, UTC, a dash for "none yet".</summary>
public static class RunFormat
{
    public const string None = "–";

    public static string Score(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? None;

    /// <summary>A signed difference of scores, e.g. "+0.125".</summary>
    public static string Delta(double? value) => value?.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) ?? None;

    public static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : None;

    public static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? None;

    /// <summary>How long a run has taken: to its end, or to <paramref name="now"/> while it plays.</summary>
    public static string Duration(DateTimeOffset? started, DateTimeOffset? ended, DateTimeOffset now)
    {
        if (started is not { } start)
        {
            return None;
        }

        var span = (ended ?? now) - start;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds:00}s" : $"{span.Seconds}s";
    }

    /// <summary>Finished items of all, e.g. "3 / 12".</summary>
    public static string Progress(RunSummary run) => $"{run.Finished} / {run.Total}";

    /// <summary>Finished items as a percentage of all (0 for an empty run), for a progress bar.</summary>
    public static double ProgressPercent(RunSummary run) => run.Total == 0 ? 0 : 100.0 * run.Finished / run.Total;

    /// <summary>Successes of the items done, e.g. "4 / 6".</summary>
    public static string Successes(RunSummary run) => $"{run.Successes} / {run.Done}";

    /// <summary>The agent as people read it: the model behind a profile when known.</summary>
    public static string Agent(RunSummary run) => run.Model is { Length: > 0 } model && model != run.Agent ? $"{run.Agent} ({model})" : run.Agent;

    public static string RunHref(string runId) => "runs/" + Uri.EscapeDataString(runId);

    public static string EpisodeHref(string episodeId) => "episodes/" + Uri.EscapeDataString(episodeId);

    public static string CompareHref(string a, string b) => $"runs/compare?a={Uri.EscapeDataString(a)}&b={Uri.EscapeDataString(b)}";
}

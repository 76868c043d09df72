using System.Globalization;
using ChaosLab.Core.Evaluation;
using Spectre.Console;

namespace ChaosLab.Web.Cli;

/// <summary>A live progress bar per run while runs play (in this process, one after the other) or are followed on a server (all at once).</summary>
internal static class RunProgressDisplay
{
    /// <param name="runs">The runs as they stand before playing.</param>
    /// <param name="play">Plays or follows one run to its end, reporting its progress.</param>
    /// <param name="together">All runs at once (a server plays an ablation's variants side by side); otherwise in turn, stopping after a cancelled one.</param>
    /// <returns>The runs that ended, in order.</returns>
    public static async Task<IReadOnlyList<RunSummary>> PlayAsync(
        IAnsiConsole display,
        IReadOnlyList<RunSummary> runs,
        Func<string, IProgress<RunProgress>, Task<RunSummary>> play,
        bool together = false)
    {
        var summaries = new List<RunSummary>();
        await display.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = runs.Select(run =>
                {
                    var bar = context.AddTask(Describe(run), autoStart: false, maxValue: Math.Max(1, run.Total));
                    bar.Value = run.Finished;
                    return (run.Id, Bar: bar);
                }).ToList();

                if (together)
                {
                    summaries.AddRange(await Task.WhenAll(bars.Select(b => PlayOneAsync(b.Id, b.Bar, play))));
                    return;
                }

                foreach (var (id, bar) in bars)
                {
                    var summary = await PlayOneAsync(id, bar, play);
                    summaries.Add(summary);
                    if (summary.Status == RunStatus.Cancelled)
                    {
                        break;
                    }
                }
            });

        // Redirected to a file or a CI log, the display prints samples of the bars and not
        // necessarily the last: the final counts are written once more so a log ends on them.
        if (!display.Profile.Capabilities.Interactive)
        {
            foreach (var summary in summaries)
            {
                display.MarkupLine(Describe(summary));
            }
        }

        return summaries;
    }

    private static async Task<RunSummary> PlayOneAsync(string id, ProgressTask bar, Func<string, IProgress<RunProgress>, Task<RunSummary>> play)
    {
        bar.StartTask();
        var summary = await play(id, new BarProgress(bar));
        bar.Value = summary.Finished;
        bar.Description = Describe(summary);
        bar.StopTask();
        return summary;
    }

    private static string Describe(RunSummary run)
    {
        var mean = run.MeanScore is { } score ? score.ToString("0.000", CultureInfo.InvariantCulture) : "-";
        var errors = run.Errors > 0 ? $", [red]{run.Errors} errors[/]" : "";
        return $"{Markup.Escape(run.Variant ?? run.Name)} [grey]{run.Finished}/{run.Total}, mean {mean}{errors}[/]";
    }

    // Updates the bar on the reporting thread: Progress<T> would post to a thread-pool queue and
    // could draw an older count after a newer one.
    private sealed class BarProgress(ProgressTask bar) : IProgress<RunProgress>
    {
        public void Report(RunProgress value)
        {
            bar.Value = value.Run.Finished;
            bar.Description = Describe(value.Run);
        }
    }
}

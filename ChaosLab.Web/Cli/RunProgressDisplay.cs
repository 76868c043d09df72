using System.Globalization;
using ChaosLab.Core.Evaluation;
using Spectre.Console;

namespace ChaosLab.Web.Cli;

/// <summary>A live progress bar per run while runs play, one after the other.</summary>
internal static class RunProgressDisplay
{
    /// <param name="play">Plays one run, reporting its progress.</param>
    public static async Task<IReadOnlyList<RunSummary>> PlayAsync(
        IAnsiConsole display,
        IReadOnlyList<string> runIds,
        IServiceProvider services,
        Func<string, IProgress<RunProgress>, Task<RunSummary>> play)
    {
        var store = services.GetRequiredService<RunStore>();
        var summaries = new List<RunSummary>();
        await display.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new List<(string Id, ProgressTask Bar)>();
                foreach (var id in runIds)
                {
                    var run = (await store.FindAsync(id))!;
                    var bar = context.AddTask(Describe(run), autoStart: false, maxValue: Math.Max(1, run.Total));
                    bar.Value = run.Finished;
                    bars.Add((id, bar));
                }

                foreach (var (id, bar) in bars)
                {
                    bar.StartTask();
                    var summary = await play(id, new BarProgress(bar));
                    bar.Value = summary.Finished;
                    bar.Description = Describe(summary);
                    bar.StopTask();
                    summaries.Add(summary);
                    if (summary.Status == RunStatus.Cancelled)
                    {
                        break;
                    }
                }
            });
        return summaries;
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

using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Model.Runs;

/// <summary>One group of a run's items (a suite, a task, a tier): its scored items, their mean score and success rate.</summary>
/// <param name="Done">Items of the group that were scored; errors and unplayed items do not count.</param>
public sealed record RunGroup(string Label, int Total, int Done, double? MeanScore, double? SuccessRate);

/// <summary>Groups a run's items and draws the groups as bars: mean score beside success rate, both in [0, 1].</summary>
public static class RunBreakdown
{
    public const string ScoreSeries = "mean score";
    public const string SuccessSeries = "success rate";

    /// <summary>Groups in first-appearance order (the plan's order: suites, then tiers easiest first).</summary>
    public static IReadOnlyList<RunGroup> By(IEnumerable<RunItem> items, Func<RunItem, string> key)
    {
        ArgumentNullException.ThrowIfNull(items);
        return [.. items.GroupBy(key, StringComparer.Ordinal).Select(g =>
        {
            var done = g.Where(i => i.Status == RunItemStatus.Done).ToList();
            return new RunGroup(
                g.Key,
                g.Count(),
                done.Count,
                done.Count == 0 ? null : done.Average(i => i.Score ?? 0),
                done.Count == 0 ? null : done.Count(i => i.Success == true) / (double)done.Count);
        })];
    }

    /// <summary>The groups with a score as grouped bars; empty when nothing is scored yet.</summary>
    public static ChartFigure Figure(IReadOnlyList<RunGroup> groups, string axisTitle)
    {
        var scored = groups.Where(g => g.Done > 0).ToList();
        if (scored.Count == 0)
        {
            return ChartFigure.Empty;
        }

        IReadOnlyList<string> labels = [.. scored.Select(g => g.Label)];
        IReadOnlyList<string> counts = [.. scored.Select(g => $"{g.Done} scored")];
        return new ChartFigure(
            [
                new ChartTrace(ScoreSeries, labels, [.. scored.Select(g => g.MeanScore!.Value)], ChartTraceKind.Bar, Text: counts),
                new ChartTrace(SuccessSeries, labels, [.. scored.Select(g => g.SuccessRate!.Value)], ChartTraceKind.Bar, Text: counts),
            ],
            new ChartLayout(XAxisTitle: axisTitle, YAxisTitle: "score / success", BarMode: "group", YAxisMax: 1, XAxisIsCategory: true));
    }
}

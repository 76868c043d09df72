using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class AnalyticsResultTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
    private static readonly FaultPalette Palette = new(new SuiteCatalog([new ToolsSuite()]));

    [Fact]
    public void ScoreDistribution_AllScoresZero_FlatBoxMarkedByAPointAboveTheAxisFloor()
    {
        var result = AnalyticsResult.Compute([Summary("a1", "zero-bot", 0), Summary("a2", "zero-bot", 0), Summary("b1", "mixed-bot", 0), Summary("b2", "mixed-bot", 1)], [], Palette);

        var figure = result.ScoreDistribution;
        var points = Assert.Single(figure.Traces, t => t.Kind == ChartTraceKind.Points);
        Assert.Equal(["zero-bot"], points.X);
        Assert.Equal([0.0], points.Y);
        Assert.Equal(["all 2 scores 0"], points.Text);
        Assert.True(figure.Layout.YAxisMin < 0, "a box at 0 must not sit on the axis line");
        Assert.Equal([false, true], figure.Traces.Single(t => t.Kind == ChartTraceKind.Box).Boxes!.Select(b => b.IsFlat));
    }

    [Fact]
    public void ScoreDistribution_SpreadScores_NoExtraPoints()
    {
        var result = AnalyticsResult.Compute([Summary("a1", "bot", 0), Summary("a2", "bot", 1)], [], Palette);

        Assert.DoesNotContain(result.ScoreDistribution.Traces, t => t.Kind == ChartTraceKind.Points);
    }

    [Fact]
    public void FaultCharts_KindsColouredByThePalette_SameColourInBothCharts()
    {
        var episodes = new[] { Summary("a1", "bot", 1, "value_corruption", "conflicting_duplicate"), Summary("a2", "bot", 0, "conflicting_duplicate") };
        var faults = new[] { new FiredFault("a1", 1, "value_corruption"), new FiredFault("a1", 2, "conflicting_duplicate"), new FiredFault("a2", 1, "conflicting_duplicate") };

        var result = AnalyticsResult.Compute(episodes, faults, Palette);

        var expected = Palette.ColorsFor(["conflicting_duplicate", "value_corruption"]);
        Assert.NotEqual(expected[0], expected[1]);
        var recovery = Assert.Single(result.RecoveryRates.Traces);
        Assert.Equal(["conflicting_duplicate", "value_corruption"], recovery.X);
        Assert.Equal(expected, recovery.PointColors);
        Assert.Equal(expected, result.FaultsByStep.Traces.Select(t => t.Color));
    }

    private static EpisodeSummary Summary(string id, string agent, double score, params string[] faults) => new(
        id, "tools", "task1", "easy", "E01", 1, 1, agent, "ws", "practice", Epoch, Epoch, score >= 1 ? "correct" : "wrong", score, score >= 1, null, 3, 10, null, null, null, faults);
}

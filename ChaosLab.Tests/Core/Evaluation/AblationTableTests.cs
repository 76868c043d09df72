using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Statistics;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>The ablation table's numbers, checked against values computed by hand.</summary>
public sealed class AblationTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_TwoVariants_MeansIntervalsRatesAndDeltaAsComputedByHand()
    {
        var table = AblationTable.From("ab", [
            (Run("none", "none"), [Item(0.5, false, 3), Item(0.5, false, 3), Item(0.5, false, 3), Item(0.7, true, 3), Failed()]),
            (Run("all", "h2+h3+h4+h5"), [
                Item(0.6, false, 4, ("h2", 2)),
                Item(0.8, true, 6, ("h4", 4)),
                Item(0.7, false, 5, ("h2", 1)),
                Item(0.9, true, 5, ("h2", 1))]),
        ]);

        // Ordered as the variants are, whatever order the runs came in.
        Assert.Equal(["all", "none"], table.Rows.Select(r => r.Variant));
        var all = table.Rows[0];
        Assert.Equal((4, 0), (all.N, all.Errors));
        Assert.Equal(0.75, all.MeanScore!.Value, 9);
        // s = sqrt(0.05 / 3) = 0.1290994, t(0.975, 3) = 3.1824463, half width = 0.2054260.
        Assert.Equal(0.5445740, all.ScoreInterval!.Value.Lower, 6);
        Assert.Equal(0.9554260, all.ScoreInterval!.Value.Upper, 6);
        Assert.Equal(0.5, all.SuccessRate!.Value, 9);
        Assert.Equal(0.1500390, all.SuccessInterval!.Value.Lower, 6);
        Assert.Equal(0.8499610, all.SuccessInterval!.Value.Upper, 6);
        Assert.Equal((5.0, 1.0, 0.0, 1.0, 0.0), (all.MeanSteps!.Value, all.MeanInterventions["h2"], all.MeanInterventions["h3"], all.MeanInterventions["h4"], all.MeanInterventions["h5"]));
        Assert.Equal(0.0, all.DeltaVsAll!.Value, 9);

        var none = table.Rows[1];
        Assert.Equal((4, 1), (none.N, none.Errors));
        Assert.Equal(0.55, none.MeanScore!.Value, 9);
        Assert.Equal(-0.2, none.DeltaVsAll!.Value, 9);
        Assert.Equal(0.25, none.SuccessRate!.Value, 9);
    }

    [Fact]
    public void From_OneScoredItem_NoScoreIntervalButAWilsonInterval()
    {
        var row = AblationTable.From("ab", [(Run("all", "h2+h3+h4+h5"), [Item(1.0, true, 2)])]).Rows.Single();

        Assert.Null(row.ScoreInterval);
        Assert.Equal((0.2065, 1.0), (Math.Round(row.SuccessInterval!.Value.Lower, 4), row.SuccessInterval!.Value.Upper));
    }

    [Fact]
    public void Wilson_Extremes_StayInsideZeroAndOne()
    {
        Assert.Equal(0.0, Wilson.Interval95(0, 4)!.Value.Lower);
        Assert.Equal(0.4898908, Wilson.Interval95(0, 4)!.Value.Upper, 6);
        Assert.Equal(0.4385030, Wilson.Interval95(3, 3)!.Value.Lower, 6);
        Assert.Null(Wilson.Interval95(0, 0));
    }

    [Fact]
    public void ToMarkdownAndJson_RowsWithIntervalsDeltaAndLayers()
    {
        var table = AblationTable.From("ab", [
            (Run("all", "h2+h3+h4+h5"), [Item(0.6, false, 4, ("h2", 2)), Item(0.8, true, 6), Item(0.7, false, 5), Item(0.9, true, 5)]),
            (Run("-h2", "h3+h4+h5"), [Item(0.5, false, 4), Item(0.5, false, 4)]),
        ]);

        var markdown = table.ToMarkdown();
        Assert.Contains("| all | h2+h3+h4+h5 | 4 | 0 | 0.750 [0.545, 0.955] | 0.000 | 50.0% [15.0, 85.0] | 5.0 | 0.50 | 0.00 | 0.00 | 0.00 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| -h2 | h3+h4+h5 | 2 | 0 | 0.500 [0.500, 0.500] | -0.250 |", markdown, StringComparison.Ordinal);
        var json = table.ToJson();
        Assert.Equal(-0.25, (double)json["rows"]![1]!["delta_vs_all"]!, 9);
        Assert.Equal(0.544574, (double)json["rows"]![0]!["mean_score_ci95"]![0]!, 6);
        Assert.Equal(0.5, (double)json["rows"]![0]!["mean_interventions"]!["h2"]!, 9);
    }

    private static RunSummary Run(string variant, string harness) =>
        new(variant + "-run", "ablate", $"p [{harness}]", "m", harness, "ab", variant, "cli", RunStatus.Completed, Now, Now, Now, null, 0, 0, 0, 0, 0, 0, null);

    private static RunItem Item(double score, bool success, int steps, params (string Layer, int Count)[] interventions) =>
        new("r", Guid.NewGuid().ToString("N"), 0, "tools", "task1", "warmup", "W01", 1, 1, RunItemStatus.Done, 1, "e", success ? "correct" : "wrong", score, success, steps,
            interventions.ToDictionary(i => i.Layer, i => i.Count), null, Now, Now, null);

    private static RunItem Failed() =>
        new("r", Guid.NewGuid().ToString("N"), 0, "tools", "task1", "warmup", "W01", 1, 1, RunItemStatus.Error, 1, "e", null, null, null, null, new Dictionary<string, int>(), "endpoint down", Now, Now, null);
}

using ChaosLab.Core.Persistence;
using ChaosLab.Core.Statistics;
using ChaosLab.Web.Model.Statistics;

namespace ChaosLab.Tests.Web.Model.Statistics;

public sealed class StatisticsTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Within_TwoScoresFarApart_IntervalCutToTheScoreRange()
    {
        // Mean 0.5, s = 0.7071, t(1) = 12.706: the raw interval is about -5.85..6.85.
        var interval = MeanInterval.FromValues([0.0, 1.0])!.Within(0, 1);

        Assert.Equal(0.5, interval.Mean, 12);
        Assert.Equal(0.0, interval.Lower);
        Assert.Equal(1.0, interval.Upper);
    }

    [Fact]
    public void Within_SingleValue_StaysWithoutInterval()
    {
        var interval = MeanInterval.FromValues([0.4])!.Within(0, 1);

        Assert.Null(interval.Lower);
        Assert.Null(interval.Upper);
    }

    [Fact]
    public void MeanInterval_FourValues_StudentTWithThreeDegreesOfFreedom()
    {
        // mean 2.5, s² = 5/3, se = sqrt(5/3)/2 = 0.645497, t(0.975, 3) = 3.182446 → half-width 2.054260
        var interval = MeanInterval.FromValues([1, 2, 3, 4])!;

        Assert.Equal(4, interval.Count);
        Assert.Equal(2.5, interval.Mean, 12);
        Assert.Equal(0.445740, interval.Lower!.Value, 5);
        Assert.Equal(4.554260, interval.Upper!.Value, 5);
    }

    [Fact]
    public void MeanInterval_FromSums_SameAsFromValues()
    {
        var fromSums = MeanInterval.FromSums(4, 10, 30)!;
        var fromValues = MeanInterval.FromValues([1, 2, 3, 4])!;

        Assert.Equal(fromValues.Lower!.Value, fromSums.Lower!.Value, 12);
        Assert.Equal(fromValues.Upper!.Value, fromSums.Upper!.Value, 12);
    }

    [Fact]
    public void MeanInterval_OneValue_MeanWithoutInterval()
    {
        var interval = MeanInterval.FromValues([0.75])!;

        Assert.Equal((1, 0.75), (interval.Count, interval.Mean));
        Assert.Null(interval.Lower);
        Assert.Null(interval.Upper);
        Assert.Null(interval.HalfWidth);
    }

    [Fact]
    public void MeanInterval_NoValues_Null() => Assert.Null(MeanInterval.FromValues([]));

    [Fact]
    public void MeanInterval_IdenticalValues_ZeroWidthNotNaN()
    {
        // 0.1 * 3 has rounding error; the variance must not come out negative.
        var interval = MeanInterval.FromValues([0.1, 0.1, 0.1])!;

        Assert.Equal(0.1, interval.Lower!.Value, 12);
        Assert.Equal(0.1, interval.Upper!.Value, 12);
    }

    [Theory]
    [InlineData(1, 12.706205)]
    [InlineData(2, 4.302653)]
    [InlineData(30, 2.042272)]
    [InlineData(40, 2.021075)]
    [InlineData(120, 1.979930)]
    [InlineData(100_000, 1.959988)]
    public void StudentT_Quantile975_MatchesTables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile975(degreesOfFreedom), 5);

    [Fact]
    public void BoxSummary_WithOutlier_WhiskersStopAtOnePointFiveIqr()
    {
        // Sorted 1 2 3 4 100: Q1 = 2, median = 3, Q3 = 4, IQR = 2, fences -1 and 7.
        var box = BoxSummary.From([4, 100, 1, 3, 2])!;

        Assert.Equal((5, 1.0, 1.0, 2.0, 3.0, 4.0, 4.0, 100.0, 22.0),
            (box.Count, box.Min, box.LowerWhisker, box.Q1, box.Median, box.Q3, box.UpperWhisker, box.Max, box.Mean));
    }

    [Fact]
    public void Quantile_BetweenOrderStatistics_Interpolates() =>
        Assert.Equal(1.75, BoxSummary.Quantile([1, 2, 3, 4], 0.25), 12);

    [Fact]
    public void Histogram_Scores_PerfectScoreInTopBin()
    {
        var histogram = Histogram.OfScores([0, 0.05, 0.1, 0.95, 1.0]);

        Assert.Equal([2, 1, 0, 0, 0, 0, 0, 0, 0, 2], histogram.Counts);
        Assert.Equal("0–0.1", histogram.Labels[0]);
        Assert.Equal("0.9–1", histogram.Labels[9]);
    }

    [Fact]
    public void Histogram_Integers_OneBinPerValueInRange()
    {
        var histogram = Histogram.OfIntegers([3, 5, 5, 6]);

        Assert.Equal(["3", "4", "5", "6"], histogram.Labels);
        Assert.Equal([1, 0, 2, 1], histogram.Counts);
    }

    [Fact]
    public void RecoveryRate_EpisodesWithFaults_ShareStillCorrectPerKind()
    {
        EpisodeSummary[] episodes =
        [
            Summary("a", "correct", ["rate_limit", "timeout"]),
            Summary("b", "wrong", ["timeout"]),
            Summary("c", "correct", []),
            Summary("d", "partial", ["timeout"]),
        ];

        var rates = RecoveryRate.Compute(episodes);

        Assert.Equal([("rate_limit", 1, 1, 1.0), ("timeout", 3, 1, 1.0 / 3)], rates.Select(r => (r.Kind, r.Fired, r.Recovered, r.Rate)));
    }

    [Fact]
    public void FaultTimeline_FiredFaults_CountedPerKindAndStep()
    {
        var timeline = FaultTimeline.Compute([new("e1", 1, "timeout"), new("e1", 3, "timeout"), new("e2", 1, "rate_limit"), new("e2", 3, "timeout")]);

        Assert.Equal([1, 2, 3], timeline.StepIndices);
        Assert.Equal(["rate_limit", "timeout"], timeline.Counts.Keys);
        Assert.Equal([1, 0, 0], timeline.Counts["rate_limit"]);
        Assert.Equal([1, 0, 2], timeline.Counts["timeout"]);
    }

    [Fact]
    public void PairedComparison_SharedSeeds_DeltasWinsLossesTiesAndPairedInterval()
    {
        ComparedEpisode[] episodes =
        [
            Played("a1", "alpha", "E01", 1, 0.5),
            Played("b1", "beta", "E01", 1, 1.0),
            Played("a2", "alpha", "E01", 2, 1.0),
            Played("b2", "beta", "E01", 2, 0.5),
            Played("b2b", "beta", "E01", 2, 1.0, minutes: 5),
            Played("a3", "alpha", "E02", 1, 0.0),
            Played("b3", "beta", "E02", 1, 0.0),
            Played("a4", "alpha", "E03", 9, 1.0),
        ];

        var comparison = PairedComparison.Compute("alpha", "beta", episodes);

        // Deltas b − a: +0.5, 0.75 − 1.0 = −0.25, 0; E03 was played by alpha only.
        Assert.Equal(3, comparison.Pairs.Count);
        Assert.Equal((1, 1, 1), (comparison.Wins, comparison.Losses, comparison.Ties));
        Assert.Equal(0.25 / 3, comparison.Delta!.Mean, 12);
        // s² = 0.145833, se = 0.220479, t(0.975, 2) = 4.302653 → half-width 0.948646; the upper end is cut to +1.
        Assert.Equal((0.25 / 3) - 0.948646, comparison.Delta.Lower!.Value, 5);
        Assert.Equal(1.0, comparison.Delta.Upper);
        var second = comparison.Pairs.Single(p => p.Seed == 2);
        Assert.Equal((1, 2, 1.0, 0.75, "b2b"), (second.CountA, second.CountB, second.MeanA, second.MeanB, second.LatestB.Id));
        Assert.Equal([("E01", 2, 0.125), ("E02", 1, 0.0)], comparison.Scenarios.Select(s => (s.ScenarioId, s.Pairs, Math.Round(s.Delta.Mean, 12))));
        // Largest difference first; the tie is not a difference.
        Assert.Equal([0.5, -0.25, 0.0], comparison.Pairs.Select(p => p.Delta));
        Assert.Equal([true, true, false], comparison.Pairs.Select(p => p.Differs));
    }

    [Fact]
    public void PairedComparison_TwoSeedsFarApart_IntervalsCutToTheRangeOfADifference()
    {
        // Deltas +1 and 0: mean 0.5, s = 0.7071, t(1) = 12.706 → raw interval about -5.85..+6.85.
        var comparison = PairedComparison.Compute("alpha", "beta",
        [
            Played("a1", "alpha", "E01", 1, 0.0), Played("b1", "beta", "E01", 1, 1.0),
            Played("a2", "alpha", "E01", 2, 1.0), Played("b2", "beta", "E01", 2, 1.0),
        ]);

        Assert.Equal((0.5, -1.0, 1.0), (comparison.Delta!.Mean, comparison.Delta.Lower, comparison.Delta.Upper));
        var scenario = Assert.Single(comparison.Scenarios);
        Assert.Equal((0.5, -1.0, 1.0), (scenario.Delta.Mean, scenario.Delta.Lower, scenario.Delta.Upper));
    }

    [Fact]
    public void PairedComparison_NoSharedSeeds_EmptyWithoutInterval()
    {
        var comparison = PairedComparison.Compute("alpha", "beta", [Played("a1", "alpha", "E01", 1, 1), Played("b1", "beta", "E01", 2, 1)]);

        Assert.Empty(comparison.Pairs);
        Assert.Null(comparison.Delta);
    }

    private static EpisodeSummary Summary(string id, string outcome, string[] faults) => new(
        id, "tools", "task1", "easy", "E01", 1, 1, "naive", "ws", "practice", Epoch, Epoch, outcome, outcome == "correct" ? 1 : 0, outcome == "correct", null, 3, 10, null, null, null, faults);

    private static ComparedEpisode Played(string id, string agent, string scenario, long seed, double score, int minutes = 0) =>
        new(id, agent, "tools", "task1", "easy", scenario, seed, score, score >= 1 ? "correct" : "wrong", 3, Epoch.AddMinutes(minutes));
}

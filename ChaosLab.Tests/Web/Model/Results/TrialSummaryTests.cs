using System.Text.Json.Nodes;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class TrialSummaryTests
{
    [Fact]
    public void Read_FullSummary_CountsLatenciesAndErrorsMostFrequentFirst()
    {
        var summary = TrialSummary.Read(JsonNode.Parse(StepResultFixtures.TrialSummary))!;

        Assert.Equal((10, 6, 4, 3100.0, 9800.0, 8000.0), (summary.Runs, summary.Passed, summary.Failed, summary.P50Ms, summary.P95Ms, summary.SloMs));
        Assert.Equal(0.6, summary.PassRate, 10);
        Assert.False(summary.WithinSlo);
        Assert.Equal(
            [new TrialError("writer-1 failed: input unreadable", 3), new TrialError("final output was not verified", 1)],
            summary.Errors);
    }

    [Theory]
    [InlineData("""{"runs": 10, "passed": 7}""", 10, 7, 3)]
    [InlineData("""{"runs": 10, "failed": 2}""", 10, 8, 2)]
    [InlineData("""{"passed": 3, "failed": 1}""", 4, 3, 1)]
    [InlineData("""{"runs": 0, "passed": 0, "failed": 0}""", 0, 0, 0)]
    public void Read_TwoCountsOfThree_TheThirdDerived(string json, int runs, int passed, int failed)
    {
        var summary = TrialSummary.Read(JsonNode.Parse(json))!;

        Assert.Equal((runs, passed, failed), (summary.Runs, summary.Passed, summary.Failed));
        Assert.Null(summary.WithinSlo);
        Assert.Empty(summary.Errors);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"runs": 10}""")]
    [InlineData("""{"runs": 10, "passed": 6, "failed": 3}""")]
    [InlineData("""{"runs": 5, "passed": 6}""")]
    [InlineData("""{"runs": -1, "passed": 0, "failed": 0}""")]
    [InlineData("""{"runs": "10", "passed": 6, "failed": 4}""")]
    [InlineData("""{"runs": 2.5, "passed": 1, "failed": 1}""")]
    public void Read_CountsMissingOrInconsistent_Null(string json) => Assert.Null(TrialSummary.Read(JsonNode.Parse(json)));

    [Fact]
    public void Read_MalformedOptionalParts_LeftOutNotFatal()
    {
        const string Json = """
            {"runs": 4, "passed": 4, "failed": 0, "latency_ms": {"p50": "fast", "p95": -3}, "slo_ms": 1200,
             "errors": [{"reason": "timeout"}, {"reason": "", "count": 2}, {"count": 3}, "boom", {"reason": "zero", "count": 0}]}
            """;

        var summary = TrialSummary.Read(JsonNode.Parse(Json))!;

        Assert.Equal(((double?)null, (double?)null, 1200.0, (bool?)null), (summary.P50Ms, summary.P95Ms, summary.SloMs, summary.WithinSlo));
        // A reason without a count stands for one run.
        Assert.Equal([new TrialError("timeout", 1)], summary.Errors);
    }

    [Fact]
    public void WithinSlo_P95AtTheObjective_True() =>
        Assert.True(TrialSummary.Read(JsonNode.Parse("""{"runs": 1, "passed": 1, "latency_ms": {"p95": 800}, "slo_ms": 800}"""))!.WithinSlo);
}

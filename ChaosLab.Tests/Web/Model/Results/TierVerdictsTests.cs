using System.Text.Json.Nodes;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class TierVerdictsTests
{
    [Fact]
    public void Read_HiddenCases_TiersInOrderWithCreditAndVerdict()
    {
        var verdicts = Read(StepResultFixtures.TierVerdictsJson);

        Assert.Equal(("hidden cases", (double?)0.42, (string?)null, 0), (verdicts.Scope, verdicts.Score, verdicts.Failure, verdicts.Skipped));
        Assert.Equal(
            [
                new TierVerdict(1, "data integrity", true, 4, 3, 0.75, "tier 1: a string reading reached the output at index 14 ('ERR' from sensor p-2, call 2)"),
                new TierVerdict(2, "statistical stability", true, 4, 0, 0, "tier 2: call 2 raised ZeroDivisionError: float division by zero (line 7)"),
                new TierVerdict(3, "resilience", false, 0, 0, null, null),
            ],
            verdicts.Tiers);
        Assert.Equal(["partial", "failed", "ungraded"], verdicts.Tiers.Select(t => t.Verdict));
    }

    [Fact]
    public void Read_Cases_FailedFirstEachWithItsChecksFailedFirstThenByTier()
    {
        var verdicts = Read(StepResultFixtures.TierVerdictsJson);

        Assert.Equal(["h2", "h3", "h1"], verdicts.Cases.Select(c => c.Id));
        Assert.Equal(1, verdicts.PassedCases);
        var h2 = verdicts.Cases[0];
        Assert.Equal(("4 calls, 60 events: strings on p-2, a flat segment on p-3", "debug: 14 readings\n", 2), (h2.Summary, h2.Stdout, h2.FailedChecks));
        Assert.Equal(["numeric_output", "flat_segment", "finite_output"], h2.Checks.Select(c => c.Check));
        var numeric = h2.Checks[0];
        Assert.Equal((1, false), (numeric.Tier, numeric.Passed));
        Assert.StartsWith("tier 1: a string reading reached the output at index 14", numeric.Message, StringComparison.Ordinal);
        // Evidence as indented JSON, the offending event as the suite wrote it.
        Assert.Contains("\n  \"index\": 14,", numeric.Evidence!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"value\": \"ERR\"", numeric.Evidence, StringComparison.Ordinal);
        Assert.Null(h2.Checks[2].Evidence);
        // An empty print is no output.
        Assert.Null(verdicts.Cases[2].Stdout);
    }

    [Fact]
    public void Read_CreditMissing_DerivedFromTheCounts()
    {
        var verdicts = Read("""
            {"tiers": [{"tier": 1, "cases": 8, "passed": 2}, {"tier": 2, "graded": true, "credit": 1.5, "cases": 4, "passed": 4}, {"tier": 3}, {"tier": 4, "first_failure": "x"}]}
            """);

        Assert.Equal([0.25, 1.0, null, null], verdicts.Tiers.Select(t => t.Credit));
        Assert.Equal(["tier 1", "tier 2"], verdicts.Tiers.Take(2).Select(t => t.Name));
        // Neither credit nor counts: a failure says it failed, silence says nothing.
        Assert.Equal(["partial", "passed", "unknown", "failed"], verdicts.Tiers.Select(t => t.Verdict));
        Assert.Empty(verdicts.Cases);
    }

    [Fact]
    public void Read_CasePassFlagMissing_DerivedFromItsChecks()
    {
        var verdicts = Read("""
            {"cases": [
              {"case": "a", "checks": [{"check": "x", "passed": true}]},
              {"case": 7, "checks": [{"check": "x", "passed": true}, {"check": "y", "passed": false}]}
            ]}
            """);

        Assert.Equal([("7", false), ("a", true)], verdicts.Cases.Select(c => (c.Id, c.Passed)));
    }

    [Fact]
    public void Read_MalformedEntries_SkippedAndCounted()
    {
        var verdicts = Read("""
            {"score": 4, "scope": 1, "failure": "",
             "tiers": [{"tier": 0}, {"tier": "1"}, "tier 2", {"tier": 2, "cases": 2, "passed": 3}, {"tier": 3, "cases": -1}, {"tier": 1, "name": "data integrity", "cases": 2, "passed": 1}],
             "cases": [
               {"summary": "no id", "passed": true},
               {"case": "", "passed": true},
               {"case": "c1"},
               {"case": "c2", "checks": [{"check": "", "passed": true}, {"check": "x"}, {"check": "y", "passed": "no"}, 3]},
               {"case": "c3", "passed": false, "checks": [{"check": "z", "passed": false, "tier": "one", "message": 5, "evidence": "raw text"}, null]},
               null
             ]}
            """);

        Assert.Equal(((double?)null, (string?)null, (string?)null), (verdicts.Score, verdicts.Scope, verdicts.Failure));
        Assert.Equal([1], verdicts.Tiers.Select(t => t.Tier));
        var only = Assert.Single(verdicts.Cases);
        Assert.Equal(("c3", 1), (only.Id, only.Skipped));
        Assert.Equal(new CheckVerdict(null, "z", false, null, "raw text"), Assert.Single(only.Checks));
        // 5 tiers; 5 cases: no id, empty id, c1 (no pass flag, no checks), c2 (no pass flag, only unreadable checks), null; c3's null check.
        Assert.Equal(5 + 5 + 1, verdicts.Skipped);
    }

    [Fact]
    public void Read_NothingCouldBeChecked_FailureWithTheTiers()
    {
        var verdicts = Read("""{"scope": "hidden cases", "score": 0, "failure": "the code does not compile: invalid syntax (line 3)", "tiers": [{"tier": 1, "name": "data integrity", "cases": 8, "passed": 0, "credit": 0}], "cases": []}""");

        Assert.Equal("the code does not compile: invalid syntax (line 3)", verdicts.Failure);
        Assert.Equal(0, verdicts.Score);
        Assert.Equal("failed", Assert.Single(verdicts.Tiers).Verdict);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"score": 0.5, "failure": "no tiers"}""")]
    [InlineData("""{"tiers": {"1": {}}, "cases": "none"}""")]
    public void Read_NoTiersOrCasesArray_Null(string json) => Assert.Null(TierVerdicts.Read(JsonNode.Parse(json)));

    private static TierVerdicts Read(string json) => TierVerdicts.Read(JsonNode.Parse(json))!;
}

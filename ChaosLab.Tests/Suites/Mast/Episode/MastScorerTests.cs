using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>The score as a pure function of held-out passes, the truth, the diagnoses and the changed settings.</summary>
public sealed class MastScorerTests
{
    private static readonly TrueFault Spec = new("FM-1.1", "writer-2");
    private static readonly TrueFault Drift = new("FM-1.2", "researcher-1");

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(14)]
    [InlineData(19)]
    [InlineData(20)]
    public void Score_DefaultsNoDiagnosis_ExactlyZeroWhateverTheFaultRate(int passedWithDefaults)
    {
        var score = MastScorer.Score(Inputs(passedWithDefaults, passedWithDefaults));

        Assert.Equal((0.0, 0.0), (score.Value, score.Hardening));
    }

    [Fact]
    public void Score_AllFailuresRemovedRightDiagnosisNothingUnneeded_One()
    {
        var score = MastScorer.Score(Inputs(20, 4, diagnoses: [new("FM-1.1", "writer-2")]));

        Assert.Equal((1.0, 1.0, 1.0, 0.0), (score.Value, score.Hardening, score.Diagnosis, score.Penalty));
    }

    [Theory]
    [InlineData(15, 10, 0.5, 0.35)]
    [InlineData(10, 10, 0, 0)]
    [InlineData(5, 10, 0, 0)]
    [InlineData(18, 0, 0.9, 0.63)]
    public void Score_Hardening_ShareOfTheDefaultsFailuresRemoved(int passed, int passedWithDefaults, double hardening, double expected)
    {
        var score = MastScorer.Score(Inputs(passed, passedWithDefaults));

        Assert.Equal(hardening, score.Hardening, 10);
        Assert.Equal(expected, score.Value, 10);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(17)]
    public void Score_DefaultsAlreadyPassEverything_NothingToHardenSoOnlyTheDiagnosisCounts(int passed)
    {
        var score = MastScorer.Score(Inputs(passed, 20, diagnoses: [new("FM-1.1", "writer-2")]));

        Assert.Equal((0.0, 0.3), (score.Hardening, score.Value));
    }

    [Theory]
    [InlineData("FM-1.1", "writer-2", 1.0)]
    [InlineData("fm-1.1", "WRITER-2", 1.0)]
    [InlineData("FM-1.1", "planner-1", 0.6)]
    [InlineData("FM-1.2", "writer-2", 0.4)]
    [InlineData(null, "writer-2", 0.4)]
    [InlineData("FM-3.3", null, 0)]
    public void Score_Diagnosis_CodeWorthPointSixAgentPointFour(string? code, string? component, double diagnosis)
    {
        var score = MastScorer.Score(Inputs(4, 4, diagnoses: [new(code, component)]));

        Assert.Equal(diagnosis, score.Diagnosis, 10);
        Assert.Equal(Math.Round(0.3 * diagnosis, 4), score.Value, 10);
    }

    [Fact]
    public void Score_TwoTrueFaultsOneFound_HalfTheDiagnosisCredit()
    {
        var score = MastScorer.Score(Inputs(4, 4, truth: [Spec, Drift], diagnoses: [new("FM-1.2", "researcher-1")]));

        Assert.Equal(0.5, score.Diagnosis, 10);
    }

    [Fact]
    public void Score_MoreDiagnosesThanTrueFaults_CreditScaledByTrueOverGiven()
    {
        var score = MastScorer.Score(Inputs(4, 4, diagnoses: [new("FM-1.1", "writer-2"), new("FM-1.2", "writer-2"), new("FM-1.3", "researcher-1")]));

        Assert.Equal(1.0 / 3, score.Spread, 10);
        Assert.Equal(1.0 / 3, score.Diagnosis, 10);
    }

    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(3, 0.15)]
    [InlineData(6, 0.3)]
    [InlineData(9, 0.3)]
    public void Score_UnneededSettings_FiveHundredthsEachCappedAtThreeTenths(int unneeded, double penalty)
    {
        string[] fields = ["retry_max", "timeout_ms", "consistency_check", "format_translator", "min_review_depth", "action_validation", "repetition_guard", "role_specs/planner-1", "role_specs/reviewer-3"];
        var score = MastScorer.Score(Inputs(20, 4, unneeded: [.. fields.Take(unneeded)]));

        Assert.Equal(penalty, score.Penalty, 10);
        Assert.Equal(unneeded, score.Unneeded.Count);
        Assert.Equal(Math.Round(0.7 - penalty, 4), score.Value, 10);
    }

    [Fact]
    public void Score_PenaltyAboveTheEarnings_ClampedAtZero()
    {
        var score = MastScorer.Score(Inputs(4, 4, unneeded: ["retry_max", "timeout_ms", "consistency_check"]));

        Assert.Equal(0, score.Value);
    }

    [Fact]
    public void Score_Fractions_RoundedToFourDecimals()
    {
        var score = MastScorer.Score(Inputs(11, 3, truth: [Spec, Drift, new("FM-3.2", "reviewer-4")], diagnoses: [new("FM-1.1", null)]));

        Assert.Equal(Math.Round(score.Value, 4), score.Value);
        Assert.Equal(Math.Round((0.7 * (8.0 / 17)) + (0.3 * 0.2), 4), score.Value, 10);
    }

    [Fact]
    public void Grade_Criteria_HardeningTextCarriesBothSuccessRatesAndTheCreditsAddUp()
    {
        var inputs = Inputs(16, 4, diagnoses: [new("FM-1.1", "planner-1")], unneeded: ["retry_max"]);
        var score = MastScorer.Score(inputs);

        var grade = MastScorer.Grade(inputs, score, new JsonObject { ["reference_fix"] = new JsonObject() });

        Assert.Equal(["hardening", "diagnosis_mode", "diagnosis_component", "unneeded_settings"], grade.Criteria.Select(c => c.Name));
        var hardening = grade.Criteria[0];
        Assert.Contains("S = 0.8 (16/20)", hardening.Observed, StringComparison.Ordinal);
        Assert.Contains("S0 = 0.2 (4/20)", hardening.Observed, StringComparison.Ordinal);
        Assert.Equal(("correct", "wrong"), (grade.Criteria[1].Verdict, grade.Criteria[2].Verdict));
        Assert.Equal("retry_max", grade.Criteria[3].Observed);
        Assert.Equal(score.Value, Math.Round(grade.Criteria.Sum(c => c.Credit) - score.Penalty, 4), 10);
        Assert.Equal(score.Value, grade.Score);
        Assert.Equal("partial", grade.Outcome);
        Assert.False(grade.Success);
    }

    [Fact]
    public void StepLimit_NoSubmission_ZeroWithTheAnswerKey()
    {
        var grade = MastScorer.StepLimit(new JsonObject { ["faults"] = new JsonArray() });

        Assert.Equal((0.0, "step_limit", false), (grade.Score, grade.Outcome, grade.Success));
        Assert.NotNull(grade.AnswerKey!["faults"]);
    }

    private static MastScoreInputs Inputs(
        int passed,
        int passedWithDefaults,
        IReadOnlyList<TrueFault>? truth = null,
        IReadOnlyList<DiagnosisClaim>? diagnoses = null,
        IReadOnlyList<string>? unneeded = null) =>
        new(20, passed, passedWithDefaults, truth ?? [Spec], diagnoses ?? [], unneeded ?? []);
}

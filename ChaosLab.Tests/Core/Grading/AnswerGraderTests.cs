using System.Text.Json.Nodes;
using ChaosLab.Core.Grading;

namespace ChaosLab.Tests.Core.Grading;

public sealed class AnswerGraderTests
{
    [Theory]
    [InlineData("The population of Veloria is 12.3 million.")]
    [InlineData("About 12,300,000 people (as of 2025).")]
    [InlineData("12.3 million (12,300,000)")]
    [InlineData("In March 2024 the population was 12.25M.")]
    [InlineData("population: 12.3 million")]
    [InlineData("Population = 12,300,000")]
    [InlineData("**Population:** 12.3M")]
    [InlineData("{\"population\": 12300000}")]
    [InlineData("{\"population\": \"12.3 million\"}")]
    [InlineData("Here you go:\n```json\n{\"population\": 12300000}\n```\nBased on two sources.")]
    [InlineData("{\"answer\": {\"population\": 12.3e6}}")]
    [InlineData("{\"answer\": \"The population is 12.3 million\", \"confidence\": 0.9}")]
    [InlineData("What is the population of Veloria? It is 12.3 million.")]
    public void Grade_PopulationInAnyForm_IsCorrect(string answer)
    {
        var grade = AnswerGrader.Grade(GradingKeys.Population, answer);

        Assert.Equal(1.0, grade.Correctness);
        Assert.Equal("correct", Assert.Single(grade.Slots).Verdict);
    }

    [Theory]
    [InlineData("12.3 million", "12300000")]
    [InlineData("{\"population\": 12300000.0}", "12300000")]
    [InlineData("12.3M people", "12300000")]
    public void Grade_CommittedNumber_ShowsInvariantValue(string answer, string extracted)
    {
        var verdict = Assert.Single(AnswerGrader.Grade(GradingKeys.Population, answer).Slots);

        Assert.Equal(extracted, verdict.Observed);
        Assert.Equal("12300000", verdict.Expected);
        Assert.Equal(1.0, verdict.Credit);
    }

    [Theory]
    [InlineData("12.6 million", "wrong")]
    [InlineData("12.3 billion", "wrong")]
    [InlineData("It is 12.3 million or maybe 15 million.", "ambiguous")]
    [InlineData("population: 12.3 million\npopulation: 9 million", "ambiguous")]
    [InlineData("{\"population\": [12300000, 9000000]}", "ambiguous")]
    [InlineData("{\"population\": \"unknown\"}", "wrong")]
    [InlineData("{\"population\": null}", "missing")]
    [InlineData("I could not find it.", "missing")]
    [InlineData("", "missing")]
    public void Grade_WrongOrUncommittedNumber_EarnsNothing(string answer, string verdict)
    {
        var grade = AnswerGrader.Grade(GradingKeys.Population, answer);

        Assert.Equal(0.0, grade.Correctness);
        Assert.Equal(verdict, Assert.Single(grade.Slots).Verdict);
    }

    [Fact]
    public void Grade_WithinTolerance_IsCorrectAndOutsideIsWrong()
    {
        Assert.Equal(1.0, AnswerGrader.Grade(GradingKeys.Population, "12.54 million").Correctness);
        Assert.Equal(0.0, AnswerGrader.Grade(GradingKeys.Population, "12.56 million").Correctness);
    }

    [Theory]
    [InlineData("The claimed $5.2B is wrong, the real figure is $4.1B.")]
    [InlineData("Inaccurate: NovaTech's revenue is $4.1 billion, not the claimed $5.2 billion.")]
    [InlineData("No. The true figure is USD 4,100 million, confirmed by 2 independent sources.")]
    [InlineData("The claim is overstated; actual revenue was $4.1B in FY2024.")]
    [InlineData("Is the claim accurate? It is not accurate: revenue is $4.1B.")]
    [InlineData("accurate: false\nrevenue: $4.1B")]
    [InlineData("{\"accurate\": false, \"revenue\": \"4.1 billion\"}")]
    [InlineData("{\"accurate\": \"no\", \"revenue\": 4100000000}")]
    public void Grade_RefutedClaim_CommitsTheRealFigure(string answer)
    {
        var grade = AnswerGrader.Grade(GradingKeys.Revenue(accurate: false), answer);

        Assert.Equal(1.0, grade.Correctness);
    }

    [Theory]
    [InlineData("Accurate, $5.2B.")]
    [InlineData("Yes, the claim is accurate: revenue was $5.2 billion.")]
    [InlineData("{\"accurate\": true, \"revenue\": 5200000000}")]
    public void Grade_ConfirmedClaim_CommitsTheClaimedFigure(string answer)
    {
        var grade = AnswerGrader.Grade(GradingKeys.Revenue(accurate: true), answer);

        Assert.Equal(1.0, grade.Correctness);
    }

    [Theory]
    [InlineData("NovaTech's claim is accurate, revenue $4.1B.", "wrong", "true")]
    [InlineData("NovaTech: the claim is not accurate; revenue is $4.1B.", "correct", "false")]
    [InlineData("Norway-based NovaTech has notable knowledge; revenue $4.1B.", "missing", null)]
    public void Grade_NovaTechPrefix_NeverReadsAsNo(string answer, string verdict, string? extracted)
    {
        var slot = AnswerGrader.Grade(GradingKeys.Revenue(accurate: false), answer).Slots[0];

        Assert.Equal(verdict, slot.Verdict);
        Assert.Equal(extracted, slot.Observed);
    }

    [Theory]
    [InlineData("Revenue is $4.1B; NovaTech has 1,200 employees and 3 offices.", "correct")]
    [InlineData("Revenue was $4.1B as of 2025, checked against 2 sources.", "correct")]
    [InlineData("Revenue was $4.1B in 2024 and $3.9B in 2023.", "ambiguous")]
    public void Grade_RevenueAmongOtherNumbers_UsesCueClauseAndUnit(string answer, string verdict)
    {
        var slot = AnswerGrader.Grade(GradingKeys.Revenue(accurate: false), answer).Slots[1];

        Assert.Equal(verdict, slot.Verdict);
    }

    [Theory]
    [InlineData("Veloria is denser, by a factor of 2.3 (1,150 vs 500 people per km²).")]
    [InlineData("Veloria has the higher density: 2.3 times that of Ostmark.")]
    [InlineData("The denser one is Veloria, 2.3x Ostmark.")]
    [InlineData("Comparing Ostmark and Veloria: the Republic of Veloria is more densely populated, 2.3x.")]
    [InlineData("Veloria, about 2.3x.")]
    [InlineData("{\"denser\": \"veloria\", \"factor\": 2.3}")]
    [InlineData("denser: Veloria\nfactor: 2.3")]
    public void Grade_DensityComparison_CommitsChoiceAndFactor(string answer)
    {
        var grade = AnswerGrader.Grade(GradingKeys.Density, answer);

        Assert.Equal(1.0, grade.Correctness);
    }

    [Theory]
    [InlineData("Ostmark is denser than Veloria by 2.3x.", "Ostmark", "wrong")]
    [InlineData("Veloria and Ostmark are both large.", "Veloria | Ostmark", "ambiguous")]
    [InlineData("Veloria is denser. Ostmark is denser.", "Veloria | Ostmark", "ambiguous")]
    [InlineData("Veloria is not denser than Ostmark.", "Veloria | Ostmark", "ambiguous")]
    [InlineData("{\"denser\": \"Atlantis\"}", "Atlantis", "wrong")]
    [InlineData("No idea.", null, "missing")]
    public void Grade_EntityNotCommittedToExpected_EarnsNothingForIt(string answer, string? extracted, string verdict)
    {
        var slot = AnswerGrader.Grade(GradingKeys.Density, answer).Slots[0];

        Assert.Equal(verdict, slot.Verdict);
        Assert.Equal(extracted, slot.Observed);
        Assert.Equal(0.0, slot.Credit);
    }

    [Theory]
    [InlineData("It was founded on 5 March 2024.", "correct")]
    [InlineData("{\"founded\": \"2024-03-05\"}", "correct")]
    [InlineData("founded: March 5, 2024", "correct")]
    [InlineData("It was founded on 6 March 2024.", "wrong")]
    [InlineData("It was founded on 03/05/2024.", "missing")]
    [InlineData("Founded 5 March 2024 or 2024-03-06.", "ambiguous")]
    public void Grade_Date_ReadsUnambiguousFormatsOnly(string answer, string verdict)
    {
        var slot = Assert.Single(AnswerGrader.Grade(GradingKeys.Founded, answer).Slots);

        Assert.Equal(verdict, slot.Verdict);
    }

    [Fact]
    public void Grade_PartialAnswer_WeighsSlots()
    {
        var key = new AnswerKey(
        [
            new AnswerSlot("accurate", SlotKind.Boolean, 1.0, false, "Is it accurate"),
            new AnswerSlot("revenue", SlotKind.Number, 3.0, 4.1e9, "Real revenue"),
        ]);

        var grade = AnswerGrader.Grade(key, "The claim is inaccurate; revenue is $9B.");

        Assert.Equal(0.25, grade.Correctness, 10);
        Assert.Equal([1.0, 0.0], grade.Slots.Select(s => s.Credit));
    }

    [Fact]
    public void Grade_ExpectedOfWrongType_Throws()
    {
        var key = new AnswerKey([new AnswerSlot("population", SlotKind.Number, 1.0, "12.3 million", "Population")]);

        Assert.Throws<ArgumentException>(() => AnswerGrader.Grade(key, "12.3 million"));
    }

    [Fact]
    public void Grade_IntegerExpected_IsAccepted()
    {
        var key = new AnswerKey([new AnswerSlot("population", SlotKind.Number, 1.0, 12_300_000, "Population")]);

        Assert.Equal(1.0, AnswerGrader.Grade(key, "12.3 million").Correctness);
    }

    [Fact]
    public void ToJson_Key_ListsTypedSlots()
    {
        var json = GradingKeys.Revenue(accurate: false).ToJson();

        var slots = json["slots"]!.AsArray();
        Assert.Equal("boolean", slots[0]!["kind"]!.GetValue<string>());
        Assert.False(slots[0]!["expected"]!.GetValue<bool>());
        Assert.Equal(4.1e9, slots[1]!["expected"]!.GetValue<double>());
        Assert.Equal(0.02, slots[1]!["relative_tolerance"]!.GetValue<double>());
        Assert.Equal("USD", slots[1]!["unit"]!.GetValue<string>());
        Assert.Equal(5.2e9, slots[1]!["question_values"]![0]!.GetValue<double>());
        Assert.Equal("2024-03-05", GradingKeys.Founded.ToJson()["slots"]![0]!["expected"]!.GetValue<string>());
        Assert.IsType<JsonObject>(JsonNode.Parse(json.ToJsonString()));
    }

    [Fact]
    public void Grade_ScaledCurrency_ShowsExactValue()
    {
        var slot = AnswerGrader.Grade(GradingKeys.Revenue(accurate: false), "Inaccurate; revenue is $4.1B.").Slots[1];

        Assert.Equal("4100000000", slot.Observed);
    }
}

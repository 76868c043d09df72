using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// A gauntlet episode's grade from its hidden grading: the score (<see cref="GauntletScorer"/>),
/// one criterion per requirement tier, and the answer key revealed once the episode is over: per
/// tier what broke first and with which input, and what each hidden case was.
/// </summary>
public static class GauntletGrades
{
    public static EpisodeGrade Submission(IFragilePiece piece, GauntletGrading grading)
    {
        ArgumentNullException.ThrowIfNull(piece);
        ArgumentNullException.ThrowIfNull(grading);
        var score = grading.Score;
        var graded = score.Tiers.Where(t => t.Graded && t.Cases > 0).ToList();
        var total = graded.Sum(t => GauntletScorer.Weights[t.Tier]);
        double Weight(TierResult t) => t.Graded && t.Cases > 0 && total > 0 ? GauntletScorer.Weights[t.Tier] / total : 0;

        var components = new List<RewardComponent>();
        components.AddRange(score.Tiers.Where(t => t.Graded).Select(t => new RewardComponent(
            CriterionName(t), Math.Round(Weight(t) * t.Credit, 6), Invariant($"{t.Passed}/{t.Cases} hidden cases pass tier {t.Tier} and every tier below"))));
        components.Add(new RewardComponent("score", score.Score, grading.Failure is { } failure
            ? "0: nothing could be checked: " + failure
            : "per graded tier the share of cases passing it and every tier below, weighted 0.4/0.3/0.3 over the graded tiers"));

        var criteria = score.Tiers.Select(t => new GradeCriterion(
            CriterionName(t),
            "every check on every case",
            t.Graded ? Invariant($"{t.Passed}/{t.Cases} cases") : null,
            !t.Graded ? "ungraded" : t.Cases > 0 && t.Passed == t.Cases ? "passed" : t.Passed > 0 ? "partial" : "failed",
            Math.Round(Weight(t), 6),
            Math.Round(Weight(t) * t.Credit, 6))).ToList();
        var outcome = GauntletScorer.Outcome(score.Score);
        return new EpisodeGrade(score.Score, outcome, score.Score >= GauntletScorer.SuccessThreshold, components, criteria, AnswerKey(piece, grading.Cases, score, grading.Failure));
    }

    /// <summary>The grade of an episode that ended at the step limit without a submission; the key still describes the cases it would have met.</summary>
    public static EpisodeGrade StepLimit(IFragilePiece piece, CaseDraw hidden)
    {
        ArgumentNullException.ThrowIfNull(piece);
        ArgumentNullException.ThrowIfNull(hidden);
        return new EpisodeGrade(
            0,
            "step_limit",
            false,
            [new RewardComponent("score", 0, "the step limit was reached without a submission")],
            [],
            AnswerKey(piece, piece.Generate(hidden), null, null));
    }

    /// <summary>"tier_1_data_integrity".</summary>
    public static string CriterionName(TierResult tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return $"tier_{tier.Tier}_{tier.Name.Trim().ToLowerInvariant().Replace(' ', '_')}";
    }

    private static JsonObject AnswerKey(IFragilePiece piece, PieceCases cases, GauntletScore? score, string? failure) => new()
    {
        ["piece"] = piece.Id,
        ["entry_point"] = piece.EntryPoint,
        ["failure"] = failure,
        ["tiers"] = score is null ? null : new JsonArray([.. score.Tiers.Select(t => (JsonNode)new JsonObject
        {
            ["tier"] = t.Tier,
            ["name"] = t.Name,
            ["graded"] = t.Graded,
            ["passed"] = t.Passed,
            ["cases"] = t.Cases,
            ["first_failure"] = t.FirstFailure?.Message,
            ["evidence"] = t.FirstFailure?.Evidence?.DeepClone(),
        })]),
        ["hidden_cases"] = new JsonArray([.. cases.Cases.Select(c => (JsonNode)new JsonObject
        {
            ["case"] = c.Id,
            ["summary"] = cases.Describe(c.Id),
            ["calls"] = c.Calls.Count,
        })]),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

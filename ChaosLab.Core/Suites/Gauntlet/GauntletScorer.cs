using System.Globalization;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// The gauntlet's score: per graded requirement tier, the share of the cases that exercise the
/// tier on which every check of that tier and of every tier below it passed (a fix counts only
/// if it did not break an earlier one), weighted and normalized over the graded tiers.
/// Nothing is read from the code's text: only behaviour in the sandbox counts.
/// </summary>
public static class GauntletScorer
{
    /// <summary>Tier weights before normalization: data integrity weighs most, it is the ground the others stand on.</summary>
    public static IReadOnlyDictionary<int, double> Weights { get; } = new Dictionary<int, double> { [1] = 0.4, [2] = 0.3, [3] = 0.3 };

    /// <summary>The score an episode must reach to count as solved.</summary>
    public const double SuccessThreshold = 0.95;

    public static GauntletScore Score(IReadOnlyList<CaseVerdict> verdicts, IReadOnlyList<int> gradedTiers, IReadOnlyList<RequirementTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(gradedTiers);
        ArgumentNullException.ThrowIfNull(tiers);
        var results = new List<TierResult>();
        foreach (var tier in tiers.OrderBy(t => t.Number))
        {
            var graded = gradedTiers.Contains(tier.Number);
            var exercised = verdicts.Where(v => v.Exercises(tier.Number)).ToList();
            var passed = exercised.Count(v => v.PassesThrough(tier.Number));
            var credit = exercised.Count == 0 ? 0 : (double)passed / exercised.Count;
            results.Add(new TierResult(tier.Number, tier.Name, graded, exercised.Count, passed, Math.Round(credit, 6), FirstFailure(exercised, tier.Number)));
        }

        var gradedResults = results.Where(r => r.Graded && r.Cases > 0).ToList();
        var total = gradedResults.Sum(r => Weights[r.Tier]);
        var score = total == 0 ? 0 : gradedResults.Sum(r => Weights[r.Tier] * r.Credit) / total;
        return new GauntletScore(Math.Round(score, 4), results);
    }

    public static string Outcome(double score) => score >= SuccessThreshold ? "hardened" : score > 0 ? "partial" : "failed";

    /// <summary>The first failed check of this tier or below on a case, in case order: what to fix first.</summary>
    private static CheckResult? FirstFailure(IEnumerable<CaseVerdict> cases, int tier) =>
        cases.SelectMany(v => v.Checks.Where(c => c.Tier <= tier && !c.Passed).OrderBy(c => c.Tier)).FirstOrDefault();
}

/// <param name="Score">In [0, 1], 4 decimals.</param>
/// <param name="Tiers">Every requirement tier of the piece, graded or not (an ungraded tier is shown, not counted).</param>
public sealed record GauntletScore(double Score, IReadOnlyList<TierResult> Tiers)
{
    /// <summary>"tier 1: 11/12 cases, tier 2: 9/12 cases".</summary>
    public string Summary => string.Join(", ", Tiers.Where(t => t.Graded).Select(t => string.Create(CultureInfo.InvariantCulture, $"tier {t.Tier}: {t.Passed}/{t.Cases} cases")));
}

/// <param name="Cases">Cases that exercise the tier.</param>
/// <param name="Passed">Of those, cases on which this tier and every tier below it passed.</param>
/// <param name="FirstFailure">What broke first (this tier or one below), for the message.</param>
public sealed record TierResult(int Tier, string Name, bool Graded, int Cases, int Passed, double Credit, CheckResult? FirstFailure);

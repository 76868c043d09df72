using System.Globalization;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;
using ChaosLab.Tests.Core.Sandbox;
using Xunit.Abstractions;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Consumer;

/// <summary>The consumer's baselines over <see cref="GauntletTestKit.Seeds"/> seeds per tier, graded in the real sandbox.</summary>
[Collection(SandboxTestGroup.Name)]
public sealed class ConsumerBaselineTests(ITestOutputHelper output)
{
    private static readonly ConsumerPiece Piece = ConsumerPiece.Instance;

    [SandboxFact]
    public async Task Baselines_OverSeedsPerTier_StayInTheirBandsAndRank()
    {
        var solutions = new (string Name, string Code)[]
        {
            ("original", Piece.OriginalSource),
            ("quick_patch", Piece.Baselines.NaivePatch),
            ("keyword_stuffed", Piece.Baselines.KeywordStuffed),
            ("tier1_fix", Piece.Baselines.PartialFix),
            ("hardened", GauntletTestKit.Solution("consumer_hardened")),
        };
        var means = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var (name, code) in solutions)
        {
            means[name] = await GauntletTestKit.MeanScoresAsync(Piece, code);
        }

        output.WriteLine($"consumer, mean hidden score over {GauntletTestKit.Seeds} seeds per tier");
        output.WriteLine("| code | " + string.Join(" | ", GauntletDifficulty.Tiers) + " |");
        foreach (var (name, _) in solutions)
        {
            output.WriteLine($"| {name} | " + string.Join(" | ", GauntletDifficulty.Tiers.Select(t => means[name][t].ToString("0.000", CultureInfo.InvariantCulture))) + " |");
        }

        foreach (var tier in GauntletDifficulty.Tiers)
        {
            Assert.True(means["original"][tier] <= 0.2, $"original scores {means["original"][tier]:0.000} at {tier}");
            Assert.True(means["quick_patch"][tier] <= 0.4, $"quick_patch scores {means["quick_patch"][tier]:0.000} at {tier}");
            Assert.True(means["keyword_stuffed"][tier] <= 0.2, $"keyword_stuffed scores {means["keyword_stuffed"][tier]:0.000} at {tier}");
            Assert.True(means["hardened"][tier] >= 0.95, $"hardened scores {means["hardened"][tier]:0.000} at {tier}");
        }

        foreach (var tier in GauntletDifficulty.Tiers.Where(t => GauntletDifficulty.ForTier(Piece, t).GradedTiers.Count > 1))
        {
            Assert.True(means["hardened"][tier] > means["tier1_fix"][tier], $"hardened {means["hardened"][tier]:0.000} <= tier1_fix {means["tier1_fix"][tier]:0.000} at {tier}");
            Assert.True(means["tier1_fix"][tier] > means["quick_patch"][tier], $"tier1_fix {means["tier1_fix"][tier]:0.000} <= quick_patch {means["quick_patch"][tier]:0.000} at {tier}");
        }
    }
}

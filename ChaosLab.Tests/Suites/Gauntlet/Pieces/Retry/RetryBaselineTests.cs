using System.Globalization;
using System.Text;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;
using ChaosLab.Tests.Core.Sandbox;
using Xunit.Abstractions;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// The issue's baselines for the retry piece, graded in the sandbox on hidden draws over
/// <see cref="GauntletTestKit.Seeds"/> seeds per tier: what is wrong scores low, the hardened
/// solution scores high, and a better fix always scores higher where tier 2 and up are graded.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class RetryBaselineTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Baselines_MeanHiddenScoresPerTier_StayInTheirBandsAndRankByCorrectness()
    {
        var piece = RetryPiece.Instance;
        var codes = new (string Name, string Code)[]
        {
            ("original", piece.OriginalSource),
            ("quick_patch", piece.Baselines.NaivePatch),
            ("keyword_stuffed", piece.Baselines.KeywordStuffed),
            ("tier1_fix", piece.Baselines.PartialFix),
            ("hardened", GauntletTestKit.Solution("retry_hardened")),
        };
        var means = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var (name, code) in codes)
        {
            means[name] = await GauntletTestKit.MeanScoresAsync(piece, code);
        }

        output.WriteLine(Table(means));
        foreach (var tier in GauntletDifficulty.Tiers)
        {
            Assert.True(means["original"][tier] <= 0.2, $"original at {tier}: {means["original"][tier]}");
            Assert.True(means["quick_patch"][tier] <= 0.4, $"quick_patch at {tier}: {means["quick_patch"][tier]}");
            Assert.True(means["keyword_stuffed"][tier] <= 0.2, $"keyword_stuffed at {tier}: {means["keyword_stuffed"][tier]}");
            Assert.True(means["hardened"][tier] >= 0.95, $"hardened at {tier}: {means["hardened"][tier]}");
        }

        foreach (var tier in GauntletDifficulty.Tiers.Skip(1))
        {
            Assert.True(means["hardened"][tier] > means["tier1_fix"][tier], $"hardened vs tier1_fix at {tier}");
            Assert.True(means["tier1_fix"][tier] > means["quick_patch"][tier], $"tier1_fix vs quick_patch at {tier}");
        }
    }

    private static string Table(Dictionary<string, IReadOnlyDictionary<string, double>> means)
    {
        var text = new StringBuilder($"| code ({GauntletTestKit.Seeds} seeds) | {string.Join(" | ", GauntletDifficulty.Tiers)} |\n|---|---|---|---|---|\n");
        foreach (var (name, tiers) in means)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", GauntletDifficulty.Tiers.Select(t => tiers[t].ToString("0.000", CultureInfo.InvariantCulture)))} |\n");
        }

        return text.ToString();
    }
}

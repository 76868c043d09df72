using System.Globalization;
using System.Text;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;
using ChaosLab.Tests.Core.Sandbox;
using Xunit.Abstractions;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// The stream piece's baselines over <see cref="GauntletTestKit.Seeds"/> seeds per tier: the
/// original and the cheap fixes stay low, the hardened solution passes, and careful partial work
/// ranks between them.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class StreamBaselineTests(ITestOutputHelper output)
{
    private static readonly StreamPiece Piece = StreamPiece.Instance;

    [SandboxFact]
    public async Task Baselines_OverSeeds_OriginalAndCheapFixesFail_HardenedPasses_PartialWorkRanksBetween()
    {
        var codes = new (string Name, string Code)[]
        {
            ("original", Piece.OriginalSource),
            ("quick_patch", Piece.Baselines.NaivePatch),
            ("keyword_stuffed", Piece.Baselines.KeywordStuffed),
            ("tier1_fix", Piece.Baselines.PartialFix),
            ("hardened", GauntletTestKit.Solution("stream_hardened")),
        };
        var means = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var (name, code) in codes)
        {
            means[name] = await GauntletTestKit.MeanScoresAsync(Piece, code);
        }

        var table = new StringBuilder($"stream, mean hidden score over {GauntletTestKit.Seeds} seeds\n| code | {string.Join(" | ", GauntletDifficulty.Tiers)} |\n");
        foreach (var (name, _) in codes)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", GauntletDifficulty.Tiers.Select(t => means[name][t].ToString("0.000", CultureInfo.InvariantCulture)))} |");
        }

        output.WriteLine(table.ToString());
        foreach (var tier in GauntletDifficulty.Tiers)
        {
            Assert.True(means["original"][tier] <= 0.2, $"original scores {means["original"][tier]} at {tier}");
            Assert.True(means["quick_patch"][tier] <= 0.4, $"quick_patch scores {means["quick_patch"][tier]} at {tier}");
            Assert.True(means["keyword_stuffed"][tier] <= 0.2, $"keyword_stuffed scores {means["keyword_stuffed"][tier]} at {tier}");
            Assert.True(means["hardened"][tier] >= 0.95, $"hardened scores {means["hardened"][tier]} at {tier}");
        }

        foreach (var tier in GauntletDifficulty.Tiers.Skip(1))
        {
            Assert.True(means["hardened"][tier] > means["tier1_fix"][tier], $"at {tier} hardened {means["hardened"][tier]} does not beat tier1_fix {means["tier1_fix"][tier]}");
            Assert.True(means["tier1_fix"][tier] > means["quick_patch"][tier], $"at {tier} tier1_fix {means["tier1_fix"][tier]} does not beat quick_patch {means["quick_patch"][tier]}");
        }
    }
}

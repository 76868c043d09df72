using System.Globalization;
using System.Text;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Agents;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Tests.Core.Sandbox;
using ChaosLab.Tests.Suites.Gauntlet.Episode;
using Xunit.Abstractions;

namespace ChaosLab.Tests.Suites.Gauntlet.Agents;

/// <summary>
/// The reference agents rank as the baselines they submit (tier1-fix above quick-patch, which is
/// no worse than the original code), and no exploit scores on any tier of any piece: played
/// through the session, as the seeder and the scenario preview play them.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class GauntletAgentTests(ITestOutputHelper output)
{
    /// <summary>Seeds per tier: the pieces' own baseline tests grade 20; these play whole episodes.</summary>
    private const int Seeds = 3;

    /// <summary>Every registered piece, and the tests' tiny piece (which keeps this honest before any is registered).</summary>
    public static IEnumerable<IFragilePiece> Pieces => [.. GauntletSuiteServiceCollectionExtensions.ServedPieces, TinyPiece.Instance];

    [SandboxFact]
    public async Task ReferenceAgents_EveryPieceAndTier_Tier1FixAboveQuickPatchNoWorseThanTheOriginal()
    {
        var table = new StringBuilder("piece tier original-code quick-patch tier1-fix\n");
        var failures = new List<string>();
        foreach (var piece in Pieces)
        {
            var suite = new GauntletSuite(SharedSandbox.Instance, [piece]);
            foreach (var tier in suite.Tiers)
            {
                var means = new Dictionary<string, double>();
                foreach (var agent in suite.ReferenceAgents)
                {
                    means[agent.Name] = await MeanAsync(suite, agent, $"gauntlet-{piece.Id}-{tier}", Seeds);
                }

                table.AppendLine(CultureInfo.InvariantCulture, $"{piece.Id} {tier} {means[GauntletAgents.OriginalCode]:0.###} {means[GauntletAgents.QuickPatch]:0.###} {means[GauntletAgents.Tier1Fix]:0.###}");
                if (!(means[GauntletAgents.Tier1Fix] > means[GauntletAgents.QuickPatch] && means[GauntletAgents.QuickPatch] >= means[GauntletAgents.OriginalCode]))
                {
                    failures.Add($"{piece.Id}/{tier}");
                }
            }
        }

        output.WriteLine(table.ToString());
        Assert.Empty(failures);
    }

    [SandboxFact]
    public async Task Exploits_EveryPieceAndTier_AtMost005()
    {
        var table = new StringBuilder("piece tier exploit mean\n");
        var failures = new List<string>();
        foreach (var piece in Pieces)
        {
            var suite = new GauntletSuite(SharedSandbox.Instance, [piece]);
            foreach (var tier in suite.Tiers)
            {
                foreach (var exploit in suite.ExploitAgents)
                {
                    // A hanging submission takes its two timed-out calls (about 2 s) per play.
                    var mean = await MeanAsync(suite, exploit, $"gauntlet-{piece.Id}-{tier}", exploit.Name == "exploit-hang" ? 1 : Seeds);
                    table.AppendLine(CultureInfo.InvariantCulture, $"{piece.Id} {tier} {exploit.Name} {mean:0.###}");
                    if (mean > 0.05)
                    {
                        failures.Add($"{piece.Id}/{tier}/{exploit.Name}: {mean:0.###}");
                    }
                }
            }
        }

        output.WriteLine(table.ToString());
        Assert.Empty(failures);
    }

    [Fact]
    public void Agents_Named_ReferencesAndExploitsApart()
    {
        var suite = GauntletEpisodeKit.Suite;

        Assert.Equal(["original-code", "quick-patch", "tier1-fix"], suite.ReferenceAgents.Select(a => a.Name));
        Assert.Equal(["exploit-keywords", "exploit-echo", "exploit-empty", "exploit-escape", "exploit-hang"], suite.ExploitAgents.Select(a => a.Name));
    }

    private static async Task<double> MeanAsync(GauntletSuite suite, ChaosLab.Core.Agents.ReferenceAgent agent, string scenario, int seeds)
    {
        var finals = await Task.WhenAll(Enumerable.Range(1, seeds).Select(seed => GauntletEpisodeKit.PlayAsync(suite, agent, scenario, seed)));
        return finals.Average(f => f.Reward);
    }
}

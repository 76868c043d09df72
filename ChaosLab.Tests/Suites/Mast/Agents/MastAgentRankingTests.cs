using System.Globalization;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Agents;
using Xunit.Abstractions;

namespace ChaosLab.Tests.Suites.Mast.Agents;

/// <summary>
/// The suite's promise, measured: per tier, the careful agent scores at least 0.8 on average,
/// the naive agent and the flag-stuffer at most 0.3 and below it, and every cheat at most 0.05.
/// Seeds draw the scenario from the tier's pool, as a reset naming only the tier does. The unit
/// suite plays <see cref="DefaultSeeds"/> seeds per tier; CHAOSLAB_MAST_RANKING_SEEDS=200 plays
/// the full measurement (see the report in docs/mast.md).
/// </summary>
public sealed class MastAgentRankingTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 40;

    private static readonly MastSuite Suite = new();

    public static TheoryData<string> Tiers => [.. Suite.Tiers];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void ReferenceAgents_Tier_CarefulAboveEightTenthsNaiveAndFlagStufferAtMostThreeTenths(string tier)
    {
        var means = Suite.ReferenceAgents.ToDictionary(a => a.Name, a => Mean(a, tier));
        Report(tier, means);

        Assert.True(means[CarefulMastAgent.AgentName] >= 0.8, $"careful {means[CarefulMastAgent.AgentName]:0.000}");
        Assert.True(means[NaiveMastAgent.AgentName] <= 0.3, $"naive {means[NaiveMastAgent.AgentName]:0.000}");
        Assert.True(means[FlagStufferAgent.AgentName] <= 0.3, $"flag-stuffer {means[FlagStufferAgent.AgentName]:0.000}");
        Assert.True(means[CarefulMastAgent.AgentName] > Math.Max(means[NaiveMastAgent.AgentName], means[FlagStufferAgent.AgentName]));
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void ExploitAgents_Tier_EachAtMostFiveHundredths(string tier)
    {
        var means = Suite.ExploitAgents.ToDictionary(a => a.Name, a => Mean(a, tier));
        Report(tier, means);

        Assert.NotEmpty(means);
        Assert.All(means, m => Assert.True(m.Value <= Ceiling, $"{m.Key} {m.Value:0.000}"));
    }

    /// <summary>The project's ceiling for cheats.</summary>
    private const double Ceiling = 0.05;

    private static int Seeds =>
        int.TryParse(System.Environment.GetEnvironmentVariable("CHAOSLAB_MAST_RANKING_SEEDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultSeeds;

    private static double Mean(ReferenceAgent agent, string tier)
    {
        var scores = new double[Seeds];
        Parallel.For(0, Seeds, i =>
        {
            using var session = Suite.CreateSession();
            var final = AgentRunner.RunAsync(agent.Create(), session, new ResetOptions { Tier = tier, Seed = 10_000 + i }).AsTask().GetAwaiter().GetResult();
            scores[i] = final?.Grade?.Score ?? 0;
        });
        return scores.Average();
    }

    private void Report(string tier, Dictionary<string, double> means)
    {
        foreach (var (agent, mean) in means)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tier,-13} {agent,-28} {mean:0.000} over {Seeds} seeds"));
        }
    }
}

using ChaosLab.Core.Persistence;

namespace ChaosLab.Web.Model.Statistics;

/// <summary>
/// Two agents on the same (suite, scenario, seed): per key, the mean score of each agent over its
/// episodes there and the delta b − a; per scenario, the mean of those deltas; overall, the mean
/// delta with a paired 95% t interval (<see cref="MeanInterval"/> over the per-key deltas), and
/// wins, losses and ties counted from b's side. Scores lie in [0, 1], so every interval is cut
/// to [-1, 1], the range a difference of two scores can take.
/// </summary>
public sealed record PairedComparison(
    string AgentA,
    string AgentB,
    IReadOnlyList<EpisodePair> Pairs,
    IReadOnlyList<ScenarioDelta> Scenarios,
    MeanInterval? Delta,
    int Wins,
    int Losses,
    int Ties)
{
    /// <summary>Deltas this close to zero are ties (scores are sums of decimal fractions).</summary>
    public const double TieTolerance = 1e-9;

    public static PairedComparison Compute(string agentA, string agentB, IEnumerable<ComparedEpisode> episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var pairs = new List<EpisodePair>();
        foreach (var key in episodes.GroupBy(e => (e.Suite, e.ScenarioId, e.Seed)))
        {
            var a = key.Where(e => e.Agent == agentA).OrderBy(e => e.StartedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
            var b = key.Where(e => e.Agent == agentB).OrderBy(e => e.StartedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
            if (a.Length == 0 || b.Length == 0)
            {
                continue;
            }

            pairs.Add(new EpisodePair(key.Key.Suite, a[^1].TaskId, a[^1].Tier, key.Key.ScenarioId, key.Key.Seed, a[^1], b[^1],
                a.Length, b.Length, a.Average(e => e.Score), b.Average(e => e.Score)));
        }

        pairs.Sort((x, y) =>
        {
            var bySize = Math.Abs(y.Delta).CompareTo(Math.Abs(x.Delta));
            return bySize != 0 ? bySize
                : string.CompareOrdinal(x.Suite, y.Suite) is var bySuite and not 0 ? bySuite
                : string.CompareOrdinal(x.ScenarioId, y.ScenarioId) is var byScenario and not 0 ? byScenario
                : x.Seed.CompareTo(y.Seed);
        });

        var scenarios = pairs
            .GroupBy(p => (p.Suite, p.ScenarioId))
            .Select(g => new ScenarioDelta(g.Key.Suite, g.Key.ScenarioId, g.Count(), g.Average(p => p.MeanA), g.Average(p => p.MeanB),
                MeanInterval.FromValues(g.Select(p => p.Delta))!.Within(-1, 1)))
            .OrderBy(s => s.Suite, StringComparer.Ordinal).ThenBy(s => s.ScenarioId, StringComparer.Ordinal)
            .ToArray();

        return new PairedComparison(
            agentA,
            agentB,
            pairs,
            scenarios,
            MeanInterval.FromValues(pairs.Select(p => p.Delta))?.Within(-1, 1),
            pairs.Count(p => p.Delta > TieTolerance),
            pairs.Count(p => p.Delta < -TieTolerance),
            pairs.Count(p => Math.Abs(p.Delta) <= TieTolerance));
    }
}

/// <summary>Both agents on one (suite, scenario, seed); <see cref="LatestA"/> and <see cref="LatestB"/> are the episodes to replay.</summary>
public sealed record EpisodePair(
    string Suite, string TaskId, string Tier, string ScenarioId, long Seed, ComparedEpisode LatestA, ComparedEpisode LatestB,
    int CountA, int CountB, double MeanA, double MeanB)
{
    public double Delta => MeanB - MeanA;

    public bool Differs => Math.Abs(Delta) > PairedComparison.TieTolerance || LatestA.Outcome != LatestB.Outcome;
}

/// <param name="Pairs">Seeds on which both agents played this scenario.</param>
public sealed record ScenarioDelta(string Suite, string ScenarioId, int Pairs, double MeanA, double MeanB, MeanInterval Delta);

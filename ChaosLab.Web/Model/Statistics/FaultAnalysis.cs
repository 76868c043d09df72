using ChaosLab.Core.Persistence;

namespace ChaosLab.Web.Model.Statistics;

/// <summary>How often episodes in which a fault kind fired were still solved (the suite's success).</summary>
/// <param name="Fired">Graded episodes in which the kind fired at least once.</param>
/// <param name="Recovered">Of those, the ones the suite counted as solved.</param>
public sealed record RecoveryRate(string Kind, int Fired, int Recovered)
{
    public double Rate => Fired == 0 ? 0 : (double)Recovered / Fired;

    /// <summary>One rate per fault kind that fired in any of <paramref name="episodes"/>, by kind.</summary>
    public static IReadOnlyList<RecoveryRate> Compute(IEnumerable<EpisodeSummary> episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var counts = new SortedDictionary<string, (int Fired, int Recovered)>(StringComparer.Ordinal);
        foreach (var episode in episodes)
        {
            var correct = episode.Success == true;
            foreach (var kind in episode.FaultKinds.Distinct(StringComparer.Ordinal))
            {
                var (fired, recovered) = counts.GetValueOrDefault(kind);
                counts[kind] = (fired + 1, recovered + (correct ? 1 : 0));
            }
        }

        return [.. counts.Select(c => new RecoveryRate(c.Key, c.Value.Fired, c.Value.Recovered))];
    }
}

/// <summary>Fired faults counted per kind and step index: where in an episode faults land.</summary>
/// <param name="StepIndices">Every step index from 1 to the largest one with a fault.</param>
/// <param name="Counts">Per kind (sorted), the number of fired faults at each of <paramref name="StepIndices"/>.</param>
public sealed record FaultTimeline(IReadOnlyList<int> StepIndices, IReadOnlyDictionary<string, IReadOnlyList<int>> Counts)
{
    public static FaultTimeline Compute(IEnumerable<FiredFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var all = faults.ToArray();
        if (all.Length == 0)
        {
            return new FaultTimeline([], new Dictionary<string, IReadOnlyList<int>>());
        }

        var last = Math.Max(1, all.Max(f => f.StepIndex));
        var indices = Enumerable.Range(1, last).ToArray();
        var counts = new SortedDictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (var kind in all.GroupBy(f => f.Kind, StringComparer.Ordinal))
        {
            var perStep = new int[last];
            foreach (var fault in kind.Where(f => f.StepIndex >= 1))
            {
                perStep[fault.StepIndex - 1]++;
            }

            counts[kind.Key] = perStep;
        }

        return new FaultTimeline(indices, counts);
    }
}

using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Draws the stream piece's cases: a pure function of the draw. Each case mixes several fault
/// kinds of the graded tiers (always at least one of tier 1, as production does), and across a
/// draw every eligible kind appears at least once when there are enough cases.
/// </summary>
internal static class StreamCaseGenerator
{
    public static StreamCases Generate(CaseDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        var eligible = StreamFaultKinds.All
            .Where(k => draw.Difficulty.Kinds.Contains(k.Name) && draw.Difficulty.GradedTiers.Contains(StreamFaultKinds.TierOf(k)))
            .ToList();
        var prefix = draw.Stream == CaseDraw.PublicStream ? "p" : "h";
        var rotation = SeededStreams.Stream(draw.Seed, $"gauntlet|stream|{draw.Stream}|rotation").Next(0, Math.Max(1, eligible.Count));
        var truths = Enumerable.Range(0, draw.Difficulty.Cases)
            .Select(i => new StreamCaseBuilder(draw, i, $"{prefix}{i + 1}", Plan(draw, i, eligible, rotation)).Build())
            .ToList();
        return new StreamCases(truths, draw.Difficulty.GradedTiers);
    }

    /// <summary>The case's kinds, each with the roll that chose it and the threshold it beat (1 for a kind the case must cover).</summary>
    private static List<(FaultKind Kind, double Roll, double Threshold)> Plan(CaseDraw draw, int index, List<FaultKind> eligible, int rotation)
    {
        var plan = new List<(FaultKind, double, double)>();
        if (eligible.Count == 0)
        {
            return plan;
        }

        var random = SeededStreams.Stream(draw.Seed, $"gauntlet|stream|{draw.Stream}|{index}|plan");
        var threshold = 0.25 + (0.35 * Math.Clamp(draw.Difficulty.Intensity, 0, 1));
        var forced = eligible[(index + rotation) % eligible.Count];
        foreach (var kind in eligible)
        {
            var roll = random.NextDouble();
            if (kind == forced)
            {
                plan.Add((kind, roll, 1));
            }
            else if (roll < threshold)
            {
                plan.Add((kind, roll, threshold));
            }
        }

        var tierOne = eligible.Where(k => StreamFaultKinds.TierOf(k) == 1).ToList();
        if (tierOne.Count > 0 && !plan.Any(p => StreamFaultKinds.TierOf(p.Item1) == 1))
        {
            plan.Add((random.Pick(tierOne), random.NextDouble(), 1));
        }

        return plan;
    }
}

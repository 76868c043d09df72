using System.Globalization;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Faults;

/// <summary>
/// Decides faults as a pure function of (seed, scenario, target, canonical arguments,
/// occurrence): no state, no call order, so the same call gets the same fate in any episode
/// that makes it, and a retry (next occurrence) rolls again.
/// </summary>
public static class FaultDecider
{
    public const string BackgroundTrigger = "background";

    /// <summary>Every decision considered for the call, in order; at most one has <c>Fired</c>.</summary>
    public static IReadOnlyList<FaultDecision> Decide(FaultPlan plan, FaultCall call)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(call);
        var decisions = new List<FaultDecision>(2);
        var occurrence = call.Occurrence.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < plan.Rules.Count; i++)
        {
            var rule = plan.Rules[i];
            if (!rule.Matches(call.Target) || !call.ApplicableKinds.Contains(rule.Kind) || !ConditionsHold(rule.Trigger, call))
            {
                continue;
            }

            var ruleId = "rule" + i.ToString(CultureInfo.InvariantCulture);
            var roll = SeededStreams.Unit(call.Seed, "fault.roll", call.ScenarioId, call.Target, call.CanonicalArguments, occurrence, ruleId);
            var fired = roll < rule.Trigger.Probability;
            var parameters = fired ? Parameters(rule.Kind, call, rule.Parameters) : Empty;
            decisions.Add(new FaultDecision(rule.Kind.Name, call.Target, fired, rule.Trigger.Describe(), rule.Reason, parameters, Inputs(call, roll, rule.Trigger.Probability)));
            if (fired)
            {
                return decisions;
            }
        }

        var kinds = plan.BaseKinds.Where(call.ApplicableKinds.Contains).ToList();
        if (plan.BaseProbability <= 0 || kinds.Count == 0)
        {
            return decisions;
        }

        var backgroundRoll = SeededStreams.Unit(call.Seed, "fault.roll", call.ScenarioId, call.Target, call.CanonicalArguments, occurrence, BackgroundTrigger);
        var backgroundFired = backgroundRoll < plan.BaseProbability;
        var kindIndex = (int)(SeededStreams.Hash(call.Seed, "fault.kind", call.ScenarioId, call.Target, call.CanonicalArguments, occurrence) % (ulong)kinds.Count);
        var kind = kinds[kindIndex];
        decisions.Add(new FaultDecision(
            kind.Name,
            call.Target,
            backgroundFired,
            BackgroundTrigger + " p=" + plan.BaseProbability.ToString("0.###", CultureInfo.InvariantCulture),
            backgroundFired ? "background unreliability of the tier" : "background roll above threshold",
            backgroundFired ? Parameters(kind, call, null) : Empty,
            Inputs(call, backgroundRoll, plan.BaseProbability)));
        return decisions;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static bool ConditionsHold(FaultTrigger trigger, FaultCall call)
    {
        if (trigger.Occurrences is { Count: > 0 } occurrences && !occurrences.Contains(call.Occurrence))
        {
            return false;
        }

        return trigger.ArgumentsContain is not { Count: > 0 } needles
            || needles.Any(n => call.CanonicalArguments.Contains(n, StringComparison.OrdinalIgnoreCase));
    }

    private static FaultDecisionInputs Inputs(FaultCall call, double roll, double threshold)
        => new(call.Seed, call.ScenarioId, call.Target, call.CanonicalArguments, call.Occurrence, roll, threshold);

    /// <summary>Kind-specific parameters, drawn from their own stream so they never shift the roll.</summary>
    private static Dictionary<string, string> Parameters(FaultKind kind, FaultCall call, IReadOnlyDictionary<string, string>? overrides)
    {
        var random = new DeterministicRandom(SeededStreams.Hash(call.Seed, "fault.params", call.ScenarioId, call.Target, call.CanonicalArguments, call.Occurrence.ToString(CultureInfo.InvariantCulture), kind.Name));
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        kind.DrawParameters(random, p);
        if (overrides is not null)
        {
            foreach (var (key, value) in overrides)
            {
                p[key] = value;
            }
        }

        return p;
    }
}

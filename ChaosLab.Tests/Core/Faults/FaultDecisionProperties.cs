using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;
using CsCheck;

namespace ChaosLab.Tests.Core.Faults;

/// <summary>
/// Property: a fault decision is a pure function of the call. For a fixed plan, the decisions for
/// a call (seed, scenario id, target, canonical arguments, occurrence, applicable kinds) are the
/// same whatever calls were decided before it, so deciding a set of calls in any two orders gives
/// each call the same decisions. "Occurrence" is how many times the same target + canonical
/// arguments were called before in the episode (the session counts it); a retry is a different
/// call and rolls again, which is why it is part of the input and not of the order.
/// </summary>
public sealed class FaultDecisionProperties
{
    private static readonly string[] Targets = ["web_search", "knowledge_base_lookup", "database_query", "calculator", "api_call"];

    private static readonly string[] Arguments = ["{}", "{\"query\":\"veloria\"}", "{\"entity\":\"Karvenia\"}", "{\"sql\":\"select 1\"}", "{\"expression\":\"1+1\"}"];

    private static readonly string[] Needles = ["veloria", "KARVENIA", "select", "absent"];

    private static readonly FaultKind[] Kinds = [.. ToolsFaultKinds.All];

    // Small pools, so a generated set often holds the same target and arguments at several occurrences.
    private static readonly Gen<FaultTrigger> GenTrigger =
        from probability in Gen.Double.Unit
        from contains in Gen.OneOf(Needles).Array[0, 2]
        from occurrences in Gen.Int[0, 3].Array[0, 2]
        select new FaultTrigger(probability, contains.Length == 0 ? null : contains, occurrences.Length == 0 ? null : occurrences);

    private static readonly Gen<FaultRule> GenRule =
        from kind in Gen.OneOf(Kinds)
        from target in Gen.OneOf(Targets.Prepend("*").ToArray())
        from trigger in GenTrigger
        select new FaultRule(kind, target, trigger, "generated");

    private static readonly Gen<FaultPlan> GenPlan =
        from probability in Gen.Double.Unit
        from kinds in Gen.OneOf(Kinds).Array[0, 4]
        from rules in GenRule.Array[0, 3]
        select new FaultPlan(probability, [.. kinds.Distinct()], rules);

    private static readonly Gen<FaultCall> GenCall =
        from seed in Gen.Long
        from scenario in Gen.OneOf("W01", "I08", "E11")
        from target in Gen.OneOf(Targets)
        from arguments in Gen.OneOf(Arguments)
        from occurrence in Gen.Int[0, 3]
        from kinds in Gen.OneOf(Kinds).Array[1, 7]
        select new FaultCall(seed, scenario, target, arguments, occurrence, [.. kinds.Distinct()]);

    [Fact]
    public void Decide_AnyTwoOrdersOfASetOfCalls_SameDecisionsPerCall()
    {
        var gen =
            from plan in GenPlan
            from calls in GenCall.Array[1, 12]
            from first in Gen.Shuffle(Enumerable.Range(0, calls.Length).ToArray())
            from second in Gen.Shuffle(Enumerable.Range(0, calls.Length).ToArray())
            select (plan, calls, first, second);

        gen.Sample((plan, calls, first, second) =>
        {
            var inFirstOrder = DecideInOrder(plan, calls, first);
            var inSecondOrder = DecideInOrder(plan, calls, second);
            for (var i = 0; i < calls.Length; i++)
            {
                Assert.True(inFirstOrder[i] == inSecondOrder[i], $"call {i} ({Show(calls[i])}): {inFirstOrder[i]} vs {inSecondOrder[i]}");
            }
        }, print: t => $"plan={Show(t.Item1)} calls=[{string.Join("; ", t.Item2.Select(Show))}] orders=[{string.Join(",", t.Item3)}] [{string.Join(",", t.Item4)}]");
    }

    private static string[] DecideInOrder(FaultPlan plan, FaultCall[] calls, int[] order)
    {
        var decided = new string[calls.Length];
        foreach (var i in order)
        {
            decided[i] = Describe(FaultDecider.Decide(plan, calls[i]));
        }

        return decided;
    }

    private static string Describe(IReadOnlyList<FaultDecision> decisions) => string.Join(" | ", decisions.Select(d =>
        $"{d.Kind}:{d.Fired}:{d.Trigger}:{d.Inputs.Roll.ToString("R", CultureInfo.InvariantCulture)}:{string.Join(",", d.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))}"));

    private static string Show(FaultCall call) =>
        $"{call.Seed}/{call.ScenarioId}/{call.Target}/{call.CanonicalArguments}/#{call.Occurrence}/{string.Join(",", call.ApplicableKinds)}";

    private static string Show(FaultPlan plan) =>
        $"p={plan.BaseProbability.ToString("R", CultureInfo.InvariantCulture)} kinds={string.Join(",", plan.BaseKinds)} rules={string.Join(";", plan.Rules.Select(r => $"{r.Kind}@{r.Target}[{r.Trigger.Describe()}]"))}";
}

using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Faults;

public sealed class FaultDeciderTests
{
    private static readonly FaultPlan Plan = new(0.44, ToolsFaultKinds.All, []);

    private static FaultCall Call(string target, string args, int occurrence, long seed = 11) => new(seed, "I01", target, args, occurrence, ToolsFaultKinds.All);

    [Fact]
    public void Decide_TwoCallOrders_SameDecisionPerCallAndOccurrence()
    {
        var calls = new[] { ("web_search", "{\"query\":\"a\"}"), ("knowledge_base_lookup", "{\"entity\":\"x\"}"), ("database_query", "{\"sql\":\"select 1\"}") };
        var forward = new Dictionary<string, IReadOnlyList<FaultDecision>>();
        var backward = new Dictionary<string, IReadOnlyList<FaultDecision>>();
        foreach (var occurrence in new[] { 0, 1, 2 })
        {
            foreach (var (tool, args) in calls)
            {
                forward[$"{tool}{args}{occurrence}"] = FaultDecider.Decide(Plan, Call(tool, args, occurrence));
            }
        }

        foreach (var occurrence in new[] { 2, 1, 0 })
        {
            foreach (var (tool, args) in calls.Reverse())
            {
                backward[$"{tool}{args}{occurrence}"] = FaultDecider.Decide(Plan, Call(tool, args, occurrence));
            }
        }

        foreach (var key in forward.Keys)
        {
            Assert.Equal(Describe(forward[key]), Describe(backward[key]));
        }
    }

    [Fact]
    public void Decide_Retry_RollsAgain()
    {
        var rolls = Enumerable.Range(0, 5).Select(o => FaultDecider.Decide(Plan, Call("web_search", "q", o))[0].Inputs.Roll).Distinct().Count();
        Assert.Equal(5, rolls);
    }

    [Fact]
    public void Decide_RetryOfFailedCall_EventuallySucceeds()
    {
        var firstClean = Enumerable.Range(0, 20).First(o => !FaultDecider.Decide(Plan, Call("web_search", "q", o)).Any(d => d.Fired));
        Assert.InRange(firstClean, 0, 19);
    }

    [Theory]
    [InlineData("warmup", 0.12)]
    [InlineData("beginner", 0.24)]
    [InlineData("intermediate", 0.44)]
    [InlineData("expert", 0.70)]
    public void Decide_ManyCalls_FireAtTierRate(string tier, double expected)
    {
        var plan = new FaultPlan(ChaosLab.Core.Suites.Tools.ScenarioTemplate.TierProbability(tier), ToolsFaultKinds.All, []);
        var fired = Enumerable.Range(0, 4000).Count(i => FaultDecider.Decide(plan, Call("web_search", i.ToString(CultureInfo.InvariantCulture), 0)).Any(d => d.Fired));
        Assert.InRange(fired / 4000.0, expected - 0.03, expected + 0.03);
    }

    [Fact]
    public void Decide_RuleWithArgumentMatch_AlwaysFiresOnlyForMatchingCalls()
    {
        var plan = new FaultPlan(0, [], [new FaultRule(ToolsFaultKinds.StaleData, "knowledge_base_lookup", new FaultTrigger(1, ["Karvenia"]), "bad path")]);
        for (var o = 0; o < 10; o++)
        {
            var hit = FaultDecider.Decide(plan, Call("knowledge_base_lookup", "{\"entity\":\"karvenia\"}", o));
            Assert.True(hit.Single().Fired);
            Assert.Equal("stale_data", hit.Single().Kind);
        }

        Assert.Empty(FaultDecider.Decide(plan, Call("knowledge_base_lookup", "{\"entity\":\"other\"}", 0)));
        Assert.Empty(FaultDecider.Decide(plan, Call("web_search", "{\"query\":\"karvenia\"}", 0)));
    }

    [Fact]
    public void Decide_AtMostOneFired_AndInputsRecorded()
    {
        var plan = new FaultPlan(1, TransportFaults.All, [new FaultRule(TransportFaults.Timeout, "*", FaultTrigger.Always, "always")]);
        var decisions = FaultDecider.Decide(plan, Call("calculator", "{}", 3, seed: 99));
        Assert.Single(decisions, d => d.Fired);
        var inputs = decisions[0].Inputs;
        Assert.Equal((99L, "I01", "calculator", "{}", 3), (inputs.Seed, inputs.ScenarioId, inputs.Target, inputs.CanonicalArguments, inputs.Occurrence));
    }

    [Fact]
    public void Decide_KindNotApplicable_NotChosen()
    {
        var plan = new FaultPlan(1, [ToolsFaultKinds.StaleData], []);
        Assert.Empty(FaultDecider.Decide(plan, new FaultCall(1, "W01", "calculator", "{}", 0, TransportFaults.All)));
    }

    private static string Describe(IReadOnlyList<FaultDecision> decisions) =>
        string.Join("|", decisions.Select(d => $"{d.Kind}:{d.Fired}:{d.Inputs.Roll}:{string.Join(",", d.Parameters.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value))}"));
}

using System.Globalization;
using System.Text.Json;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Tests.Suites.Mast.Scenarios;

public sealed class MastInstancesTests
{
    private static readonly IReadOnlyList<long> Seeds = [.. Enumerable.Range(1, 40).Select(i => (long)i * 7919)];

    private static MastScenarioDefinition Scenario(string id) => MastScenarioCatalog.All.Single(s => s.Id == id);

    [Theory]
    [InlineData("mast-spec-b01", 42L)]
    [InlineData("mast-inter-e01", 7L)]
    [InlineData("mast-verif-i01", 20261130L)]
    public void Create_SameSeed_SameInstance(string id, long seed)
    {
        var first = MastInstances.Create(Scenario(id), seed);
        var second = MastInstances.Create(Scenario(id), seed);

        Assert.Equal(Render(first), Render(second));
    }

    [Fact]
    public void Create_AcrossSeeds_VariesIdsAgentAtFaultRateAndMode()
    {
        var instances = Seeds.Select(seed => MastInstances.Draw(Scenario("mast-spec-e01"), seed)).ToList();

        Assert.True(instances.Select(i => string.Join(",", i.Agents.Select(a => a.Id))).Distinct().Count() > 30);
        Assert.True(instances.Select(i => i.Faults[0].Agent.Split('-')[0]).Distinct().Count() >= 2);
        Assert.True(instances.Select(i => i.Faults[0].Rate).Distinct().Count() > 10);
        Assert.Equal(5, instances.SelectMany(i => i.Faults).Select(f => f.Kind).Where(k => MastFaultRules.ModeOf(k) is not null).Distinct().Count());
        Assert.True(instances.Select(i => i.Task.Items).Distinct().Count() >= 3);
        Assert.True(instances.Select(i => string.Join(",", i.Task.Constraints)).Distinct().Count() >= 5);
    }

    [Fact]
    public void Create_TwoScenariosOnOneSeed_DrawIndependently()
    {
        var a = MastInstances.Draw(Scenario("mast-spec-b01"), 5);
        var b = MastInstances.Draw(Scenario("mast-verif-b01"), 5);

        Assert.NotEqual(a.Agents.Select(x => x.Id), b.Agents.Select(x => x.Id));
    }

    [Fact]
    public void Create_EveryBuiltInOverSeeds_FollowsItsTierAndDocument()
    {
        foreach (var scenario in MastScenarioCatalog.All)
        {
            foreach (var seed in Seeds.Take(10))
            {
                var instance = MastInstances.Draw(scenario, seed);
                var modes = instance.Faults.Where(f => MastFaultRules.ModeOf(f.Kind) is not null).ToList();
                var backend = instance.Faults.Except(modes).ToList();

                Assert.Equal(instance.Agents.Count, instance.Agents.Select(a => a.Id).Distinct().Count());
                Assert.All(instance.Agents, a => Assert.Matches($"^{a.Role}-[1-9]$", a.Id));
                Assert.InRange(instance.Task.Items, 3, 6);
                Assert.InRange(modes.Count, 1, scenario.Tier == "expert" ? 2 : 1);
                Assert.Equal(scenario.Tier is "warmup" or "beginner" ? 0 : 1, backend.Count);
                Assert.All(modes, f => Assert.Equal(scenario.TaskId, MastTaxonomy.CategoryName(MastFaultRules.ModeOf(f.Kind)!.Category)));
                Assert.All(modes, f => Assert.InRange(f.Rate, scenario.Tier == "warmup" ? 0.8 : 0.65, scenario.Tier == "warmup" ? 0.95 : 0.9));
                Assert.All(instance.Faults, f => Assert.Contains(instance.Agent(f.Agent).Role, MastFaultRules.RolesFor(f.Kind)));
            }
        }
    }

    [Fact]
    public void Create_FaultParameters_FollowTheWorkItemAndTheWindow()
    {
        foreach (var scenario in MastScenarioCatalog.All)
        {
            foreach (var seed in Seeds)
            {
                var instance = MastInstances.Draw(scenario, seed);
                foreach (var fault in instance.Faults)
                {
                    var agent = instance.Agent(fault.Agent);
                    int Value(string name) => int.Parse(fault.Parameters[name], CultureInfo.InvariantCulture);
                    switch (fault.Kind)
                    {
                        case "task_spec_violation":
                            Assert.Contains(fault.Parameters["constraint"], instance.Task.Constraints);
                            Assert.DoesNotContain("constraints", agent.RoleSpec, StringComparison.Ordinal);
                            break;
                        case "history_loss":
                            Assert.InRange(Value("history_tokens"), agent.ContextWindowTokens + 1, 2 * agent.ContextWindowTokens);
                            Assert.Contains(fault.Parameters["constraint"], instance.Task.Constraints);
                            break;
                        case "role_drift":
                            Assert.Equal(MastPrompts.Vague, agent.RoleSpec);
                            break;
                        case "format_mismatch":
                            var next = instance.Agents[instance.Agents.ToList().IndexOf(agent) + 1];
                            Assert.Equal(("yaml", "json"), (agent.OutputFormat, next.InputFormat));
                            break;
                        case "incomplete_verification":
                            Assert.Equal(instance.Task.Items, Value("sections"));
                            Assert.InRange(Value("coverage"), 1, 2);
                            Assert.True(Value("coverage") * 5 >= Value("sections"), "a review depth of at most 5 covers every section");
                            break;
                        case "step_repetition":
                            Assert.InRange(Value("legit_repeats"), 0, 1);
                            break;
                        case "backend_rate_limit":
                            Assert.InRange(Value("retry_after_ms"), 800, 2500);
                            break;
                        case "backend_outage":
                            Assert.InRange(Value("outage_from_call"), 1, 3);
                            break;
                    }
                }
            }
        }
    }

    [Fact]
    public void Create_ExpertWithTwoModes_PutsThemOnTwoAgentsWhenThePipelineAllows()
    {
        var pairs = Seeds.Select(seed => MastInstances.Draw(Scenario("mast-spec-e01"), seed))
            .Select(i => i.Faults.Where(f => MastFaultRules.ModeOf(f.Kind) is not null).ToList())
            .Where(m => m.Count == 2)
            .ToList();

        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.NotEqual(p[0].Agent, p[1].Agent));
    }

    [Fact]
    public void Draw_BeyondWarmup_SomeHealthyAgentsHaveDefectivePromptsSoThePipelineAloneNamesNoCulprit()
    {
        var instances = MastScenarioCatalog.All.Where(d => d.Tier != "warmup").SelectMany(d => Seeds.Select(seed => MastInstances.Draw(d, seed))).ToList();
        var healthy = instances.SelectMany(i => i.Agents.Where(a => i.Faults.All(f => f.Agent != a.Id))).ToList();
        var decoyShare = (double)healthy.Count(a => a.RoleSpec == MastPrompts.Vague || (MastPrompts.Producers.Contains(a.Role) && !a.RoleSpec.Contains("Stop when", StringComparison.Ordinal))) / healthy.Count;

        Assert.InRange(decoyShare, 0.05, 0.4);
        var drifting = instances.Where(i => i.Faults.Any(f => f.Kind == MastFaultKinds.RoleDrift.Name)).ToList();
        Assert.Contains(drifting, i => i.Agents.Count(a => a.RoleSpec == MastPrompts.Vague) > 1);
    }

    [Fact]
    public void Draw_Warmup_OnlyTheAgentsAtFaultShowItInTheirPrompts()
    {
        var instances = MastScenarioCatalog.All.Where(d => d.Tier == "warmup").SelectMany(d => Seeds.Select(seed => MastInstances.Draw(d, seed)));

        Assert.All(instances, i => Assert.All(
            i.Agents.Where(a => i.Faults.All(f => f.Agent != a.Id)),
            a => Assert.NotEqual(MastPrompts.Vague, a.RoleSpec)));
    }

    private static string Render(MastInstance instance) => JsonSerializer.Serialize(new
    {
        instance.ScenarioId,
        instance.Seed,
        Agents = instance.Agents.Select(a => new { a.Id, a.Role, a.ContextWindowTokens, a.RoleSpec }),
        instance.Task,
        instance.Limits,
        Faults = instance.Faults.Select(f => new { f.Kind, f.Agent, f.Rate, Parameters = f.Parameters.OrderBy(p => p.Key).ToList() }),
    });
}

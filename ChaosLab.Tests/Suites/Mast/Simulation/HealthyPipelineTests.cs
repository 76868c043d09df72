using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

public sealed class HealthyPipelineTests
{
    public static TheoryData<string> Shapes => ["research_report", "plan_execute", "coordinated_report", "routed_execution"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void NoFaults_WithDefaults_EveryRunPasses(string shape)
    {
        var instance = Shape(shape).Build();

        var runs = PipelineSimulator.RunMany(instance, ResilienceConfig.Default, "heldout", 100);

        Assert.All(runs, r => Assert.True(r.Passed, r.FailureReason));
        Assert.All(runs, r => Assert.DoesNotContain(r.Logs, l => l.Level != "info"));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HealthyRun_GoesThroughEveryAgentAndEndsWithFinal(string shape)
    {
        var instance = Shape(shape).Build();

        var run = PipelineSimulator.Run(instance, ResilienceConfig.Default, new TrialKey("heldout", 0));

        Assert.Equal("task", run.Messages[0].Type);
        Assert.Equal("final", run.Messages[^1].Type);
        Assert.All(instance.Agents, a => Assert.Contains(run.Messages, m => m.From == a.Id));
        Assert.Equal(run.Messages.Select((_, i) => i + 1), run.Messages.Select(m => m.Seq));
        Assert.True(run.Messages.Zip(run.Messages.Skip(1)).All(p => p.First.AtMs <= p.Second.AtMs), "messages are in clock order");
        Assert.Equal(run.LatencyMs, run.Messages[^1].AtMs);
    }

    [Fact]
    public void Latency_IsSimulatedTime_ModelCallsTakeTheirUsualLatency()
    {
        var instance = MastInstanceBuilder.PlanExecute().Items(3).Build();

        var runs = PipelineSimulator.RunMany(instance, ResilienceConfig.Default, "heldout", 50);

        // planner + 3 executor steps + verifier: five calls of 300-2,500 ms each.
        Assert.All(runs, r => Assert.InRange(r.LatencyMs, 5 * 300, 5 * 2_500));
        Assert.All(runs, r => Assert.Equal(5, r.Turns));
    }

    private static MastInstanceBuilder Shape(string shape) => shape switch
    {
        "research_report" => MastInstanceBuilder.ResearchReport(),
        "plan_execute" => MastInstanceBuilder.PlanExecute(),
        "coordinated_report" => MastInstanceBuilder.Coordinated(),
        // A coordinator in the middle passes the plan on.
        _ => new MastInstanceBuilder()
            .Agent("planner-1", AgentRoles.Planner, "text", "json")
            .Agent("coordinator-1", AgentRoles.Coordinator, "json", "json")
            .Agent("executor-1", AgentRoles.Executor, "json", "json")
            .Agent("verifier-1", AgentRoles.Verifier, "text", "text"),
    };
}

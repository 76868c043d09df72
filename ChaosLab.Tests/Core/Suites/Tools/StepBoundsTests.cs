using System.Text.Json;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Core.Suites.Tools.Agents;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>The step limits a scenario may set: the floor is what the resilient agent needs, the ceiling the task's limit.</summary>
public sealed class StepBoundsTests
{
    [Fact]
    public void For_EveryBuiltInScenario_HoldsItsStepLimitAndEndsAtTheTasksLimit()
    {
        foreach (var scenario in ScenarioCatalog.All)
        {
            var task = ScenarioCatalog.Tasks.Single(t => t.Id == scenario.TaskId);
            var (min, max) = StepBounds.For(scenario);

            Assert.Equal(task.MaxSteps, max);
            Assert.InRange(scenario.StepLimit ?? task.MaxSteps, min, max);
        }
    }

    [Fact]
    public void For_HopsActionsAndDesignedFaults_EachCostTheirCalls()
    {
        Assert.Equal((3, 6), StepBounds.For("task1", ScenarioFamily.Population, [TransportFaults.Timeout]));
        Assert.Equal((4, 6), StepBounds.For("task1", ScenarioFamily.Population, [ToolsFaultKinds.StaleData]));
        Assert.Equal((5, 6), StepBounds.For("task1", ScenarioFamily.CeoMultiHop, [TransportFaults.Timeout]));
        Assert.Equal((5, 8), StepBounds.For("task2", ScenarioFamily.TicketRevenue, []));
        Assert.Equal((7, 10), StepBounds.For("task3", ScenarioFamily.Density, [ToolsFaultKinds.SchemaDrift, TransportFaults.Timeout, TransportFaults.RateLimit]));
        Assert.Equal(6, StepBounds.For("task1", ScenarioFamily.CeoMultiHop, [ToolsFaultKinds.StaleData, ToolsFaultKinds.StaleData]).Min);
    }

    /// <summary>
    /// The floor is real: at exactly that many steps, with no background faults, the resilient
    /// agent answers every built-in scenario it answers at the task's limit. I16 is the known
    /// exception: its two silent faults hit both hops of the question, and the floor counts each
    /// designed fault once.
    /// </summary>
    [Fact]
    public async Task Floor_BuiltInScenariosWithoutBackgroundFaults_ResilientAgentAnswersAsAtTheLimit()
    {
        var failures = new List<string>();
        foreach (var scenario in ScenarioCatalog.All.Where(s => s.Id != "I16"))
        {
            var (min, _) = StepBounds.For(scenario);
            for (long seed = 1; seed <= 4; seed++)
            {
                var atLimit = await PlayAsync(scenario with { FaultProbability = 0 }, seed);
                var atFloor = await PlayAsync(scenario with { FaultProbability = 0, StepLimit = min }, seed);
                if (atLimit == "correct" && atFloor != "correct")
                {
                    failures.Add($"{scenario.Id} seed {seed} at {min} steps: {atFloor}");
                }
            }
        }

        Assert.Empty(failures);
    }

    private static async Task<string> PlayAsync(ScenarioDefinition definition, long seed)
    {
        using var session = (ToolsSession)Suite.CreateSession();
        var agent = new ResilientAgent();
        var step = session.Start(definition, seed, "floor").Value!;
        while (!step.Done)
        {
            using var action = JsonDocument.Parse(agent.NextAction(step.Observation).ToJsonString());
            step = (await session.StepAsync(action.RootElement)).Value!;
        }

        return step.Grade!.Outcome;
    }
}

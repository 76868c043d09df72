using ChaosLab.Core.Harness;

namespace ChaosLab.Core.Agents;

/// <summary>A scripted <see cref="IAgent"/> as an <see cref="IEpisodeAgent"/>, so evaluation runs can play reference agents without a model.</summary>
public sealed class ScriptedEpisodeAgent(ReferenceAgent agent) : IEpisodeAgent
{
    /// <summary>Turns a scripted agent may take beyond the task's step limit before it is stopped.</summary>
    private const int SpareTurns = 10;

    public string Name => agent.Name;

    public async Task<AgentEpisodeTrace> PlayAsync(IEnvironmentPort port, TaskBrief task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(task);
        var player = agent.Create();
        var trace = new AgentEpisodeTrace();
        var step = port.First;
        for (var turn = 0; !step.Done && turn < task.MaxSteps + SpareTurns; turn++)
        {
            var action = player.NextAction(step.Observation);
            step = await port.StepAsync(action, cancellationToken);
            trace.Actions.Add(new TracedAction(step.StepIndex, action.ToJsonString(), step.Refusal));
        }

        trace.Finished = step.Done;
        return trace;
    }
}

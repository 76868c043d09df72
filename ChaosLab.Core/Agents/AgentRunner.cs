using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Agents;

/// <summary>Plays one episode of an agent against a session.</summary>
public static class AgentRunner
{
    /// <returns>The final step (with the grade), or null if the agent's action was refused.</returns>
    public static async ValueTask<StepResult?> RunAsync(IAgent agent, IEpisodeSession session, ResetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(session);
        var reset = session.Reset(options);
        if (!reset.Succeeded)
        {
            return null;
        }

        var observation = reset.Value!.Observation;
        for (var guard = 0; guard < 100; guard++)
        {
            var action = agent.NextAction(observation);
            using var document = JsonDocument.Parse(action.ToJsonString());
            var step = await session.StepAsync(document.RootElement, cancellationToken);
            if (!step.Succeeded)
            {
                return null;
            }

            if (step.Value!.Done)
            {
                return step.Value;
            }

            observation = step.Value.Observation;
        }

        return null;
    }
}

using System.Text.Json.Nodes;

namespace ChaosLab.Core.Agents;

/// <summary>
/// The environment as an agent played in process meets it: exactly what an external agent gets
/// over the wire (the observation, the reward, <c>done</c>, the refusal of an unreadable action),
/// never the step record, the fault decisions or the grade. The LLM agent and its harness see the
/// environment only through this, so they cannot use what a sealed episode hides.
/// </summary>
public interface IEnvironmentPort
{
    /// <summary>The reset observation of the episode the port was opened on.</summary>
    AgentStep First { get; }

    /// <summary>Sends one action (the bare wire object); a refused envelope spends no step.</summary>
    Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken);
}

/// <param name="Observation">What the agent sees; for a refused action, the previous observation.</param>
/// <param name="Refusal">Why the server refused the action without spending a step, else null.</param>
/// <param name="StepIndex">The environment's step count after this reply (0 for the reset).</param>
public sealed record AgentStep(JsonObject Observation, double Reward, bool Done, string? Refusal, int StepIndex);

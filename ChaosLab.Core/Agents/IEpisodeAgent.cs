using ChaosLab.Core.Harness;

namespace ChaosLab.Core.Agents;

/// <summary>
/// An agent that plays a whole episode through an <see cref="IEnvironmentPort"/>: the LLM agent,
/// or a scripted agent adapted by <see cref="ScriptedEpisodeAgent"/>. What evaluation runs play.
/// </summary>
public interface IEpisodeAgent
{
    /// <summary>The name episodes are recorded under (the profile's, with the harness variant).</summary>
    string Name { get; }

    /// <summary>
    /// Plays until the environment says done or the agent gives up. Throws only for a failure of
    /// the agent itself that a person must see (the model endpoint unreachable after retries,
    /// refused credentials); <see cref="AgentEpisodeTrace.Error"/> carries softer ones.
    /// </summary>
    Task<AgentEpisodeTrace> PlayAsync(IEnvironmentPort port, TaskBrief task, CancellationToken cancellationToken);
}

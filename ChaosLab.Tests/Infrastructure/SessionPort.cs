using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>
/// A session as the in-process agent meets it, for tests: reset once, then each action stepped
/// with only what a wire client would see (observation, reward, done, refusal). The session's
/// records stay with the test (<see cref="Session"/>) for its assertions.
/// </summary>
public sealed class SessionPort : IEnvironmentPort
{
    private AgentStep _last;

    private SessionPort(IEpisodeSession session, AgentStep first)
    {
        Session = session;
        First = first;
        _last = first;
    }

    public IEpisodeSession Session { get; }

    public AgentStep First { get; }

    /// <summary>The last step's full result (the grade on the final one), for assertions.</summary>
    public StepResult? LastResult { get; private set; }

    /// <exception cref="InvalidOperationException">The reset was refused.</exception>
    public static SessionPort Open(IEpisodeSession session, ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        var reset = session.Reset(options);
        if (!reset.Succeeded)
        {
            throw new InvalidOperationException("reset refused: " + string.Join("; ", reset.Errors.Select(e => e.Message)));
        }

        var first = reset.Value!;
        return new SessionPort(session, new AgentStep(first.Observation, first.Reward, first.Done, null, 0));
    }

    /// <summary>The brief of the session's episode, from its suite's public descriptors.</summary>
    public static TaskBrief Brief(ISuite suite, IEpisodeSession session)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(session);
        var episode = session.Episode ?? throw new InvalidOperationException("the session has no episode");
        var task = suite.Tasks.Single(t => t.Id == episode.TaskId);
        var scenario = suite.Scenarios.FirstOrDefault(s => s.Id == episode.ScenarioId);
        return new TaskBrief(suite.Name, task.Id, task.Title, task.Guidance, episode.Tier, scenario?.Family ?? "", episode.MaxSteps);
    }

    public async Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var document = JsonDocument.Parse(action.ToJsonString());
        var result = await Session.StepAsync(document.RootElement, cancellationToken);
        if (!result.Succeeded)
        {
            _last = _last with { Refusal = string.Join("; ", result.Errors.Select(e => (e.Path.Length == 0 ? "" : e.Path + ": ") + e.Message)), Reward = 0 };
            return _last;
        }

        LastResult = result.Value!;
        _last = new AgentStep(result.Value!.Observation, result.Value.Reward, result.Value.Done, null, result.Value.Record.Index);
        return _last;
    }
}

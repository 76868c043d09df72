using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// The runner's view of what passed through an agent's port: each action sent and the reply it
/// got, exactly as the agent saw them (for the openenv transcript and the steps of an episode
/// the agent left unfinished).
/// </summary>
internal sealed class ObservedPort(IEnvironmentPort inner) : IEnvironmentPort
{
    // The transcript is read by people and parsers, not embedded in HTML: an apostrophe in a SQL
    // string stays an apostrophe rather than \u0027.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<ObservedStep> _steps = [];

    public AgentStep First => inner.First;

    public IReadOnlyList<ObservedStep> Steps => _steps;

    /// <summary>The environment's step count after the last reply.</summary>
    public int StepCount => _steps.Count == 0 ? First.StepIndex : _steps[^1].Reply.StepIndex;

    public async Task<AgentStep> StepAsync(JsonObject action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var sent = action.ToJsonString(Readable);
        var reply = await inner.StepAsync(action, cancellationToken);
        _steps.Add(new ObservedStep(sent, reply));
        return reply;
    }
}

/// <param name="Action">The action as compact JSON, as it was sent.</param>
internal sealed record ObservedStep(string Action, AgentStep Reply);

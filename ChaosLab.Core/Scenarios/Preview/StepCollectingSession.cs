using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Scenarios.Preview;

/// <summary>A session that keeps every step it returns, so an episode played by <see cref="Agents.AgentRunner"/> can be read back.</summary>
internal sealed class StepCollectingSession(IEpisodeSession inner) : IEpisodeSession
{
    private readonly List<StepResult> _steps = [];

    public IReadOnlyList<StepResult> Steps => _steps;

    public JsonObject State => inner.State;

    public EpisodeInfo? Episode => inner.Episode;

    public EnvironmentResult<StepResult> Reset(ResetOptions options)
    {
        _steps.Clear();
        return inner.Reset(options);
    }

    public async ValueTask<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken = default)
    {
        var step = await inner.StepAsync(action, cancellationToken);
        if (step.Succeeded)
        {
            _steps.Add(step.Value!);
        }

        return step;
    }

    public void Dispose() => inner.Dispose();
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Environment;

/// <summary>
/// Runs one episode at a time. Not thread-safe: the host serializes calls on a session.
/// Same suite, reset options and actions give byte-identical observations and rewards.
/// </summary>
public interface IEpisodeSession : IDisposable
{
    /// <summary>Starts a new episode, abandoning any running one.</summary>
    /// <returns>The first observation, or the reasons the options were refused (nothing changes then).</returns>
    EnvironmentResult<StepResult> Reset(ResetOptions options);

    /// <summary>
    /// Applies one action, given as the bare JSON object an agent sent. A malformed envelope
    /// (not an object, unknown <c>type</c>, missing required field) is refused without spending
    /// a step; a well-formed action that fails (unknown tool, bad arguments) is a step whose
    /// observation shows the error.
    /// </summary>
    ValueTask<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken = default);

    /// <summary>The full state of the current episode (never the answer key while it runs).</summary>
    JsonObject State { get; }

    /// <summary>The running or last finished episode, or null before the first reset.</summary>
    EpisodeInfo? Episode { get; }
}

/// <summary>
/// What a client may choose at reset. Anything else (scenario content, step limits, grades) is
/// fixed by the suite. Unset fields fall back to the suite's defaults; an unset seed is drawn
/// by the host and recorded, so every episode is reproducible.
/// </summary>
public sealed record ResetOptions
{
    public string? TaskId { get; init; }
    public string? Tier { get; init; }
    public string? ScenarioId { get; init; }
    public long Seed { get; init; }
    public string? EpisodeId { get; init; }

    /// <summary>Sealed episodes hide their seed and pay no truth-dependent step rewards (see <see cref="EpisodeMode"/>).</summary>
    public EpisodeMode Mode { get; init; }
}

/// <summary>Identity of an episode, as recorded.</summary>
/// <param name="Prompt">What the agent is asked to do (the tools suite: its question), recorded and searchable for any suite.</param>
public sealed record EpisodeInfo(
    string EpisodeId,
    string Suite,
    string TaskId,
    string Tier,
    string ScenarioId,
    int ScenarioVersion,
    long Seed,
    int MaxSteps,
    EpisodeMode Mode = EpisodeMode.Practice,
    string? Prompt = null);

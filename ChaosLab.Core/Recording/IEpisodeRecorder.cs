using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Recording;

/// <summary>
/// Records every episode from every client. Calls return without waiting for the database,
/// except for the step that ends an episode: that one completes only once the whole episode
/// is durable, so a client that has its final reply can rely on it being stored.
/// </summary>
public interface IEpisodeRecorder
{
    /// <summary>A reset succeeded: a new episode begins (an episode id seen before is an error of the caller).</summary>
    void EpisodeStarted(EpisodeStart start, StepResult reset);

    /// <summary>
    /// A step of a running episode. Completes at once unless <paramref name="result"/> ends the
    /// episode; then it completes when the episode is durable (or fails if it cannot be stored
    /// after retries, which the host reports but which must not break the session).
    /// </summary>
    ValueTask StepRecordedAsync(string episodeId, StepResult result, TimeSpan wallTime, CancellationToken cancellationToken = default);

    /// <summary>The client went away, was reaped or reset mid-episode: the episode ends unfinished.</summary>
    void EpisodeAbandoned(string episodeId, string reason);

    /// <summary>Healthy, or degraded with the reason (e.g. the store rejects writes and they are being retried).</summary>
    RecorderHealth Health { get; }
}

/// <param name="Agent">The label the client gave at reset (default "anonymous"), or "human" for the playground.</param>
/// <param name="ClientKind">"ws", "http", "mcp", "ui" or "eval".</param>
public sealed record EpisodeStart(EpisodeInfo Episode, string Agent, string ClientKind, DateTimeOffset StartedAt);

public sealed record RecorderHealth(bool Healthy, string? Reason)
{
    public static RecorderHealth Ok { get; } = new(true, null);
}

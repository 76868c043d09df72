using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Where an evaluation's sealed episodes start: on the server, through the same gateway and
/// capacity as every client's (client kind <c>eval</c>), so they are recorded like any episode.
/// </summary>
public interface IEvaluationEpisodes
{
    /// <summary>
    /// Whether a session is free here now. A full replica claims no item (another replica with
    /// room plays it); one that fills up between its claim and the start waits (see <see cref="StartAsync"/>).
    /// </summary>
    bool HasFreeSession { get; }

    /// <summary>
    /// Starts a sealed episode of <paramref name="item"/> on the seed every agent of
    /// <paramref name="evaluation"/> gets for that scenario and seed index (so runs pair seed by
    /// seed); null when the server is at capacity (clients come first: the caller waits and retries).
    /// </summary>
    /// <param name="evaluation">Names the derivation of the sealed seeds: the assignment's name and split.</param>
    /// <param name="episodeId">The id the episode is recorded under (chosen by the caller, which claimed the item with it).</param>
    /// <param name="agent">The name the episode is recorded under.</param>
    /// <exception cref="InvalidOperationException">The episode could not start for another reason (the message says why).</exception>
    Task<IEvaluationEpisode?> StartAsync(RunItemSpec item, string evaluation, string episodeId, string agent, CancellationToken cancellationToken);
}

/// <summary>
/// One running sealed episode: the agent gets <see cref="Port"/> (what a wire client sees), the
/// runner alone reads <see cref="Final"/> with its grade. Disposing closes the session; an
/// episode that has not ended is then recorded as abandoned.
/// </summary>
public interface IEvaluationEpisode : IAsyncDisposable
{
    string EpisodeId { get; }

    IEnvironmentPort Port { get; }

    /// <summary>The step that ended the episode, with its grade; null while it runs or if it never ended.</summary>
    StepResult? Final { get; }
}

using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Creates, plays, resumes and cancels evaluation runs: what the command line, <c>/api/runs</c>
/// and the dashboard's runs page all go through. The store is the truth: a run's items are played
/// by every replica with free slots, and a cancel reaches all of them.
/// </summary>
public interface IEvaluationRuns
{
    /// <summary>Validates <paramref name="assignment"/> (agent, suites, tasks, tiers, scenarios) and stores it as a queued run.</summary>
    /// <param name="origin">"cli", "web" or "api".</param>
    Task<EnvironmentResult<RunSummary>> CreateAsync(Assignment assignment, string origin, CancellationToken cancellationToken = default);

    /// <summary>Stores the runs of an ablation: all layers, none, and each layer off in turn (sharing one ablation id).</summary>
    Task<EnvironmentResult<IReadOnlyList<RunSummary>>> CreateAblationAsync(Assignment assignment, string origin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts or resumes a stored run (queued, interrupted, cancelled or failed: its pending items)
    /// in the background: it is running in the store, so every replica with free slots plays its
    /// items, this one included; false if it is already asked for here. A completed or unknown run
    /// ends at once, unchanged (the store is read in the background).
    /// </summary>
    bool Start(string runId);

    /// <summary>
    /// Plays a stored run to its end in the caller's time (the command line), reporting each item
    /// this process plays; returns once the run is over in the store (whichever replica finished
    /// it) and nothing of it plays here. Cancelling the caller's token cancels the run.
    /// </summary>
    Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a queued or running run in the store, whichever replica plays it: items playing here
    /// go back to pending at once, those of other replicas at their next lease renewal. False for
    /// a run already over, or unknown.
    /// </summary>
    Task<bool> CancelAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Whether this process was asked to play the run or plays one of its items now.</summary>
    bool IsActive(string runId);

    /// <summary>Every progress event of the runs and items played in this process, until the subscription is disposed.</summary>
    IDisposable Subscribe(Action<RunProgress> onProgress);
}

/// <summary>A run moved: an item started or finished, or the run itself changed status.</summary>
/// <param name="Item">The item that moved, or null for a change of the run only.</param>
public sealed record RunProgress(RunSummary Run, RunItem? Item);

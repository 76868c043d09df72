using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Creates, plays, resumes and cancels evaluation runs in this process: what the command line,
/// <c>/api/runs</c> and the dashboard's runs page all go through.
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
    /// in the background; false if it is already playing in this process. A completed or unknown
    /// run ends at once, unchanged (the store is read in the background).
    /// </summary>
    bool Start(string runId);

    /// <summary>Plays a stored run to its end in the caller's time (the command line), reporting each finished item.</summary>
    Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Stops a playing run: running items go back to pending, the run is recorded as cancelled.</summary>
    bool Cancel(string runId);

    bool IsActive(string runId);

    /// <summary>Every progress event of every run played in this process, until the subscription is disposed.</summary>
    IDisposable Subscribe(Action<RunProgress> onProgress);
}

/// <summary>A run moved: an item started or finished, or the run itself changed status.</summary>
/// <param name="Item">The item that moved, or null for a change of the run only.</param>
public sealed record RunProgress(RunSummary Run, RunItem? Item);

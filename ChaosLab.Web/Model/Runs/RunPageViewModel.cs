using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Model.Runs;

/// <summary>
/// One run's page: its summary, its items, the charts of its scores by suite, task and tier, and
/// the other runs of its ablation. Live while the run is not over, as the runs list is.
/// </summary>
public sealed class RunPageViewModel(RunStore store, IEvaluationRuns runs, TimeProvider timeProvider) : IDisposable
{
    private Func<Action, Task> _dispatch = work =>
    {
        work();
        return Task.CompletedTask;
    };

    private RunLiveUpdates? _live;

    /// <summary>Raised, on the dispatcher, after a live refresh changed the run.</summary>
    public event Action? Changed;

    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public bool NotFound { get; private set; }

    public RunSummary? Run { get; private set; }

    public IReadOnlyList<RunItem> Items { get; private set; } = [];

    /// <summary>The runs of the ablation this run belongs to, oldest first (empty when it belongs to none).</summary>
    public IReadOnlyList<RunSummary> Ablation { get; private set; } = [];

    public IReadOnlyList<RunGroup> BySuite { get; private set; } = [];

    public IReadOnlyList<RunGroup> ByTask { get; private set; } = [];

    public IReadOnlyList<RunGroup> ByTier { get; private set; } = [];

    public ChartFigure SuiteFigure { get; private set; } = ChartFigure.Empty;

    public ChartFigure TaskFigure { get; private set; } = ChartFigure.Empty;

    public ChartFigure TierFigure { get; private set; } = ChartFigure.Empty;

    /// <summary>The harness layers that intervened in any item, in layer order ("h2".."h5").</summary>
    public IReadOnlyList<string> InterventionLayers { get; private set; } = [];

    public bool IsLive => _live is not null;

    public DateTimeOffset Now => timeProvider.GetUtcNow();

    public void UseDispatcher(Func<Action, Task> dispatch) => _dispatch = dispatch ?? throw new ArgumentNullException(nameof(dispatch));

    /// <param name="live">Follow the run while it is not over (only in an interactive circuit).</param>
    public async Task LoadAsync(string runId, bool live = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        StopLive();
        NotFound = false;
        State = LoadState.Loading;
        try
        {
            var snapshot = await ReadAsync(runId, cancellationToken);
            if (snapshot is null)
            {
                NotFound = true;
                State = LoadState.Empty;
                return;
            }

            Apply(snapshot);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The run could not be read: {ex.Message}";
            return;
        }

        if (live && !RunStatus.IsFinal(Run!.Status))
        {
            _live = new RunLiveUpdates(runs, timeProvider, p => p.Run.Id == runId, () => RefreshAsync(runId));
        }
    }

    /// <summary>Cancels the run in the store, whichever replicas play it; false if it was over already. The summary is read again.</summary>
    public async Task<bool> CancelAsync()
    {
        if (Run is not { } run)
        {
            return false;
        }

        var cancelled = await runs.CancelAsync(run.Id);
        Run = await store.FindAsync(run.Id) ?? run;
        return cancelled;
    }

    /// <summary>Whether the run can still be cancelled (queued or running, on any replica).</summary>
    public bool CanCancel => Run is { Status: RunStatus.Queued or RunStatus.Running };

    /// <summary>The interventions of <paramref name="layer"/> in an item, or 0.</summary>
    public static int Interventions(RunItem item, string layer) => item.Interventions.GetValueOrDefault(layer);

    private async Task RefreshAsync(string runId)
    {
        try
        {
            var snapshot = await ReadAsync(runId, CancellationToken.None);
            await _dispatch(() =>
            {
                if (snapshot is not null)
                {
                    Apply(snapshot);
                    if (RunStatus.IsFinal(snapshot.Run.Status))
                    {
                        // Over: nothing moves any more.
                        StopLive();
                    }
                }

                Changed?.Invoke();
            });
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            await _dispatch(() =>
            {
                Error = $"The run could not be refreshed: {ex.Message}";
                Changed?.Invoke();
            });
        }
    }

    private async Task<Snapshot?> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await store.FindAsync(runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var items = await store.ItemsAsync(runId, cancellationToken);
        var ablation = run.AblationId is { } ablationId ? await store.AblationAsync(ablationId, cancellationToken) : [];
        return new Snapshot(run, items, ablation);
    }

    private void Apply(Snapshot snapshot)
    {
        Run = snapshot.Run;
        Items = snapshot.Items;
        Ablation = snapshot.Ablation;
        BySuite = RunBreakdown.By(Items, i => i.Suite);
        ByTask = RunBreakdown.By(Items, i => $"{i.Suite}/{i.TaskId}");
        ByTier = RunBreakdown.By(Items, i => i.Tier);
        SuiteFigure = RunBreakdown.Figure(BySuite, "suite");
        TaskFigure = RunBreakdown.Figure(ByTask, "task");
        TierFigure = RunBreakdown.Figure(ByTier, "tier");
        InterventionLayers = [.. Items.SelectMany(i => i.Interventions.Where(p => p.Value > 0).Select(p => p.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Error = null;
        State = LoadState.Ready;
    }

    private void StopLive()
    {
        _live?.Dispose();
        _live = null;
    }

    public void Dispose() => StopLive();

    private sealed record Snapshot(RunSummary Run, IReadOnlyList<RunItem> Items, IReadOnlyList<RunSummary> Ablation);
}

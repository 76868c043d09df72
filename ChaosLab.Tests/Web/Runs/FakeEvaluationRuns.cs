using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;

namespace ChaosLab.Tests.Web.Runs;

/// <summary>
/// A stand-in for the evaluation service in view-model and component tests: it stores what it is
/// asked to create through the real <see cref="RunStore"/>, records starts and cancels (in the store, as the service does), and lets a
/// test publish progress events. Endpoint and browser tests use the real service.
/// </summary>
public sealed class FakeEvaluationRuns(RunStore store) : IEvaluationRuns
{
    private readonly List<Action<RunProgress>> _subscribers = [];

    public List<(Assignment Assignment, string Origin)> Created { get; } = [];

    public List<string> Started { get; } = [];

    public HashSet<string> Active { get; } = [];

    /// <summary>Errors the next create answers with instead of storing a run.</summary>
    public IReadOnlyList<ValidationError>? Refuse { get; set; }

    public int Subscribers
    {
        get
        {
            lock (_subscribers)
            {
                return _subscribers.Count;
            }
        }
    }

    public async Task<EnvironmentResult<RunSummary>> CreateAsync(Assignment assignment, string origin, CancellationToken cancellationToken = default)
    {
        Created.Add((assignment, origin));
        if (Refuse is { } errors)
        {
            return EnvironmentResult<RunSummary>.Invalid(errors);
        }

        return EnvironmentResult<RunSummary>.Success(await StoreAsync(assignment, origin, null, null, cancellationToken));
    }

    public async Task<EnvironmentResult<IReadOnlyList<RunSummary>>> CreateAblationAsync(Assignment assignment, string origin, CancellationToken cancellationToken = default)
    {
        Created.Add((assignment, origin));
        var ablationId = Guid.NewGuid().ToString("N");
        IReadOnlyList<RunSummary> runs =
        [
            await StoreAsync(assignment, origin, ablationId, "all", cancellationToken),
            await StoreAsync(assignment with { Harness = ChaosLab.Core.Harness.HarnessOptions.None }, origin, ablationId, "none", cancellationToken),
        ];
        return EnvironmentResult<IReadOnlyList<RunSummary>>.Success(runs);
    }

    /// <summary>Records the start and makes the run running in the store, as the service does (nothing plays it).</summary>
    public bool Start(string runId)
    {
        Started.Add(runId);
        Active.Add(runId);
        store.ResumeAsync(runId).GetAwaiter().GetResult();
        return true;
    }

    public Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The dashboard never plays a run in the caller's time.");

    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        Active.Remove(runId);
        return await store.EndAsync(runId, RunStatus.Cancelled, cancellationToken: cancellationToken);
    }

    public bool IsActive(string runId) => Active.Contains(runId);

    public IDisposable Subscribe(Action<RunProgress> onProgress)
    {
        lock (_subscribers)
        {
            _subscribers.Add(onProgress);
        }

        return new Subscription(this, onProgress);
    }

    public void Publish(RunProgress progress)
    {
        Action<RunProgress>[] subscribers;
        lock (_subscribers)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(progress);
        }
    }

    private Task<RunSummary> StoreAsync(Assignment assignment, string origin, string? ablationId, string? variant, CancellationToken cancellationToken) =>
        store.CreateAsync(
            new NewRun(assignment.Name, assignment.Agent.Reference ?? assignment.Agent.Profile!, null, assignment.Harness.Label, "{}", origin, ablationId, variant),
            [.. assignment.Tasks.Select((t, i) => new RunItemSpec(t.Suite, "task1", "warmup", $"s{i}", 1, 1))],
            cancellationToken);

    private sealed class Subscription(FakeEvaluationRuns owner, Action<RunProgress> subscriber) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._subscribers)
            {
                owner._subscribers.Remove(subscriber);
            }
        }
    }
}

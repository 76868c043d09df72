using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>
/// A preview the test drives: the schedule it is given, and a run that reports what the test
/// tells it to and finishes (or sees its cancellation) when the test says so.
/// </summary>
internal sealed class FakeScenarioPreview : IScenarioPreview
{
    private readonly TaskCompletionSource<ScenarioPreviewResult> _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IProgress<PreviewProgress>? _progress;

    public FaultSchedule? Schedule { get; set; }

    public List<(ScenarioDocument Document, long Seed)> ScheduleCalls { get; } = [];

    public PreviewRequest? Request { get; private set; }

    /// <summary>Completes with true when a started run saw its cancellation.</summary>
    public TaskCompletionSource<bool> Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    FaultSchedule IScenarioPreview.Schedule(ScenarioDocument document, long seed, int maxCalls)
    {
        ScheduleCalls.Add((document, seed));
        return Schedule ?? throw new InvalidOperationException("the suite has no reference agent");
    }

    public async Task<ScenarioPreviewResult> RunAsync(PreviewRequest request, IProgress<PreviewProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Request = request;
        _progress = progress;
        Started.TrySetResult();
        try
        {
            return await _finish.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Canceled.TrySetResult(true);
            throw;
        }
    }

    public void Report(int completed, int total) => _progress!.Report(new PreviewProgress(completed, total));

    public void Finish(ScenarioPreviewResult result) => _finish.SetResult(result);
}

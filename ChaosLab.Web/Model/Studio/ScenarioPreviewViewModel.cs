using System.Globalization;
using System.Text.Json;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;

namespace ChaosLab.Web.Model.Studio;

public enum PreviewRunState
{
    Idle,
    Running,
    Done,
    Canceled,
    Failed,
}

/// <summary>
/// The preview panel: one seed's fault schedule, and a run of the suite's reference agents and
/// cheats over K seeds. Both play episodes, so both run off the circuit's thread.
/// </summary>
public sealed class ScenarioPreviewViewModel(IScenarioPreview preview)
{
    public const int DefaultSeeds = 20;
    public const int MaxSeeds = 200;

    /// <summary>The run plays seeds 1 to K: the same seeds every time, so two runs of a document agree.</summary>
    public const long FirstSeed = 1;

    /// <summary>How many characters of a call's arguments the schedule shows before cutting (the rest on hover).</summary>
    public const int ArgumentsShown = 60;

    private PreviewProgress? _progress;

    public long ScheduleSeed { get; set; } = 1;

    public FaultSchedule? Schedule { get; private set; }

    public bool ScheduleBusy { get; private set; }

    public string? ScheduleError { get; private set; }

    public int Seeds { get; set; } = DefaultSeeds;

    public string? SeedsError => Seeds is < 1 or > MaxSeeds ? $"Between 1 and {MaxSeeds} seeds." : null;

    public PreviewRunState RunState { get; private set; }

    /// <summary>The latest progress the run reported (written from the run's thread).</summary>
    public PreviewProgress? Progress => Volatile.Read(ref _progress);

    public ScenarioPreviewResult? Result { get; private set; }

    public string? RunError { get; private set; }

    public IReadOnlyList<AgentPreviewScore> ReferenceAgents => Result?.Agents.Where(a => !a.IsExploit).ToList() ?? [];

    public IReadOnlyList<AgentPreviewScore> Exploits => Result?.Agents.Where(a => a.IsExploit).ToList() ?? [];

    private JsonElement? _resultContent;

    /// <summary>The result was computed for another version of the document than <paramref name="document"/>.</summary>
    public bool IsStale(ScenarioDocument? document) =>
        _resultContent is { } content && (document is null || !JsonElement.DeepEquals(content, document.Content));

    public async Task ShowScheduleAsync(ScenarioDocument document)
    {
        ScheduleBusy = true;
        ScheduleError = null;
        try
        {
            var seed = ScheduleSeed;
            Schedule = await Task.Run(() => preview.Schedule(document, seed));
        }
        catch (Exception ex)
        {
            Schedule = null;
            ScheduleError = $"The fault schedule could not be computed: {ex.Message}";
        }
        finally
        {
            ScheduleBusy = false;
        }
    }

    /// <summary>Plays the preview; <paramref name="progressed"/> is called from the run's thread after each episode.</summary>
    public async Task RunAsync(ScenarioDocument document, Action progressed, CancellationToken cancellationToken)
    {
        if (SeedsError is not null)
        {
            return;
        }

        RunState = PreviewRunState.Running;
        Volatile.Write(ref _progress, null);
        Result = null;
        _resultContent = null;
        RunError = null;
        var request = new PreviewRequest(document, FirstSeed, Seeds);
        var progress = new CallbackProgress(p =>
        {
            Volatile.Write(ref _progress, p);
            progressed();
        });
        try
        {
            // Task.Run: an implementation that plays synchronously must not hold the circuit.
            Result = await Task.Run(() => preview.RunAsync(request, progress, cancellationToken), cancellationToken);
            _resultContent = document.Content.Clone();
            RunState = PreviewRunState.Done;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RunState = PreviewRunState.Canceled;
        }
        catch (Exception ex)
        {
            RunState = PreviewRunState.Failed;
            RunError = $"The preview failed: {ex.Message}";
        }
    }

    public static string Truncate(string arguments) =>
        arguments.Length <= ArgumentsShown ? arguments : arguments[..(ArgumentsShown - 1)] + "…";

    public static string ScoreText(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A score (0 to 1) as a bar length in percent.</summary>
    public static double BarPercent(double score) => Math.Clamp(score, 0, 1) * 100;

    public static string RangeText(AgentPreviewScore score) => $"{ScoreText(score.MinScore)}–{ScoreText(score.MaxScore)}";

    private sealed class CallbackProgress(Action<PreviewProgress> report) : IProgress<PreviewProgress>
    {
        public void Report(PreviewProgress value) => report(value);
    }
}

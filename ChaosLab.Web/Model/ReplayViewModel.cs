using System.Globalization;
using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;

namespace ChaosLab.Web.Model;

public enum ReplayMove
{
    First,
    Previous,
    Next,
    Last,
}

/// <summary>
/// State of the episode replay: the trajectory, the selected step, playback, and live steps of
/// an episode still running. Everything that changes the state off the UI thread (the playback
/// timer, the episode feed) goes through the dispatcher given to <see cref="UseDispatcher"/>.
/// </summary>
public sealed class ReplayViewModel(EpisodeStore store, IEpisodeFeed feed, TimeProvider timeProvider) : IDisposable
{
    /// <summary>How long playback stays on a step.</summary>
    public static readonly TimeSpan PlayInterval = TimeSpan.FromSeconds(1);

    private readonly List<ReplayStep> _steps = [];
    private readonly List<EpisodeFeedEvent> _pending = [];
    private Func<Action, Task> _dispatch = work =>
    {
        work();
        return Task.CompletedTask;
    };

    private IDisposable? _subscription;
    private ITimer? _playTimer;
    private bool _loaded;
    private bool _disposed;

    /// <summary>Raised, on the dispatcher, after the timer or the feed changed the state.</summary>
    public event Action? Changed;

    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    /// <summary>The id asked for matched no recorded episode.</summary>
    public bool NotFound { get; private set; }

    public string? EpisodeId { get; private set; }

    public EpisodeSummary? Episode { get; private set; }

    public IReadOnlyList<ReplayStep> Steps => _steps;

    public EpisodeGrade? Grade { get; private set; }

    /// <summary>The answer key, indented; only known once the episode is graded.</summary>
    public string? AnswerKey { get; private set; }

    /// <summary>Position of the selected step in <see cref="Steps"/>, or -1 when there are none.</summary>
    public int SelectedPosition { get; private set; } = -1;

    public ReplayStep? Selected => SelectedPosition >= 0 && SelectedPosition < _steps.Count ? _steps[SelectedPosition] : null;

    /// <summary>The selection moves along as new steps of a running episode arrive.</summary>
    public bool Following { get; private set; }

    public bool Playing { get; private set; }

    /// <summary>The episode has neither a grade nor an abandonment yet.</summary>
    public bool IsRunning => Episode is { Outcome: null };

    /// <summary>Steps arrive through the feed (the episode runs and this model is subscribed).</summary>
    public bool IsLive => IsRunning && _subscription is not null;

    public bool CanMoveBack => SelectedPosition > 0;

    public bool CanMoveForward => SelectedPosition < _steps.Count - 1;

    public ChartFigure RewardFigure { get; private set; } = ChartFigure.Empty;

    public double TotalReward => _steps.Sum(s => s.Reward);

    /// <summary>Marshals timer and feed callbacks, e.g. a component's <c>InvokeAsync</c>.</summary>
    public void UseDispatcher(Func<Action, Task> dispatch) => _dispatch = dispatch ?? throw new ArgumentNullException(nameof(dispatch));

    /// <param name="step">The step index to select (from <c>?step=N</c>); null picks the first, or the latest of a running episode.</param>
    /// <param name="live">Follow a running episode through the feed (only in an interactive circuit).</param>
    public async Task LoadAsync(string id, int? step = null, bool live = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Reset();
        EpisodeId = id;
        State = LoadState.Loading;

        // Subscribed before reading, so no step falls between the read and the subscription;
        // events that arrive meanwhile wait in _pending and are deduplicated by index.
        if (live)
        {
            _subscription = feed.Subscribe(OnFeedEventAsync, id);
        }

        EpisodeTrajectory? trajectory;
        try
        {
            trajectory = await store.GetTrajectoryAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Unsubscribe();
            State = LoadState.Failed;
            Error = $"The episode could not be read from the store: {ex.Message}";
            return;
        }

        if (trajectory is null)
        {
            Unsubscribe();
            NotFound = true;
            State = LoadState.Empty;
            return;
        }

        Apply(trajectory);
        if (!IsRunning)
        {
            Unsubscribe();
        }

        _loaded = true;
        var selected = step is { } wanted && Select(wanted);
        if (!selected)
        {
            SelectPosition(IsRunning ? _steps.Count - 1 : 0);
        }

        foreach (var pending in _pending.ToList())
        {
            await ApplyEventAsync(pending, cancellationToken);
        }

        _pending.Clear();
    }

    /// <summary>Selects the step with this index; false if there is none.</summary>
    public bool Select(int stepIndex)
    {
        var position = _steps.FindIndex(s => s.Index == stepIndex);
        if (position < 0)
        {
            return false;
        }

        SelectPosition(position);
        return true;
    }

    /// <returns>Whether the selection changed.</returns>
    public bool Move(ReplayMove move)
    {
        if (_steps.Count == 0)
        {
            return false;
        }

        var target = move switch
        {
            ReplayMove.First => 0,
            ReplayMove.Previous => Math.Max(0, SelectedPosition - 1),
            ReplayMove.Next => Math.Min(_steps.Count - 1, SelectedPosition + 1),
            _ => _steps.Count - 1,
        };
        if (target == SelectedPosition)
        {
            return false;
        }

        SelectPosition(target);
        return true;
    }

    /// <summary>The timeline's keys: ArrowLeft/ArrowUp, ArrowRight/ArrowDown, Home, End.</summary>
    /// <returns>Whether the key is one of them and moved the selection.</returns>
    public bool HandleKey(string key)
    {
        ReplayMove? move = key switch
        {
            "ArrowLeft" or "ArrowUp" => ReplayMove.Previous,
            "ArrowRight" or "ArrowDown" => ReplayMove.Next,
            "Home" => ReplayMove.First,
            "End" => ReplayMove.Last,
            _ => null,
        };
        if (move is null)
        {
            return false;
        }

        Pause();
        return Move(move.Value);
    }

    public void TogglePlay()
    {
        if (Playing)
        {
            Pause();
        }
        else
        {
            Play();
        }
    }

    /// <summary>Advances one step per <see cref="PlayInterval"/>; from the last step, starts over at the first.</summary>
    public void Play()
    {
        if (_steps.Count < 2 || Playing)
        {
            return;
        }

        if (!CanMoveForward)
        {
            SelectPosition(0);
        }

        Playing = true;
        _playTimer = timeProvider.CreateTimer(_ => _ = _dispatch(Tick), null, PlayInterval, PlayInterval);
    }

    public void Pause()
    {
        Playing = false;
        _playTimer?.Dispose();
        _playTimer = null;
    }

    public void Dispose()
    {
        _disposed = true;
        Pause();
        Unsubscribe();
    }

    private void Tick()
    {
        if (!Playing)
        {
            return;
        }

        Move(ReplayMove.Next);
        // Stops at the end, unless a running episode may still bring more steps.
        if (!CanMoveForward && !IsLive)
        {
            Pause();
        }

        Changed?.Invoke();
    }

    private void SelectPosition(int position)
    {
        SelectedPosition = _steps.Count == 0 ? -1 : Math.Clamp(position, 0, _steps.Count - 1);
        Following = IsRunning && SelectedPosition == _steps.Count - 1;
    }

    private async Task OnFeedEventAsync(EpisodeFeedEvent feedEvent)
    {
        // The feed waits for this task, so events are applied one at a time and in order. If the
        // dispatcher is gone (the circuit closed), the exception goes to the feed, which logs it.
        Task? applying = null;
        await _dispatch(() =>
        {
            if (_disposed)
            {
                return;
            }

            if (!_loaded)
            {
                _pending.Add(feedEvent);
                return;
            }

            applying = ApplyAndNotifyAsync(feedEvent);
        });
        if (applying is not null)
        {
            await applying;
        }
    }

    private async Task ApplyAndNotifyAsync(EpisodeFeedEvent feedEvent)
    {
        await ApplyEventAsync(feedEvent, CancellationToken.None);
        if (!_disposed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>Applies a live event (on the dispatcher).</summary>
    internal async Task ApplyEventAsync(EpisodeFeedEvent feedEvent, CancellationToken cancellationToken)
    {
        switch (feedEvent)
        {
            case StepAppendedEvent appended:
                var last = _steps.Count == 0 ? -1 : _steps[^1].Index;
                if (appended.Step.StepIndex <= last)
                {
                    return;
                }

                if (appended.Step.StepIndex > last + 1)
                {
                    // A gap (events dropped by a slow subscriber): read the whole trajectory again.
                    await ReloadAsync(cancellationToken);
                    return;
                }

                var follow = Following || _steps.Count == 0;
                _steps.Add(ReplayStep.From(appended.Step));
                Episode = Episode! with
                {
                    StepCount = Math.Max(Episode.StepCount, appended.Step.StepIndex),
                    FaultKinds = [.. Episode.FaultKinds.Union(appended.FiredFaultKinds, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                };
                RewardFigure = BuildRewardFigure(_steps);
                if (follow)
                {
                    SelectPosition(_steps.Count - 1);
                }

                break;
            case EpisodeFinishedEvent finished:
                await ReloadAsync(cancellationToken);
                if (Episode is not { Outcome: not null })
                {
                    // The store could not be read: the event still says how the episode ended.
                    Episode = finished.Episode;
                }

                Following = false;
                Unsubscribe();
                break;
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var selectedIndex = Selected?.Index;
        var following = Following;
        EpisodeTrajectory? trajectory;
        try
        {
            trajectory = await store.GetTrajectoryAsync(EpisodeId!, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Error = $"New steps could not be read from the store: {ex.Message}";
            return;
        }

        if (trajectory is null)
        {
            return;
        }

        Apply(trajectory);
        if (following || selectedIndex is null || !Select(selectedIndex.Value))
        {
            SelectPosition(following ? _steps.Count - 1 : 0);
        }

        Following = following && IsRunning;
    }

    private void Apply(EpisodeTrajectory trajectory)
    {
        Episode = trajectory.Episode;
        _steps.Clear();
        _steps.AddRange(trajectory.Steps.Select(ReplayStep.From));
        (Grade, AnswerKey) = ReadGrade(trajectory.GradeJson);
        RewardFigure = BuildRewardFigure(_steps);
        State = LoadState.Ready;
        Error = null;
    }

    private void Reset()
    {
        Pause();
        Unsubscribe();
        _steps.Clear();
        _pending.Clear();
        _loaded = false;
        _disposed = false;
        NotFound = false;
        Error = null;
        Episode = null;
        Grade = null;
        AnswerKey = null;
        SelectedPosition = -1;
        Following = false;
        RewardFigure = ChartFigure.Empty;
    }

    private void Unsubscribe()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private static (EpisodeGrade? Grade, string? AnswerKey) ReadGrade(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return (null, null);
        }

        try
        {
            var grade = JsonSerializer.Deserialize(json, WebJsonContext.Default.EpisodeGrade);
            return (grade, grade?.AnswerKey is { } key ? JsonText.Pretty(key) : null);
        }
        catch (JsonException)
        {
            return (null, JsonText.Format(json));
        }
    }

    /// <summary>Per-step reward (bars), the running total (line), and the steps where a fault fired (markers).</summary>
    public static ChartFigure BuildRewardFigure(IReadOnlyList<ReplayStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var played = steps.Where(s => s.Index > 0).ToList();
        if (played.Count == 0)
        {
            return ChartFigure.Empty;
        }

        var x = played.Select(s => s.Index.ToString(CultureInfo.InvariantCulture)).ToList();
        var cumulative = new List<double>(played.Count);
        var total = 0.0;
        foreach (var step in played)
        {
            total += step.Reward;
            cumulative.Add(Math.Round(total, 6));
        }

        var faulted = played.Where(s => s.Faulted).ToList();
        List<ChartTrace> traces =
        [
            new("step reward", x, [.. played.Select(s => Math.Round(s.Reward, 6))], ChartTraceKind.Bar),
            new("cumulative", x, cumulative, ChartTraceKind.Line),
        ];
        if (faulted.Count > 0)
        {
            traces.Add(new ChartTrace(
                "fault fired",
                [.. faulted.Select(s => s.Index.ToString(CultureInfo.InvariantCulture))],
                [.. faulted.Select(s => Math.Round(s.Reward, 6))],
                ChartTraceKind.Markers));
        }

        return new ChartFigure(traces, new ChartLayout(XAxisTitle: "step", YAxisTitle: "reward", XAxisIsCount: true));
    }
}

/// <summary>Formatting shared by the replay and the playground.</summary>
public static class ReplayFormat
{
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A duration of simulated time, e.g. "1,240 ms".</summary>
    public static string Milliseconds(double value) => value.ToString("#,0", CultureInfo.InvariantCulture) + " ms";

    public static string Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    public static string Parameters(IReadOnlyDictionary<string, string> parameters) =>
        parameters.Count == 0 ? "none" : string.Join(", ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}

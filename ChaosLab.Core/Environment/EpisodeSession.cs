using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Environment;

/// <summary>
/// What every suite's session does the same way, so a suite writes only its own logic: the
/// action protocol (<see cref="AgentAction"/>), the step count and limit, the clamp of shaped
/// rewards, the history, the episode's end (graded on a submission or at the step limit), the
/// <see cref="StepRecord"/> of every step, and the rule that a step, once spent, is a recorded
/// step even when the suite fails on it. <typeparamref name="TObservation"/> is the suite's own
/// observation type; the suite turns it into JSON.
/// </summary>
public abstract class EpisodeSession<TObservation> : IEpisodeSession
    where TObservation : class
{
    private readonly List<JsonObject> _history = [];
    private int _step;
    private bool _done;
    private double _cumulative;

    /// <summary>The episode clock: faults and tools advance it; nothing really sleeps.</summary>
    protected EpisodeClock Clock { get; } = new();

    public EpisodeInfo? Episode { get; private set; }

    public abstract JsonObject State { get; }

    /// <summary>Steps spent in the running episode (the reset is step 0).</summary>
    protected int StepCount => _step;

    protected bool IsOver => _done;

    /// <summary>Set once the episode is over.</summary>
    protected EpisodeGrade? Grade { get; private set; }

    /// <summary>The sum of step rewards and the final score so far.</summary>
    protected double CumulativeReward => Math.Round(_cumulative, 6);

    /// <summary>The suite's tools, named in the error for a call without a tool name.</summary>
    protected abstract IReadOnlyList<string> AvailableTools { get; }

    /// <summary>Shaped rewards of a non-final step are clamped to [-bound, +bound].</summary>
    protected abstract double StepRewardBound { get; }

    public abstract EnvironmentResult<StepResult> Reset(ResetOptions options);

    public async ValueTask<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken = default)
    {
        if (Episode is null)
        {
            return EnvironmentResult<StepResult>.Refused("no episode: reset first");
        }

        if (_done)
        {
            return EnvironmentResult<StepResult>.Refused("the episode is over: reset to start a new one");
        }

        var parsed = AgentAction.Parse(action, AvailableTools);
        if (!parsed.Succeeded)
        {
            return EnvironmentResult<StepResult>.Invalid(parsed.Errors);
        }

        _step++;
        var actionJson = JsonNode.Parse(action.GetRawText())!.AsObject();
        var arguments = action.TryGetProperty("arguments", out var raw) && raw.ValueKind == JsonValueKind.Object ? raw : (JsonElement?)null;
        StepResult result;
        try
        {
            result = Conclude(actionJson, await ActAsync(parsed.Value!, arguments, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The step is spent, so it must be a step: one the agent sees as a server error and
            // the record keeps, rather than a gap in the trajectory and a failed request.
            _done = false;
            Grade = null;
            result = Conclude(actionJson, ServerError(parsed.Value!, e));
        }

        return EnvironmentResult<StepResult>.Success(result);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Resets the shared bookkeeping for a new episode; the suite calls it once it accepted the reset options.</summary>
    protected void BeginEpisode(EpisodeInfo episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        Episode = episode;
        Clock.Reset();
        _history.Clear();
        _step = 0;
        _done = false;
        _cumulative = 0;
        Grade = null;
    }

    /// <summary>The reset's result: step 0, no action, no reward.</summary>
    protected StepResult FirstStep(JsonObject observation) =>
        new(observation, 0, false, new StepRecord(0, null, null, null, [], [], Clock.GetUtcNow(), null));

    /// <summary>The history so far, as <c>/state</c> shows it: step, action, status.</summary>
    protected JsonArray HistoryJson() => new([.. _history.Select(h => (JsonNode)h.DeepClone())]);

    /// <param name="arguments">A tool call's arguments as sent (absent and <c>{}</c> can differ for a schema check).</param>
    protected abstract ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken);

    /// <summary>What the agent sees when the suite failed on its action: a real system's 500.</summary>
    protected abstract StepOutcome ServerError(AgentAction action, Exception exception);

    protected abstract EpisodeGrade GradeEpisode(string? submission, bool stepLimit);

    /// <summary>A non-final step's observation as JSON.</summary>
    protected abstract JsonObject Observe(TObservation observation, int stepsRemaining);

    /// <summary>The final observation: after <paramref name="last"/> (a step that hit the limit) or on its own (a submission).</summary>
    protected abstract JsonObject ObserveEnd(TObservation? last, EpisodeGrade grade);

    /// <summary>Step reward components whose credit the grade pays again; they are left off the final step.</summary>
    protected virtual bool PaidByGrade(RewardComponent component) => false;

    private StepResult Conclude(JsonObject action, StepOutcome outcome)
    {
        if (outcome.Submission is { } submission)
        {
            return EndEpisode(action, submission, stepLimit: false, outcome with { Observation = null, Clean = null, Delivered = null, Faults = [], Error = null });
        }

        if (_step >= Episode!.MaxSteps)
        {
            _history.Add(HistoryEntry(action, outcome.Status));
            return EndEpisode(action, null, stepLimit: true, outcome);
        }

        var reward = Math.Round(Math.Clamp(outcome.Rewards.Sum(r => r.Value), -StepRewardBound, StepRewardBound), 6);
        _cumulative += reward;
        _history.Add(HistoryEntry(action, outcome.Status));
        var record = new StepRecord(_step, action, outcome.Clean, outcome.Delivered, outcome.Faults, outcome.Rewards, Clock.GetUtcNow(), outcome.Error);
        return new StepResult(Observe(outcome.Observation!, Episode.MaxSteps - _step), reward, false, record);
    }

    private StepResult EndEpisode(JsonObject action, string? submission, bool stepLimit, StepOutcome last)
    {
        _done = true;
        Grade = GradeEpisode(submission, stepLimit);
        if (!stepLimit)
        {
            _history.Add(HistoryEntry(action, "submitted"));
        }

        _cumulative += Grade.Score;
        var observation = ObserveEnd(last.Observation, Grade);
        var components = new List<RewardComponent>(last.Rewards.Where(r => !PaidByGrade(r)).Select(r => r with { Value = 0, Reason = r.Reason + " (final step: the reward is the episode score)" }));
        components.AddRange(Grade.Components);
        var record = new StepRecord(_step, action, last.Clean, last.Delivered ?? submission, last.Faults, components, Clock.GetUtcNow(), last.Error, Submission: submission);
        return new StepResult(observation, Grade.Score, true, record, Grade);
    }

    private JsonObject HistoryEntry(JsonObject action, string status) => new()
    {
        ["step"] = _step,
        ["action"] = action.DeepClone(),
        ["status"] = status,
    };

    /// <summary>What a suite's action produced, for the shared bookkeeping to finish the step.</summary>
    /// <param name="Observation">What the agent sees (null for a submission: the episode's end is observed instead).</param>
    /// <param name="Status">The step's status in the history ("ok", "error").</param>
    /// <param name="Clean">What the tool or system really produced, before faults.</param>
    /// <param name="Delivered">What the agent received.</param>
    /// <param name="Submission">Set when the action submitted: the episode ends and is graded on it.</param>
    protected sealed record StepOutcome(
        TObservation? Observation,
        string Status,
        string? Clean,
        string? Delivered,
        IReadOnlyList<FaultDecision> Faults,
        IReadOnlyList<RewardComponent> Rewards,
        string? Error,
        string? Submission = null);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Telemetry;

namespace ChaosLab.Core.Environment;

/// <summary>
/// What every suite's session does the same way, so a suite writes only its own logic: the
/// action protocol (<see cref="AgentAction"/>), the step count and limit, the clamp of shaped
/// rewards, the history, the episode's end (graded on a submission or at the step limit), the
/// <see cref="StepRecord"/> of every step, and the rule that a step, once spent, is a recorded
/// step even when the suite fails on it. It checks every tool call against the suite's
/// <see cref="ToolCatalog"/> before the suite sees it, and writes the observation and state
/// envelopes; <typeparamref name="TObservation"/> holds only the suite's own observation fields.
/// </summary>
public abstract class EpisodeSession<TObservation> : IEpisodeSession
    where TObservation : class
{
    private readonly string _suite;
    private readonly ToolCatalog _tools;
    private readonly List<JsonObject> _history = [];
    private int _step;
    private bool _done;
    private double _cumulative;

    /// <param name="suite">The suite's name, in the state.</param>
    /// <param name="tools">The suite's tools (built once per suite, shared by its sessions).</param>
    protected EpisodeSession(string suite, ToolCatalog tools)
    {
        _suite = suite;
        _tools = tools;
    }

    /// <summary>The episode clock: faults and tools advance it; nothing really sleeps.</summary>
    protected EpisodeClock Clock { get; } = new();

    public EpisodeInfo? Episode { get; private set; }

    public JsonObject State => BuildState();

    /// <summary>Steps spent in the running episode (the reset is step 0).</summary>
    protected int StepCount => _step;

    protected bool IsOver => _done;

    /// <summary>Set once the episode is over.</summary>
    protected EpisodeGrade? Grade { get; private set; }

    /// <summary>The sum of step rewards and the final score so far.</summary>
    protected double CumulativeReward => Math.Round(_cumulative, 6);

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

        var parsed = AgentAction.Parse(action, _tools.Names);
        if (!parsed.Succeeded && Untyped(action) is { } legacy)
        {
            parsed = EnvironmentResult<AgentAction>.Success(legacy);
        }

        if (!parsed.Succeeded)
        {
            return EnvironmentResult<StepResult>.Invalid(parsed.Errors);
        }

        _step++;

        // A submission is graded while the suite acts on it (the gauntlet's sandbox runs, the mast
        // suite's held-out runs); the step that hits the limit is graded as it concludes.
        using var grading = parsed.Value is AgentAction.Submit || _step >= Episode.MaxSteps ? EpisodeTraces.StartGrade(Episode, _step) : null;
        var actionJson = JsonNode.Parse(action.GetRawText())!.AsObject();
        var arguments = action.TryGetProperty("arguments", out var raw) && raw.ValueKind == JsonValueKind.Object ? raw : (JsonElement?)null;
        StepResult result;
        try
        {
            var outcome = parsed.Value is AgentAction.CallTool call && _tools.Check(call.ToolName, arguments) is { } refusal
                ? Refuse(call, refusal)
                : await ActAsync(parsed.Value!, arguments, cancellationToken);
            result = Conclude(actionJson, parsed.Value!, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The step is spent, so it must be a step: one the agent sees as a server error and
            // the record keeps, rather than a gap in the trajectory and a failed request.
            _done = false;
            Grade = null;
            result = Conclude(actionJson, parsed.Value!, ServerError(e));
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
    /// <param name="fields">The suite's own fields of the first observation (its guidance, its tools).</param>
    protected StepResult FirstStep(TObservation? fields) =>
        new(Observe("reset", fields, null), 0, false, new StepRecord(0, null, null, null, [], [], Clock.GetUtcNow(), null));

    /// <summary>
    /// A tool call refused after the suite looked at it, for a rule its schema cannot state: the
    /// same step as a call the schema refused.
    /// </summary>
    protected StepOutcome Refuse(AgentAction.CallTool call, ToolCallRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new StepOutcome(null, "error", null, null, [], RefusalRewards(call, refusal), refusal.Message) { ElapsedMs = 0, Refusal = refusal.Message };
    }

    /// <summary>
    /// The action a readable object with no <c>type</c> stands for, or null to refuse it as the
    /// protocol does: how a suite keeps the clients of the system it replaces running unchanged
    /// (the mast suite reads the seed's bare <c>ResilienceConfig</c> as a submission).
    /// </summary>
    protected virtual AgentAction? ActionWithoutType(JsonElement action) => null;

    /// <param name="arguments">A tool call's arguments as sent (absent and <c>{}</c> can differ for a schema check).</param>
    protected abstract ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken);

    /// <summary>The reward components of a refused tool call (the suite may also count it, e.g. to punish repeating it).</summary>
    protected abstract IReadOnlyList<RewardComponent> RefusalRewards(AgentAction.CallTool toolCall, ToolCallRefusal refusal);

    protected abstract EpisodeGrade GradeEpisode(string? submission, bool stepLimit);

    /// <summary>Writes the suite's own observation fields, between the envelope's head (what is played, the step, the clock) and the action's result.</summary>
    protected abstract void AddObservationFields(JsonObject observation, TObservation fields);

    /// <summary>Writes the suite's own state fields (e.g. what the agent changed), before the history.</summary>
    protected virtual void AddStateFields(JsonObject state)
    {
    }

    /// <summary>Step reward components whose credit the grade pays again; they are left off the final step.</summary>
    protected virtual bool PaidByGrade(RewardComponent component) => false;

    private AgentAction? Untyped(JsonElement action) =>
        action.ValueKind == JsonValueKind.Object && !action.TryGetProperty("type", out _) && JsonInput.Check(action) is null
            ? ActionWithoutType(action)
            : null;

    /// <summary>What the agent sees when the suite failed on its action: a real system's 500.</summary>
    private static StepOutcome ServerError(Exception exception)
    {
        const string message = "the environment failed on this action (a server error; nothing was applied after the failure)";
        return new StepOutcome(null, "error", null, null, [], [new RewardComponent("server_error", 0, exception.GetType().Name + ": " + exception.Message)], message)
        {
            Result = new JsonObject { ["status"] = 500, ["error"] = "Internal Server Error" },
            ElapsedMs = 0,
            Refusal = message,
            ServerFault = true,
        };
    }

    private StepResult Conclude(JsonObject action, AgentAction agentAction, StepOutcome outcome)
    {
        if (outcome.Submission is { } submission)
        {
            // A suite that grades by running something (the mast suite's held-out runs) records
            // what those runs really did as the final step's clean result and fault decisions.
            return EndEpisode(action, submission, null, outcome with { Observation = null, Delivered = null, Error = null });
        }

        var last = new ActionResult((agentAction as AgentAction.CallTool)?.ToolName, agentAction is AgentAction.ListTools && !outcome.ServerFault ? "tool_list" : "tool_result", outcome);
        if (_step >= Episode!.MaxSteps)
        {
            _history.Add(HistoryEntry(action, outcome.Status));
            return EndEpisode(action, null, last, outcome);
        }

        var reward = Math.Round(Math.Clamp(outcome.Rewards.Sum(r => r.Value), -StepRewardBound, StepRewardBound), 6);
        _cumulative += reward;
        _history.Add(HistoryEntry(action, outcome.Status));
        var record = new StepRecord(_step, action, outcome.Clean, outcome.Delivered, outcome.Faults, outcome.Rewards, Clock.GetUtcNow(), outcome.Error);
        return new StepResult(Observe(last.Kind, outcome.Observation, last), reward, false, record);
    }

    /// <param name="stepLimit">The step that hit the limit, whose result the final observation still shows; null for a submission.</param>
    private StepResult EndEpisode(JsonObject action, string? submission, ActionResult? stepLimit, StepOutcome last)
    {
        _done = true;
        Grade = GradeEpisode(submission, stepLimit is not null);
        if (stepLimit is null)
        {
            _history.Add(HistoryEntry(action, "submitted"));
        }

        _cumulative += Grade.Score;
        var observation = Observe("episode_end", last.Observation, stepLimit);
        observation["score"] = Grade.Score;
        observation["outcome"] = Grade.Outcome;
        var components = new List<RewardComponent>(last.Rewards.Where(r => !PaidByGrade(r)).Select(r => r with { Value = 0, Reason = r.Reason + " (final step: the reward is the episode score)" }));
        components.AddRange(Grade.Components);
        var record = new StepRecord(_step, action, last.Clean, last.Delivered ?? submission, last.Faults, components, Clock.GetUtcNow(), last.Error, Submission: submission);
        return new StepResult(observation, Grade.Score, true, record, Grade);
    }

    /// <summary>
    /// The observation envelope: what is played, the step and the clock, the suite's own fields,
    /// then the action's result (tool name, status, delivered result, latency, why it could not run).
    /// </summary>
    private JsonObject Observe(string kind, TObservation? fields, ActionResult? action)
    {
        var episode = Episode!;
        var observation = new JsonObject
        {
            ["kind"] = kind,
            ["task_id"] = episode.TaskId,
            ["tier"] = episode.Tier,
            ["scenario_id"] = episode.ScenarioId,
        };
        if (episode.Prompt is { } prompt)
        {
            observation["question"] = prompt;
        }

        observation["step"] = _step;
        observation["max_steps"] = episode.MaxSteps;
        observation["steps_remaining"] = kind == "episode_end" ? 0 : episode.MaxSteps - _step;
        observation["time"] = WireTime.ToWire(Clock.GetUtcNow());
        if (fields is not null)
        {
            AddObservationFields(observation, fields);
        }

        if (action is { Outcome: var outcome })
        {
            Add(observation, "tool_name", action.ToolName);
            observation["status"] = outcome.Status;
            Add(observation, "result", outcome.Result?.DeepClone());
            Add(observation, "elapsed_ms", outcome.ElapsedMs);
            Add(observation, "error", outcome.Refusal);
        }

        return observation;
    }

    /// <summary>The state envelope: the episode's identity, the bookkeeping, the suite's fields, the history and, once over, the grade.</summary>
    private JsonObject BuildState()
    {
        if (Episode is not { } episode)
        {
            return new JsonObject { ["suite"] = _suite, ["episode_id"] = null, ["done"] = false, ["step_count"] = 0 };
        }

        var state = new JsonObject
        {
            ["episode_id"] = episode.EpisodeId,
            ["suite"] = episode.Suite,
            ["task_id"] = episode.TaskId,
            ["tier"] = episode.Tier,
            ["scenario_id"] = episode.ScenarioId,
            ["scenario_version"] = episode.ScenarioVersion,
            ["mode"] = episode.Mode.Name(),
        };

        // A sealed episode's seed would let a sibling session replay it and read the answer key.
        if (episode.Mode != EpisodeMode.Sealed || _done)
        {
            state["seed"] = episode.Seed;
        }

        Add(state, "question", episode.Prompt);
        state["step_count"] = _step;
        state["max_steps"] = episode.MaxSteps;
        state["done"] = _done;
        state["time"] = WireTime.ToWire(Clock.GetUtcNow());
        state["cumulative_reward"] = CumulativeReward;
        AddStateFields(state);
        state["history"] = new JsonArray([.. _history.Select(h => (JsonNode)h.DeepClone())]);
        if (Grade is { } grade)
        {
            state["grade"] = new JsonObject
            {
                ["score"] = grade.Score,
                ["outcome"] = grade.Outcome,
                ["answer_key"] = grade.AnswerKey?.DeepClone(),
            };
        }

        return state;
    }

    // Absent rather than null, as the suites' observations always were.
    private static void Add(JsonObject json, string name, JsonNode? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
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
        string? Submission = null)
    {
        /// <summary>The delivered result as the agent sees it (JSON, or text when it was cut off).</summary>
        public JsonNode? Result { get; init; }

        /// <summary>How long the action took on the episode clock.</summary>
        public int? ElapsedMs { get; init; }

        /// <summary>Why the action could not run (a refused call, a server error), shown to the agent.</summary>
        internal string? Refusal { get; init; }

        internal bool ServerFault { get; init; }
    }

    /// <summary>What the envelope shows of the step's action.</summary>
    private sealed record ActionResult(string? ToolName, string Kind, StepOutcome Outcome);
}

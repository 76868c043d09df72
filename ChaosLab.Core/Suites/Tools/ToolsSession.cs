using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// One episode at a time of the tools suite. Every action, including <c>list_tools</c>, an
/// unknown tool and a call with invalid arguments, spends a step; only a malformed envelope
/// does not. Not thread-safe (the host serializes calls).
/// </summary>
public sealed class ToolsSession : IEpisodeSession
{
    public const string Instructions =
        "Act with one JSON action per step: {\"type\":\"call_tool\",\"tool_name\":\"<tool>\",\"arguments\":{...}}, " +
        "{\"type\":\"list_tools\"} (costs a step), or {\"type\":\"submit_answer\",\"answer\":\"...\",\"reasoning\":\"...\"} which ends the episode. " +
        "Give one value per thing asked (numbers with units or scale words, dates as YYYY-MM-DD, yes/no for claims); an object keyed by what is asked also works. " +
        "Tools can fail, return old or wrong data, or be slow: check what you get.";

    private readonly ToolsSuite _suite;
    private readonly ICodeSandbox? _sandbox;
    private readonly EpisodeClock _clock = new();
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _rateLimitedUntil = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _history = [];
    private ToolSessionCache _cache = new();
    private ScenarioInstance? _scenario;
    private Workspace? _workspace;
    private FactTracker? _facts;
    private EpisodeGrade? _grade;
    private PayloadTargets? _targets;
    private int _step;
    private bool _done;
    private double _cumulative;

    internal ToolsSession(ToolsSuite suite, ICodeSandbox? sandbox)
    {
        _suite = suite;
        _sandbox = sandbox;
    }

    public EpisodeInfo? Episode { get; private set; }

    public JsonObject State => BuildState();

    public EnvironmentResult<StepResult> Reset(ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chosen = _suite.Resolve(options);
        if (!chosen.Succeeded)
        {
            return EnvironmentResult<StepResult>.Invalid(chosen.Errors);
        }

        return Start(chosen.Value!, options.Seed, options.EpisodeId, options.Mode);
    }

    /// <summary>Starts an episode of any definition (catalog or authored; tests use it for custom fault designs).</summary>
    internal EnvironmentResult<StepResult> Start(ScenarioDefinition definition, long seed, string? episodeId, EpisodeMode mode = EpisodeMode.Practice)
    {
        var task = ScenarioCatalog.Tasks.First(t => t.Id == definition.TaskId);
        _workspace?.Dispose();
        _scenario = ScenarioTemplate.Instantiate(definition, seed);
        _workspace = new Workspace(_scenario);
        _facts = new FactTracker(_scenario.Facts);
        _clock.Reset();
        _occurrences.Clear();
        _failures.Clear();
        _rateLimitedUntil.Clear();
        _history.Clear();
        _cache = new ToolSessionCache();
        _grade = null;
        _targets = null;
        _step = 0;
        _done = false;
        _cumulative = 0;
        Episode = new EpisodeInfo(
            string.IsNullOrEmpty(episodeId) ? Guid.NewGuid().ToString("N") : episodeId,
            _suite.Name, definition.TaskId, definition.Tier, definition.Id, definition.Version, seed, definition.StepLimit ?? task.MaxSteps, mode);

        var observation = Serialize(Observation("reset") with
        {
            TaskTitle = task.Title,
            Guidance = task.Guidance,
            Instructions = Instructions,
        });

        // Added after serialization: copying a prepared tree is cheaper than serializing it again.
        observation["tools"] = ToolRegistry.ToJson();
        var record = new StepRecord(0, null, null, null, [], [], _clock.GetUtcNow(), null);
        return EnvironmentResult<StepResult>.Success(new StepResult(observation, 0, false, record));
    }

    public async ValueTask<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken = default)
    {
        if (_scenario is null)
        {
            return EnvironmentResult<StepResult>.Refused("no episode: reset first");
        }

        if (_done)
        {
            return EnvironmentResult<StepResult>.Refused("the episode is over: reset to start a new one");
        }

        if (JsonInput.Check(action) is { } unreadable)
        {
            return EnvironmentResult<StepResult>.Invalid(unreadable);
        }

        var parsed = ActionParser.Parse(action);
        if (parsed.Error is { } error)
        {
            return EnvironmentResult<StepResult>.Invalid(error);
        }

        _step++;
        var actionJson = JsonNode.Parse(action.GetRawText())!.AsObject();
        StepResult result;
        try
        {
            result = parsed.Type switch
            {
                "list_tools" => ListTools(actionJson),
                "submit_answer" => Submit(actionJson, parsed.Answer!, parsed.Reasoning, []),
                _ => await CallToolAsync(actionJson, parsed.ToolName!, parsed.Arguments, cancellationToken),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The step is spent, so it must be a step: one the agent sees as a server error and
            // the record keeps, rather than a gap in the trajectory and a failed request.
            result = Failed(actionJson, e);
        }

        return EnvironmentResult<StepResult>.Success(result);
    }

    private StepResult Failed(JsonObject action, Exception exception)
    {
        _done = false;
        _grade = null;
        var message = "the environment failed on this action (a server error; nothing was applied after the failure)";
        var observation = Observation("tool_result") with
        {
            ToolName = action["tool_name"] is JsonValue name && name.TryGetValue<string>(out var n) ? n : null,
            Status = "error",
            Result = new JsonObject { ["status"] = 500, ["error"] = "Internal Server Error" },
            Error = message,
            ElapsedMs = 0,
        };
        List<RewardComponent> rewards = [new RewardComponent("server_error", 0, exception.GetType().Name + ": " + exception.Message)];
        return Finish(action, observation, null, null, [], rewards, message);
    }

    public void Dispose() => _workspace?.Dispose();

    private StepResult ListTools(JsonObject action)
    {
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        var observation = Observation("tool_list") with { Status = "ok", Tools = ToolRegistry.ToJson(), ElapsedMs = 5 };
        return Finish(action, observation, null, null, [], [new RewardComponent("list_tools", 0, "the tool list is also in the reset observation; no reward")], null);
    }

    private async ValueTask<StepResult> CallToolAsync(JsonObject action, string toolName, JsonElement? arguments, CancellationToken ct)
    {
        var tool = ToolRegistry.Find(toolName);
        var argsNode = arguments is { ValueKind: JsonValueKind.Object } a ? JsonNode.Parse(a.GetRawText())!.AsObject() : new JsonObject();
        var canonical = CanonicalArguments.Canonicalize(argsNode, FormOf);
        var callKey = toolName + " " + canonical;
        var occurrence = _occurrences.GetValueOrDefault(callKey);
        _occurrences[callKey] = occurrence + 1;
        var rewards = new List<RewardComponent>();
        var previousFailures = _failures.GetValueOrDefault(callKey);
        if (previousFailures > 0)
        {
            rewards.Add(new RewardComponent("repeat_failing_call", RepeatFailurePenalty(previousFailures), $"the same call already failed {previousFailures} time(s)"));
        }

        if (tool is null)
        {
            _failures[callKey] = previousFailures + 1;
            var message = $"unknown tool '{toolName}'. Valid tools: {string.Join(", ", ToolRegistry.Definitions.Select(d => d.Name))}";
            rewards.Add(new RewardComponent("invalid_call", ToolsScorer.InvalidCallPenalty, "unknown tool"));
            return Finish(action, Observation("tool_result") with { ToolName = toolName, Status = "error", Error = message, ElapsedMs = 0 }, null, null, [], rewards, message);
        }

        var problems = ToolArgumentValidator.Validate(tool, arguments);
        if (problems.Count > 0)
        {
            _failures[callKey] = previousFailures + 1;
            var message = "invalid arguments: " + string.Join("; ", problems);
            rewards.Add(new RewardComponent("invalid_call", ToolsScorer.InvalidCallPenalty, "arguments do not match the tool's schema"));
            return Finish(action, Observation("tool_result") with { ToolName = toolName, Status = "error", Error = message, ElapsedMs = 0 }, null, null, [], rewards, message);
        }

        if (toolName == ToolNames.SubmitAnswer)
        {
            var answer = argsNode["answer"]!;
            return Submit(action, answer, argsNode.OptStr("reasoning"), rewards);
        }

        var scenario = _scenario!;
        var workspace = _workspace!;
        var decisions = new List<FaultDecision>();
        FaultDecision? fired = null;

        // The pure decision is always taken and recorded, so the trace per (call, occurrence) never
        // depends on call order; a tool inside its Retry-After window then answers 429 regardless.
        decisions.AddRange(FaultDecider.Decide(scenario.Faults, new FaultCall(Episode!.Seed, scenario.Definition.Id, toolName, canonical, occurrence, ApplicableKinds(tool))));
        fired = decisions.FirstOrDefault(d => d.Fired);
        if (_rateLimitedUntil.TryGetValue(toolName, out var until) && _step < until)
        {
            var remaining = until - _step;
            fired = new FaultDecision(FaultKind.RateLimit.Name(), toolName, true, "retry_after_window", "called again before Retry-After passed (overrides the decision above)",
                new Dictionary<string, string> { ["retry_after_steps"] = remaining.ToString(CultureInfo.InvariantCulture) },
                new FaultDecisionInputs(Episode.Seed, scenario.Definition.Id, toolName, canonical, occurrence, 0, 1));
            decisions.Add(fired);
            rewards.Add(new RewardComponent("ignored_retry_after", ToolsScorer.RetryAfterPenalty, "called inside the Retry-After window"));
        }

        var firedKind = fired is null ? (FaultKind?)null : FaultKinds.All.First(k => k.Name() == fired.Kind);
        var isTransport = firedKind?.IsTransport() == true && firedKind != FaultKind.Latency;
        var sideEffects = tool.Category is "storage" or "action" || toolName == ToolNames.PythonExecute;
        var snapshot = workspace.SnapshotFor(toolName);
        var context = new ToolContext(workspace, _clock, _sandbox, snapshot, _cache);
        var handler = ToolRegistry.Handler(toolName)!;

        // The clean result: what the tool really returns. Calls with side effects are not run when a transport fault stops them.
        ToolOutput? clean = isTransport && sideEffects ? null : await RunAsync(handler, context, argsNode, ct);
        JsonNode? delivered;
        var status = "ok";
        var elapsed = BaseLatencyMs(tool);
        switch (firedKind)
        {
            case null:
                delivered = clean!.Value.Body;
                status = clean.Value.IsError ? "error" : "ok";
                break;
            case FaultKind.Timeout:
                elapsed = int.Parse(fired!.Parameters["timeout_ms"], CultureInfo.InvariantCulture);
                delivered = new JsonObject { ["error"] = "timeout", ["message"] = $"{toolName} did not respond within {elapsed / 1000} s" };
                status = "error";
                break;
            case FaultKind.RateLimit:
                var retryAfter = int.Parse(fired!.Parameters["retry_after_steps"], CultureInfo.InvariantCulture);
                if (fired.Trigger != "retry_after_window")
                {
                    _rateLimitedUntil[toolName] = _step + retryAfter + 1;
                }

                delivered = new JsonObject { ["status"] = 429, ["error"] = "Too Many Requests", ["retry_after_steps"] = retryAfter };
                status = "error";
                break;
            case FaultKind.ServerError:
                var code = int.Parse(fired!.Parameters["status"], CultureInfo.InvariantCulture);
                delivered = new JsonObject { ["status"] = code, ["error"] = code switch { 502 => "Bad Gateway", 503 => "Service Unavailable", _ => "Internal Server Error" } };
                status = "error";
                break;
            case FaultKind.Latency:
                elapsed = int.Parse(fired!.Parameters["latency_ms"], CultureInfo.InvariantCulture);
                delivered = clean!.Value.Body;
                status = clean.Value.IsError ? "error" : "ok";
                break;
            case FaultKind.StaleData:
                // Really older data: the same call against the previous snapshot of the world.
                var stale = await RunAsync(handler, context with { Snapshot = Snapshot.Previous }, argsNode, ct);
                delivered = stale.Body;
                status = stale.IsError ? "error" : "ok";
                break;
            default:
                (delivered, status) = ApplyDataFault(firedKind.Value, fired!, clean!.Value);
                break;
        }

        _clock.Advance(TimeSpan.FromMilliseconds(elapsed));
        if (status == "error")
        {
            _failures[callKey] = previousFailures + 1;
        }

        var cleanText = clean?.Body.ToJsonString();
        var deliveredText = delivered is JsonValue dv && dv.TryGetValue<string>(out var s) ? s : delivered.ToJsonString();
        if (ToolNames.Retrieval.Contains(toolName))
        {
            var update = _facts!.Observe(toolName, canonical, cleanText, deliveredText, fired is not null);

            // Rewards that depend on the truth would tell the agent which of two conflicting
            // sources is right; in sealed episodes that credit is paid only with the grade.
            if (Episode.Mode == EpisodeMode.Practice)
            {
                rewards.AddRange(TruthRewards(update));
            }
        }

        var observation = Observation("tool_result") with { ToolName = toolName, Status = status, Result = delivered.DeepClone(), ElapsedMs = elapsed };
        return Finish(action, observation, cleanText, deliveredText, decisions, rewards, status == "error" ? Summarize(delivered) : null);
    }

    /// <summary>Dense shaping for practice episodes: credit for correct key facts as they arrive.</summary>
    private static IEnumerable<RewardComponent> TruthRewards(FactTracker.Update update)
    {
        if (update.NewFacts > 0)
        {
            yield return new RewardComponent("new_fact", ToolsScorer.NewFactReward * update.NewFacts, $"{update.NewFacts} key fact(s) received for the first time");
        }

        if (update.NewCrossChecks > 0)
        {
            yield return new RewardComponent("cross_check", ToolsScorer.CrossCheckReward * update.NewCrossChecks, $"{update.NewCrossChecks} key fact(s) confirmed by a second independent source");
        }

        if (update.Recoveries > 0)
        {
            yield return new RewardComponent("recovery", ToolsScorer.RecoveryReward * update.Recoveries, $"{update.Recoveries} key fact(s) obtained after a fault kept them back");
        }
    }

    /// <summary>
    /// A bug in one tool must not take the session down: it becomes an error the agent sees (a
    /// real system's 500), and the record keeps the exception for whoever fixes it.
    /// </summary>
    private static async ValueTask<ToolOutput> RunAsync(ToolHandler handler, ToolContext context, JsonObject arguments, CancellationToken ct)
    {
        try
        {
            return await handler(context, arguments.DeepClone().AsObject(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ToolOutput.Fail("internal_error", "the tool failed unexpectedly", new JsonObject { ["status"] = 500, ["detail"] = e.GetType().Name + ": " + e.Message });
        }
    }

    private (JsonNode Delivered, string Status) ApplyDataFault(FaultKind kind, FaultDecision fired, ToolOutput clean)
    {
        if (clean.IsError)
        {
            return (clean.Body, "error");
        }

        var payload = clean.Body.DeepClone();
        var targets = Targets();
        var pick = fired.Parameters.TryGetValue("pick", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
        var factor = fired.Parameters.TryGetValue("factor", out var f) ? double.Parse(f, CultureInfo.InvariantCulture) : 1.2;
        return kind switch
        {
            FaultKind.FieldDrop => (PayloadFaults.DropField(payload, targets, pick), "ok"),
            FaultKind.SchemaDrift => (PayloadFaults.RenameField(payload, targets, pick), "ok"),
            FaultKind.ValueCorruption => (PayloadFaults.Corrupt(payload, targets, factor, pick), "ok"),
            FaultKind.ConflictingDuplicate => (PayloadFaults.Duplicate(payload, targets, factor, pick), "ok"),
            FaultKind.PoisonedContent => (PayloadFaults.Poison(payload, pick), "ok"),
            FaultKind.Truncation => (JsonValue.Create(PayloadFaults.Truncate(payload, double.Parse(fired.Parameters["cut_at"], CultureInfo.InvariantCulture))), "ok"),
            _ => (payload, "ok"),
        };
    }

    private PayloadTargets Targets()
    {
        if (_targets is { } cached)
        {
            return cached;
        }

        var facts = _scenario!.Facts;
        var fields = new HashSet<string>(facts.Select(f => f.Attribute), StringComparer.Ordinal);
        var prose = new List<string>();
        foreach (var fact in facts)
        {
            if (fact.Number is { } n)
            {
                prose.Add(n % 1 == 0 ? Render.Thousands((long)n) : Render.Billions(n));
            }
            else if (fact.Attribute is "launch_date" or "date" or "ceo")
            {
                prose.Add(fact.Text!);
            }
        }

        var world = _scenario.World;
        var people = world.People.Select(x => x.Name).ToList();
        var cities = world.Cities.Select(x => x.Name).ToList();
        var alternatives = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["ceo"] = people,
            ["capital"] = world.Countries.Select(x => x.Capital).ToList(),
            ["headquarters_city"] = cities,
            ["country"] = world.Countries.Select(x => x.Name).ToList(),
        };
        _targets = new PayloadTargets(fields, prose, people, alternatives);
        return _targets;
    }

    private StepResult Submit(JsonObject action, JsonNode answer, string? reasoning, List<RewardComponent> rewards)
    {
        var text = answer is JsonValue v && v.TryGetValue<string>(out var s) ? s : answer.ToJsonString();
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        return End(action, text, stepLimit: false, rewards);
    }

    private StepResult Finish(JsonObject action, ToolsObservation observation, string? clean, string? delivered, IReadOnlyList<FaultDecision> faults, List<RewardComponent> rewards, string? error)
    {
        if (_step >= Episode!.MaxSteps)
        {
            _history.Add(HistoryEntry(action, observation.Status ?? "ok"));
            return End(action, null, stepLimit: true, rewards, observation, clean, delivered, faults, error);
        }

        var reward = Math.Round(Math.Clamp(rewards.Sum(r => r.Value), -ToolsScorer.StepRewardBound, ToolsScorer.StepRewardBound), 6);
        _cumulative += reward;
        _history.Add(HistoryEntry(action, observation.Status ?? "ok"));
        var record = new StepRecord(_step, action, clean, delivered, faults, rewards, _clock.GetUtcNow(), error);
        return new StepResult(Serialize(observation with { StepsRemaining = Episode.MaxSteps - _step }), reward, false, record);
    }

    private StepResult End(JsonObject action, string? answer, bool stepLimit, List<RewardComponent> rewards, ToolsObservation? last = null, string? clean = null, string? delivered = null, IReadOnlyList<FaultDecision>? faults = null, string? error = null)
    {
        _done = true;
        _grade = ToolsScorer.Grade(_scenario!, answer, _workspace!, _facts!, stepLimit);
        if (!stepLimit)
        {
            _history.Add(HistoryEntry(action, "submitted"));
        }

        _cumulative += _grade.Score;
        var observation = (last ?? Observation("episode_end")) with
        {
            Kind = "episode_end",
            StepsRemaining = 0,
            Score = _grade.Score,
            Outcome = _grade.Outcome,
        };
        var components = new List<RewardComponent>(rewards.Where(r => r.Name != "new_fact" && r.Name != "cross_check" && r.Name != "recovery").Select(r => r with { Value = 0, Reason = r.Reason + " (final step: the reward is the episode score)" }));
        components.AddRange(_grade.Components);
        var record = new StepRecord(_step, action, clean, delivered ?? answer, faults ?? [], components, _clock.GetUtcNow(), error);
        return new StepResult(Serialize(observation), _grade.Score, true, record, _grade);
    }

    private ToolsObservation Observation(string kind) => new()
    {
        Kind = kind,
        TaskId = _scenario!.Definition.TaskId,
        Tier = _scenario.Definition.Tier,
        ScenarioId = _scenario.Definition.Id,
        Question = _scenario.Question,
        Step = _step,
        MaxSteps = Episode?.MaxSteps ?? 0,
        StepsRemaining = (Episode?.MaxSteps ?? 0) - _step,
        Time = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    private JsonObject HistoryEntry(JsonObject action, string status) => new()
    {
        ["step"] = _step,
        ["action"] = action.DeepClone(),
        ["status"] = status,
    };

    private JsonObject BuildState()
    {
        if (_scenario is null || Episode is null)
        {
            return new JsonObject { ["suite"] = _suite.Name, ["episode_id"] = null, ["done"] = false, ["step_count"] = 0 };
        }

        var state = new ToolsState
        {
            EpisodeId = Episode.EpisodeId,
            Suite = Episode.Suite,
            TaskId = Episode.TaskId,
            Tier = Episode.Tier,
            ScenarioId = Episode.ScenarioId,
            ScenarioVersion = Episode.ScenarioVersion,
            Mode = Episode.Mode.Name(),

            // A sealed episode's seed would let a sibling session replay it and read the answer key.
            Seed = Episode.Mode == EpisodeMode.Sealed && !_done ? null : Episode.Seed,
            Question = _scenario.Question,
            StepCount = _step,
            MaxSteps = Episode.MaxSteps,
            Done = _done,
            Time = _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            CumulativeReward = Math.Round(_cumulative, 6),
            Workspace = _workspace!.Summary(),
            History = new JsonArray([.. _history.Select(h => (JsonNode)h.DeepClone())]),
            Grade = _grade is null ? null : new JsonObject
            {
                ["score"] = _grade.Score,
                ["outcome"] = _grade.Outcome,
                ["answer_key"] = _grade.AnswerKey.DeepClone(),
            },
        };
        return JsonSerializer.SerializeToNode(state, ToolsJsonContext.Default.ToolsState)!.AsObject();
    }

    private static JsonObject Serialize(ToolsObservation observation) => JsonSerializer.SerializeToNode(observation, ToolsJsonContext.Default.ToolsObservation)!.AsObject();

    private static string Summarize(JsonNode delivered) => delivered is JsonObject o && o["message"] is JsonValue m ? m.ToString() : delivered.ToJsonString();

    /// <summary>-0.03 per earlier failure of the same canonical call, at most -0.09.</summary>
    private static double RepeatFailurePenalty(int previousFailures) => Math.Max(ToolsScorer.RepeatFailurePenalty * previousFailures, 3 * ToolsScorer.RepeatFailurePenalty);

    private static TextForm FormOf(string field) => field switch
    {
        "sql" => TextForm.Sql,
        "entity" or "query" or "claim" or "timezone" or "key" => TextForm.CaseInsensitive,
        "code" or "content" or "value" or "text" => TextForm.Exact,
        _ => TextForm.Collapsed,
    };

    private static IReadOnlyList<FaultKind> ApplicableKinds(ToolDefinition tool) =>
        tool.Name == ToolNames.SubmitAnswer ? [] :
        tool.Name == ToolNames.GetCurrentDatetime ? FaultKinds.Transport :
        tool.Category == "retrieval" ? FaultKinds.All : FaultKinds.Transport;

    /// <summary>How long a call takes on the episode clock when nothing goes wrong.</summary>
    private static int BaseLatencyMs(ToolDefinition tool) => tool.Name switch
    {
        ToolNames.DatabaseQuery or ToolNames.DatabaseInsert => 40,
        ToolNames.PythonExecute => 1200,
        ToolNames.WebSearch or ToolNames.FetchUrl or ToolNames.DocumentSearch => 350,
        ToolNames.KnowledgeBaseLookup or ToolNames.ApiCall => 120,
        _ => tool.Category == "computation" ? 5 : 30,
    };
}

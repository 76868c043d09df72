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
public sealed class ToolsSession : EpisodeSession<ToolsObservationFields>
{
    public const string Instructions =
        "Act with one JSON action per step: {\"type\":\"call_tool\",\"tool_name\":\"<tool>\",\"arguments\":{...}}, " +
        "{\"type\":\"list_tools\"} (costs a step), or {\"type\":\"submit_answer\",\"answer\":\"...\",\"reasoning\":\"...\"} which ends the episode. " +
        "Give one value per thing asked (numbers with units or scale words, dates as YYYY-MM-DD, yes/no for claims); an object keyed by what is asked also works. " +
        "Tools can fail, return old or wrong data, or be slow: check what you get.";

    private readonly ToolsSuite _suite;
    private readonly ICodeSandbox? _sandbox;
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly TransportFaults _transport = new();
    private ToolSessionCache _cache = new();
    private ScenarioInstance? _scenario;
    private Workspace? _workspace;
    private FactTracker? _facts;
    private PayloadTargets? _targets;

    internal ToolsSession(ToolsSuite suite, ICodeSandbox? sandbox)
        : base(suite.Name, ToolRegistry.Catalog)
    {
        _suite = suite;
        _sandbox = sandbox;
    }

    protected override double StepRewardBound => ToolsScorer.StepRewardBound;

    public override EnvironmentResult<StepResult> Reset(ResetOptions options)
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
        _occurrences.Clear();
        _failures.Clear();
        _transport.Reset();
        _cache = new ToolSessionCache();
        _targets = null;
        BeginEpisode(new EpisodeInfo(
            string.IsNullOrEmpty(episodeId) ? Guid.NewGuid().ToString("N") : episodeId,
            _suite.Name, definition.TaskId, definition.Tier, definition.Id, definition.Version, seed, definition.StepLimit ?? task.MaxSteps, mode, _scenario.Question));

        return EnvironmentResult<StepResult>.Success(FirstStep(new ToolsObservationFields(task.Title, task.Guidance, Instructions, ToolRegistry.ToJson())));
    }

    protected override async ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken) => action switch
    {
        AgentAction.ListTools => ListTools(),
        AgentAction.Submit submit => Submit(submit, []),
        AgentAction.CallTool call => await CallToolAsync(call, arguments, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    /// <summary>A refused call counts as a failed call: repeating it costs more each time.</summary>
    protected override IReadOnlyList<RewardComponent> RefusalRewards(AgentAction.CallTool toolCall, ToolCallRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(toolCall);
        ArgumentNullException.ThrowIfNull(refusal);
        var (callKey, _, _, rewards) = CountCall(toolCall);
        _failures[callKey] = _failures.GetValueOrDefault(callKey) + 1;
        rewards.Add(new RewardComponent("invalid_call", ToolsScorer.InvalidCallPenalty, refusal.Reason));
        return rewards;
    }

    protected override EpisodeGrade GradeEpisode(string? submission, bool stepLimit) =>
        ToolsScorer.Grade(_scenario!, submission, _workspace!, _facts!, stepLimit);

    protected override void AddObservationFields(JsonObject observation, ToolsObservationFields fields)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(fields);
        Add(observation, "task_title", fields.TaskTitle);
        Add(observation, "guidance", fields.Guidance);
        Add(observation, "instructions", fields.Instructions);
        Add(observation, "tools", fields.Tools);
    }

    protected override void AddStateFields(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state["workspace"] = _workspace!.Summary();
    }

    /// <summary>The grade's process credit pays for the facts these rewarded as they arrived.</summary>
    protected override bool PaidByGrade(RewardComponent component) => component?.Name is "new_fact" or "cross_check" or "recovery";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _workspace?.Dispose();
        }

        base.Dispose(disposing);
    }

    private StepOutcome ListTools()
    {
        Clock.Advance(TimeSpan.FromMilliseconds(5));
        return new StepOutcome(new ToolsObservationFields(Tools: ToolRegistry.ToJson()), "ok", null, null, [], [new RewardComponent("list_tools", 0, "the tool list is also in the reset observation; no reward")], null) { ElapsedMs = 5 };
    }

    /// <summary>Runs a call the base already checked against the tool's schema.</summary>
    /// <param name="arguments">The arguments as sent: their JSON text is what the caps measure.</param>
    private async ValueTask<StepOutcome> CallToolAsync(AgentAction.CallTool call, JsonElement? arguments, CancellationToken ct)
    {
        var toolName = call.ToolName;
        var tool = ToolRegistry.Find(toolName)!;
        var argsNode = call.Arguments;

        // JSON Schema bounds a string's length but not the JSON text of an object or array
        // argument, so that cap is checked here, reported as the schema's refusals are.
        if (arguments is { } sent && JsonTextTooLong(tool, sent) is { Count: > 0 } tooLong)
        {
            return Refuse(call, ToolCallRefusal.InvalidArguments(tooLong));
        }

        var (callKey, canonical, occurrence, rewards) = CountCall(call);
        var previousFailures = _failures.GetValueOrDefault(callKey);

        if (toolName == ToolNames.SubmitAnswer)
        {
            // MCP clients submit through the tool: the same submission as the action.
            return Submit(new AgentAction.Submit(argsNode["answer"]!, argsNode.OptStr("reasoning")), rewards);
        }

        var scenario = _scenario!;
        var workspace = _workspace!;
        var decisions = new List<FaultDecision>();
        FaultDecision? fired = null;

        // The pure decision is always taken and recorded, so the trace per (call, occurrence) never
        // depends on call order; a tool inside its Retry-After window then answers 429 regardless.
        var faultCall = new FaultCall(Episode!.Seed, scenario.Definition.Id, toolName, canonical, occurrence, ToolsFaultKinds.ApplicableTo(tool));
        decisions.AddRange(FaultDecider.Decide(scenario.Faults, faultCall));
        fired = decisions.FirstOrDefault(d => d.Fired);
        if (_transport.InsideRetryAfter(faultCall, StepCount) is { } window)
        {
            fired = window;
            decisions.Add(window);
            rewards.Add(new RewardComponent("ignored_retry_after", ToolsScorer.RetryAfterPenalty, "called inside the Retry-After window"));
        }

        var firedKind = fired is null ? null : ToolsFaultKinds.Find(fired.Kind);
        var stopsCall = firedKind?.IsTransport == true && firedKind != TransportFaults.Latency;
        var sideEffects = tool.Category is "storage" or "action" || toolName == ToolNames.PythonExecute;
        var snapshot = workspace.SnapshotFor(toolName);
        var context = new ToolContext(workspace, Clock, _sandbox, snapshot, _cache);
        var handler = ToolRegistry.Handler(toolName)!;

        // The clean result: what the tool really returns. Calls with side effects are not run when a transport fault stops them.
        ToolOutput? clean = stopsCall && sideEffects ? null : await RunAsync(handler, context, argsNode, ct);
        JsonNode? delivered;
        var status = "ok";
        var elapsed = BaseLatencyMs(tool);
        if (firedKind is null)
        {
            delivered = clean!.Value.Body;
            status = clean.Value.IsError ? "error" : "ok";
        }
        else if (firedKind.IsTransport)
        {
            var effect = _transport.Apply(fired!, StepCount, elapsed);
            elapsed = effect.ElapsedMs;
            delivered = effect.Failure ?? clean!.Value.Body;
            status = effect.Failure is not null || clean!.Value.IsError ? "error" : "ok";
        }
        else if (firedKind == ToolsFaultKinds.StaleData)
        {
            // Really older data: the same call against the previous snapshot of the world.
            var stale = await RunAsync(handler, context with { Snapshot = Snapshot.Previous }, argsNode, ct);
            delivered = stale.Body;
            status = stale.IsError ? "error" : "ok";
        }
        else
        {
            (delivered, status) = ApplyDataFault(firedKind, fired!, clean!.Value);
        }

        Clock.Advance(TimeSpan.FromMilliseconds(elapsed));
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

        return new StepOutcome(null, status, cleanText, deliveredText, decisions, rewards, status == "error" ? Summarize(delivered) : null) { Result = delivered, ElapsedMs = elapsed };
    }

    /// <summary>Counts a call (its occurrence feeds the fault decision) and prices repeating one that failed before.</summary>
    private (string CallKey, string Canonical, int Occurrence, List<RewardComponent> Rewards) CountCall(AgentAction.CallTool call)
    {
        var canonical = CanonicalArguments.Canonicalize(call.Arguments, FormOf);
        var callKey = call.ToolName + " " + canonical;
        var occurrence = _occurrences.GetValueOrDefault(callKey);
        _occurrences[callKey] = occurrence + 1;
        var rewards = new List<RewardComponent>();
        var previousFailures = _failures.GetValueOrDefault(callKey);
        if (previousFailures > 0)
        {
            rewards.Add(new RewardComponent("repeat_failing_call", RepeatFailurePenalty(previousFailures), $"the same call already failed {previousFailures} time(s)"));
        }

        return (callKey, canonical, occurrence, rewards);
    }

    private static List<string> JsonTextTooLong(ToolDefinition tool, JsonElement arguments) =>
        [.. tool.Parameters
            .Where(p => arguments.TryGetProperty(p.Name, out var value) && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && value.GetRawText().Length > p.MaxLength)
            .Select(p => $"arguments.{p.Name}: larger than {p.MaxLength.ToString(CultureInfo.InvariantCulture)} characters of JSON")];

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
        return kind.Name switch
        {
            "field_drop" => (PayloadFaults.DropField(payload, targets, pick), "ok"),
            "schema_drift" => (PayloadFaults.RenameField(payload, targets, pick), "ok"),
            "value_corruption" => (PayloadFaults.Corrupt(payload, targets, factor, pick), "ok"),
            "conflicting_duplicate" => (PayloadFaults.Duplicate(payload, targets, factor, pick), "ok"),
            "poisoned_content" => (PayloadFaults.Poison(payload, pick), "ok"),
            "truncation" => (JsonValue.Create(PayloadFaults.Truncate(payload, double.Parse(fired.Parameters["cut_at"], CultureInfo.InvariantCulture))), "ok"),
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

    private StepOutcome Submit(AgentAction.Submit submit, List<RewardComponent> rewards)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(5));
        return new StepOutcome(null, "submitted", null, null, [], rewards, null, submit.Text);
    }

    // Absent rather than null: the reset observation carries these, no other does.
    private static void Add(JsonObject json, string name, JsonNode? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

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

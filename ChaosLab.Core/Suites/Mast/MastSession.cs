using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Mast.Simulation;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// One episode at a time of the mast suite: the agent inspects a simulated pipeline (its
/// definition, failed production runs, their traces and logs), runs trials of candidate configs
/// and submits a config with a diagnosis, graded by running the hardened pipeline on held-out
/// runs. Every run is a pure function of (seed, scenario, config, run key), so the episode is
/// reproducible whatever order its tools are called in. Not thread-safe (the host serializes calls).
/// </summary>
public sealed class MastSession : EpisodeSession<MastObservationFields>
{
    public const string Instructions =
        "Act with one JSON action per step: {\"type\":\"call_tool\",\"tool_name\":\"<tool>\",\"arguments\":{...}}, {\"type\":\"list_tools\"} (costs a step), " +
        "or {\"type\":\"submit_answer\",\"answer\":{\"config\":{...},\"diagnosis\":{\"failure_mode\":\"FM-x.y\",\"component\":\"<agent id>\",\"explanation\":\"...\"}}} which ends the episode " +
        "(a diagnosis may be an array of up to 3; a flat ResilienceConfig object is accepted as a submission too). " +
        "The grade runs your config on held-out runs and compares it with the deployed defaults; free text earns nothing by itself, and settings the pipeline does not need cost score.";

    /// <summary>Production runs an episode starts with (stream <c>incident</c>, default config).</summary>
    public const int IncidentRuns = 8;

    public const string IncidentStream = "incident";
    public const string HeldOutStream = "heldout";

    private const int InspectionMs = 20;

    private readonly MastSuite _suite;
    private readonly Dictionary<string, TrialRun> _runs = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _trials = [];
    private MastInstance? _instance;
    private IReadOnlyList<TrialRun>? _incidents;
    private EpisodeGrade? _submitted;

    internal MastSession(MastSuite suite)
        : base(suite.Name, MastTools.Catalog)
    {
        _suite = suite;
    }

    protected override double StepRewardBound => MastScorer.StepRewardBound;

    public override EnvironmentResult<StepResult> Reset(ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chosen = _suite.Resolve(options);
        return chosen.Succeeded
            ? Start(chosen.Value!, options.Seed, options.EpisodeId, options.Mode)
            : EnvironmentResult<StepResult>.Invalid(chosen.Errors);
    }

    /// <summary>Starts an episode of any definition (built-in or authored).</summary>
    internal EnvironmentResult<StepResult> Start(MastScenarioDefinition definition, long seed, string? episodeId, EpisodeMode mode = EpisodeMode.Practice)
    {
        var task = MastScenarioCatalog.Tasks.First(t => t.Id == definition.TaskId);
        _instance = MastInstances.Create(definition, seed);
        _runs.Clear();
        _trials.Clear();
        _incidents = null;
        _submitted = null;
        BeginEpisode(new EpisodeInfo(
            string.IsNullOrEmpty(episodeId) ? Guid.NewGuid().ToString("N") : episodeId,
            _suite.Name, definition.TaskId, definition.Tier, definition.Id, definition.Version, seed, definition.StepLimit, mode,
            $"Diagnose and harden the {_instance.Kind} pipeline"));
        return EnvironmentResult<StepResult>.Success(FirstStep(new MastObservationFields(
            task.Title, task.Guidance, Instructions, MastTools.ToJson(), FailureModes(), ResilienceConfigReader.Schema(), ResilienceConfigReader.ToJson(ResilienceConfig.Default))));
    }

    protected override ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken) => ValueTask.FromResult(action switch
    {
        AgentAction.ListTools => Inspect(new MastObservationFields(Tools: MastTools.ToJson()), new JsonObject { ["tools"] = MastTools.ToJson() }),
        AgentAction.Submit submit => Submit(submit.Answer),
        AgentAction.CallTool call => Call(call),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    });

    /// <summary>The seed's clients send a bare <c>ResilienceConfig</c> (no <c>type</c>): that is their submission.</summary>
    protected override AgentAction? ActionWithoutType(JsonElement action) =>
        action.GetRawText().Length <= AgentAction.MaxSubmissionLength ? new AgentAction.Submit(JsonNode.Parse(action.GetRawText())!, null) : null;

    protected override IReadOnlyList<RewardComponent> RefusalRewards(AgentAction.CallTool toolCall, ToolCallRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return [new RewardComponent("refused_call", MastScorer.RefusedCallPenalty, refusal.Reason)];
    }

    protected override EpisodeGrade GradeEpisode(string? submission, bool stepLimit) =>
        stepLimit || _submitted is null ? MastScorer.StepLimit(AnswerKey(HeldOut(ResilienceConfig.Default))) : _submitted;

    protected override void AddObservationFields(JsonObject observation, MastObservationFields fields)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(fields);
        Add(observation, "task_title", fields.TaskTitle);
        Add(observation, "guidance", fields.Guidance);
        Add(observation, "instructions", fields.Instructions);
        Add(observation, "tools", fields.Tools);
        Add(observation, "failure_modes", fields.FailureModes);
        Add(observation, "config_schema", fields.ConfigSchema?.DeepClone());
        Add(observation, "config_defaults", fields.ConfigDefaults?.DeepClone());
    }

    /// <summary>What the agent has seen so far: run ids and its trials (nothing it was not shown).</summary>
    protected override void AddStateFields(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state["workbench"] = new JsonObject
        {
            ["runs"] = new JsonArray([.. _runs.Keys.Select(k => (JsonNode)k)]),
            ["trials"] = new JsonArray([.. _trials.Select(t => (JsonNode)t.DeepClone())]),
        };
    }

    private StepOutcome Call(AgentAction.CallTool call)
    {
        var args = call.Arguments;
        return call.ToolName switch
        {
            MastTools.ReadPipeline => Inspect(null, Pipeline()),
            MastTools.ListIncidents => ListIncidents(),
            MastTools.ReadTrace => ReadTrace(call, args["run_id"]!.GetValue<string>()),
            MastTools.ReadAgentLog => ReadAgentLog(call, args["run_id"]!.GetValue<string>(), args["agent_id"]!.GetValue<string>()),
            MastTools.RunTrial => RunTrial(call, args["config"]!.AsObject(), args["runs"]?.GetValue<int>() ?? MastTools.MaxTrialRuns),
            MastTools.SubmitAnswer => Submit(args["answer"]!),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call.ToolName, "A tool the catalog lists but the session does not run."),
        };
    }

    private StepOutcome Inspect(MastObservationFields? fields, JsonObject result, JsonObject? truth = null, int elapsedMs = InspectionMs)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(elapsedMs));
        var delivered = result.ToJsonString();
        return new StepOutcome(fields, "ok", truth?.ToJsonString() ?? delivered, delivered, [], [], null) { Result = result, ElapsedMs = elapsedMs };
    }

    private JsonObject Pipeline()
    {
        var instance = _instance!;
        var task = new JsonObject
        {
            ["goal"] = instance.Task.Goal,
            ["items"] = instance.Task.Items,
            ["constraints"] = new JsonArray([.. instance.Task.Constraints.Select(c => (JsonNode)c)]),
        };
        if (instance.Task.Constraints.Contains("max_words"))
        {
            task["max_words"] = instance.Task.MaxWords;
        }

        return new JsonObject
        {
            ["kind"] = instance.Kind,
            ["agents"] = new JsonArray([.. instance.Agents.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["role"] = a.Role,
                ["input_format"] = a.InputFormat,
                ["output_format"] = a.OutputFormat,
                ["context_window_tokens"] = a.ContextWindowTokens,
                ["role_prompt"] = a.RoleSpec,
            })]),
            ["order"] = new JsonArray([.. instance.Agents.Select(a => (JsonNode)a.Id)]),
            ["task"] = task,
            ["limits"] = new JsonObject { ["slo_ms"] = instance.Limits.SloMs, ["max_turns"] = instance.Limits.MaxTurns },
            ["config"] = ResilienceConfigReader.ToJson(ResilienceConfig.Default),
        };
    }

    private IReadOnlyList<TrialRun> Incidents()
    {
        if (_incidents is null)
        {
            _incidents = [.. Enumerable.Range(0, IncidentRuns).Select(i => PipelineSimulator.Run(_instance!, ResilienceConfig.Default, new TrialKey(IncidentStream, i)))];
            foreach (var run in _incidents)
            {
                _runs[MastRunView.RunId(run.Key)] = run;
            }
        }

        return _incidents;
    }

    private StepOutcome ListIncidents()
    {
        var incidents = Incidents();
        var result = new JsonObject
        {
            ["runs"] = incidents.Count,
            ["passed"] = incidents.Count(r => r.Passed),
            ["slo_ms"] = _instance!.Limits.SloMs,
            ["incidents"] = new JsonArray([.. incidents.Select(r => (JsonNode)MastRunView.Incident(r))]),
        };
        var outcome = Inspect(null, result, elapsedMs: 50);
        return outcome with { Faults = [.. incidents.SelectMany(r => r.Decisions)] };
    }

    private StepOutcome ReadTrace(AgentAction.CallTool call, string runId)
    {
        if (FindRun(runId) is not { } run)
        {
            return Refuse(call, UnknownRun(runId));
        }

        return Inspect(null, new JsonObject { ["message_trace"] = MastRunView.Trace(run, _instance!, truth: false) }, new JsonObject { ["message_trace"] = MastRunView.Trace(run, _instance!, truth: true) });
    }

    private StepOutcome ReadAgentLog(AgentAction.CallTool call, string runId, string agentId)
    {
        if (FindRun(runId) is not { } run)
        {
            return Refuse(call, UnknownRun(runId));
        }

        if (_instance!.Agents.All(a => a.Id != agentId))
        {
            return Refuse(call, new ToolCallRefusal("unknown agent", $"unknown agent '{agentId}'. Agents of this pipeline: {string.Join(", ", _instance.Agents.Select(a => a.Id))}"));
        }

        return Inspect(null, MastRunView.Log(run, agentId));
    }

    private StepOutcome RunTrial(AgentAction.CallTool call, JsonObject configJson, int runs)
    {
        using var document = JsonDocument.Parse(configJson.ToJsonString());
        var reading = ResilienceConfigReader.Read(document.RootElement, _instance!.Agents);
        if (reading.Config is not { } config || reading.Errors.Count > 0)
        {
            return Refuse(call, new ToolCallRefusal("invalid config", "invalid config: " + string.Join("; ", reading.Errors.Select(e => "config" + e))));
        }

        var trial = _trials.Count + 1;
        var stream = "trial-" + trial.ToString(CultureInfo.InvariantCulture);
        var results = Enumerable.Range(0, runs).Select(i => PipelineSimulator.Run(_instance!, config, new TrialKey(stream, i))).ToList();
        foreach (var run in results)
        {
            _runs[MastRunView.RunId(run.Key)] = run;
        }

        var summary = MastRunView.Summary(results, _instance!.Limits.SloMs);
        _trials.Add(new JsonObject { ["trial"] = trial, ["runs"] = runs, ["passed"] = summary["passed"]!.GetValue<int>() });
        var failing = results.FirstOrDefault(r => !r.Passed);
        var delivered = new JsonObject { ["trial"] = trial, ["trial_summary"] = summary };
        var truth = new JsonObject { ["trial"] = trial, ["config"] = ResilienceConfigReader.ToJson(config), ["trial_summary"] = summary.DeepClone() };
        if (failing is not null)
        {
            delivered["failing_run"] = MastRunView.Trace(failing, _instance, truth: false);
            truth["failing_run"] = MastRunView.Trace(failing, _instance, truth: true);
        }

        // The runs of a trial run side by side: the trial takes as long as its slowest run.
        var outcome = Inspect(null, delivered, truth, elapsedMs: results.Max(r => r.LatencyMs));
        return outcome with { Faults = [.. results.SelectMany(r => r.Decisions)] };
    }

    /// <summary>
    /// A valid submission is graded here, where its held-out runs can be recorded with the step;
    /// an invalid one is a spent step that lists its errors, and the episode goes on.
    /// </summary>
    private StepOutcome Submit(JsonNode answer)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(5));
        var (submission, errors) = MastSubmission.Read(answer, _instance!.Agents);
        if (submission is null)
        {
            var message = "invalid submission: " + string.Join("; ", errors);
            return new StepOutcome(null, "error", null, null, [], [new RewardComponent("invalid_submission", MastScorer.RefusedCallPenalty, message)], message)
            {
                Result = new JsonObject { ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]) },
                ElapsedMs = 5,
                Refusal = message,
            };
        }

        var instance = _instance!;
        var hardened = HeldOut(submission.Config);
        var defaults = HeldOut(ResilienceConfig.Default);
        var inputs = new MastScoreInputs(
            MastScorer.HeldOutRuns,
            hardened.Count(r => r.Passed),
            defaults.Count(r => r.Passed),
            [.. instance.Faults.Where(f => MastFaultKinds.Find(f.Kind) is { } kind && MastFaultKinds.ModeOf(kind) is not null)
                .Select(f => new TrueFault(MastFaultKinds.ModeOf(MastFaultKinds.Find(f.Kind)!)!.Code, f.Agent))],
            submission.Diagnoses,
            MastFixes.UnneededSettings(instance, submission.Config));
        _submitted = MastScorer.Grade(inputs, MastScorer.Score(inputs), AnswerKey(defaults));

        var failing = hardened.FirstOrDefault(r => !r.Passed) ?? hardened[0];
        var clean = new JsonObject
        {
            ["config_change"] = new JsonObject
            {
                ["before"] = ResilienceConfigReader.ToJson(ResilienceConfig.Default),
                ["after"] = ResilienceConfigReader.ToJson(submission.Config),
            },
            ["diagnosis"] = new JsonArray([.. submission.Diagnoses.Select(d => (JsonNode)new JsonObject { ["failure_mode"] = d.Code, ["component"] = d.Component })]),
            ["diagnosis_notes"] = new JsonArray([.. submission.DiagnosisNotes.Select(n => (JsonNode)n)]),
            ["trial_summary"] = MastRunView.Summary(hardened, instance.Limits.SloMs),
            ["default_summary"] = MastRunView.Summary(defaults, instance.Limits.SloMs),
            ["message_trace"] = MastRunView.Trace(failing, instance, truth: true),
        };
        var text = answer is JsonValue value && value.TryGetValue<string>(out var s) ? s : answer.ToJsonString();
        return new StepOutcome(null, "submitted", clean.ToJsonString(), null, [.. hardened.SelectMany(r => r.Decisions)], [], null, text);
    }

    private List<TrialRun> HeldOut(ResilienceConfig config) =>
        [.. Enumerable.Range(0, MastScorer.HeldOutRuns).Select(i => PipelineSimulator.Run(_instance!, config, new TrialKey(HeldOutStream, i)))];

    /// <summary>Revealed once the episode is over: the true faults, the reference fix and how the defaults fare.</summary>
    private JsonObject AnswerKey(List<TrialRun> defaults)
    {
        var instance = _instance!;
        return new JsonObject
        {
            ["faults"] = new JsonArray([.. instance.Faults.Select(f => (JsonNode)new JsonObject
            {
                ["kind"] = f.Kind,
                ["mast_code"] = MastFaultKinds.Find(f.Kind) is { } kind ? MastFaultKinds.ModeOf(kind)?.Code : null,
                ["agent"] = f.Agent,
                ["rate"] = f.Rate,
                ["parameters"] = new JsonObject([.. f.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            })]),
            ["reference_fix"] = ResilienceConfigReader.ToJson(MastFixes.ReferenceFix(instance)),
            ["default_success_rate"] = (double)defaults.Count(r => r.Passed) / defaults.Count,
            ["held_out_runs"] = defaults.Count,
        };
    }

    private TrialRun? FindRun(string runId)
    {
        Incidents();
        return _runs.GetValueOrDefault(runId);
    }

    private ToolCallRefusal UnknownRun(string runId) =>
        new("unknown run", $"unknown run '{runId}'. Runs you can read: {string.Join(", ", _runs.Keys.Take(20))}{(_runs.Count > 20 ? ", ..." : "")}");

    private static JsonArray FailureModes() => new([.. MastTaxonomy.All.Select(m => (JsonNode)new JsonObject
    {
        ["code"] = m.Code,
        ["name"] = m.Name,
        ["category"] = MastTaxonomy.CategoryName(m.Category),
        ["description"] = m.Description,
    })]);

    // Absent rather than null: the reset observation carries these, no other does.
    private static void Add(JsonObject json, string name, JsonNode? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Scenarios;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// One episode at a time of the gauntlet: the agent reads a fragile piece of Python and its
/// requirements, probes in the sandbox, grades candidates on the public examples and submits a
/// rewrite, graded on hidden cases that are drawn from the seed only when it submits. Nothing an
/// observation or a record holds depends on the host's speed: tools take fixed episode time and
/// no wall time of a sandbox run is ever shown. Not thread-safe (the host serializes calls).
/// </summary>
public sealed class GauntletSession : EpisodeSession<GauntletObservationFields>
{
    public const string Instructions =
        "Act with one JSON action per step: {\"type\":\"call_tool\",\"tool_name\":\"<tool>\",\"arguments\":{...}} or {\"type\":\"list_tools\"} (costs a step). " +
        "Submit with the submit_code tool ({\"code\":\"...\"}) or {\"type\":\"submit_answer\",\"answer\":\"<code>\"} (or \"answer\":{\"code\":\"...\"}); a submission ends the episode. " +
        "Your code must define the graded function; it runs in a sandbox, one process per call, with the state carried between calls serialized. " +
        "It is graded on hidden adversarial cases drawn from the episode's seed when you submit (the public examples are a different draw): per requirement tier, the share of cases on which every check of that tier and the tiers below passed.";

    public const double RefusedCallPenalty = -0.01;
    public const double MaxStepReward = 0.01;

    /// <summary>Episode time each tool takes (fixed, so observations never depend on the host's speed).</summary>
    private const int InspectionMs = 20;
    private const int PythonMs = 500;
    private const int ExamplesMs = 1000;
    private const int GradingMs = 2000;

    /// <summary>Wraps run_python's code so math and statistics are imported and tracebacks name only the agent's file.</summary>
    private const string PythonLauncher = """
        import math, statistics, sys, traceback
        with open("snippet.py", encoding="utf-8") as _file:
            _source = _file.read()
        try:
            exec(compile(_source, "snippet.py", "exec"), {"__name__": "__main__", "math": math, "statistics": statistics})
        except SystemExit:
            raise
        except BaseException as _error:
            traceback.print_exception(type(_error), _error, _error.__traceback__.tb_next)
            sys.exit(1)
        """;

    private const string SnippetFile = "snippet.py";

    private readonly GauntletSuite _suite;
    private readonly List<JsonObject> _examples = [];
    private int _pythonRuns;
    private GauntletScenarioDefinition? _scenario;
    private IFragilePiece? _piece;
    private string? _previousCode;
    private EpisodeGrade? _submitted;

    internal GauntletSession(GauntletSuite suite)
        : base(suite.Name, GauntletTools.Catalog)
    {
        _suite = suite;
    }

    protected override double StepRewardBound => MaxStepReward;

    public override EnvironmentResult<StepResult> Reset(ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!_suite.Sandbox.Availability.IsAvailable)
        {
            return EnvironmentResult<StepResult>.Invalid(new ValidationError("suite",
                $"the gauntlet suite runs code in the Python sandbox, which is not available on this server: {_suite.Sandbox.Availability.Reason}"));
        }

        var chosen = _suite.Resolve(options);
        return chosen.Succeeded
            ? Start(chosen.Value!, options.Seed, options.EpisodeId, options.Mode)
            : EnvironmentResult<StepResult>.Invalid(chosen.Errors);
    }

    private EnvironmentResult<StepResult> Start(GauntletScenarioDefinition scenario, long seed, string? episodeId, EpisodeMode mode)
    {
        var piece = _suite.Catalog.Piece(scenario.TaskId)!;
        _scenario = scenario;
        _piece = piece;
        _examples.Clear();
        _pythonRuns = 0;
        _previousCode = null;
        _submitted = null;
        BeginEpisode(new EpisodeInfo(
            string.IsNullOrEmpty(episodeId) ? Guid.NewGuid().ToString("N") : episodeId,
            _suite.Name, scenario.TaskId, scenario.Tier, scenario.Id, scenario.Version, seed, scenario.StepLimit, mode,
            $"Harden {piece.EntryPoint} ({piece.Title})"));
        return EnvironmentResult<StepResult>.Success(FirstStep(new GauntletObservationFields(
            piece.Title, piece.Guidance, Instructions, GauntletTools.ToJson(), piece.EntryPoint, RequirementTiers())));
    }

    protected override async ValueTask<StepOutcome> ActAsync(AgentAction action, JsonElement? arguments, CancellationToken cancellationToken) => action switch
    {
        AgentAction.ListTools => Inspect(new GauntletObservationFields(Tools: GauntletTools.ToJson()), new JsonObject { ["tools"] = GauntletTools.ToJson() }),
        AgentAction.Submit submit => await SubmitAnswerAsync(submit, cancellationToken),
        AgentAction.CallTool call => await CallAsync(call, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    protected override IReadOnlyList<RewardComponent> RefusalRewards(AgentAction.CallTool toolCall, ToolCallRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return [new RewardComponent("refused_call", RefusedCallPenalty, refusal.Reason)];
    }

    protected override EpisodeGrade GradeEpisode(string? submission, bool stepLimit) =>
        stepLimit || _submitted is null ? GauntletGrades.StepLimit(_piece!, HiddenDraw()) : _submitted;

    protected override void AddObservationFields(JsonObject observation, GauntletObservationFields fields)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(fields);
        Add(observation, "task_title", fields.TaskTitle);
        Add(observation, "guidance", fields.Guidance);
        Add(observation, "instructions", fields.Instructions);
        Add(observation, "tools", fields.Tools);
        Add(observation, "entry_point", fields.EntryPoint);
        Add(observation, "requirement_tiers", fields.RequirementTiers);
    }

    /// <summary>What the agent did in the sandbox (nothing it was not shown).</summary>
    protected override void AddStateFields(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state["workbench"] = new JsonObject
        {
            ["python_runs"] = _pythonRuns,
            ["examples"] = new JsonArray([.. _examples.Select(e => (JsonNode)e.DeepClone())]),
        };
    }

    private async ValueTask<StepOutcome> CallAsync(AgentAction.CallTool call, CancellationToken cancellationToken)
    {
        if (call.ToolName is GauntletTools.ReadSource)
        {
            return Inspect(null, Source());
        }

        if (call.ToolName is GauntletTools.ReadRequirements)
        {
            return Inspect(null, new JsonObject { ["requirements"] = _piece!.Requirements });
        }

        var code = call.Arguments["code"]!.GetValue<string>();
        if (TooLarge(code) is { } refusal)
        {
            return Refuse(call, refusal);
        }

        return call.ToolName switch
        {
            GauntletTools.RunPython => await RunPythonAsync(code, cancellationToken),
            GauntletTools.RunExamples => await RunExamplesAsync(code, cancellationToken),
            GauntletTools.SubmitCode => await SubmitAsync(code, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call.ToolName, "A tool the catalog lists but the session does not run."),
        };
    }

    private StepOutcome Inspect(GauntletObservationFields? fields, JsonObject result, int elapsedMs = InspectionMs)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(elapsedMs));
        var delivered = result.ToJsonString();
        return new StepOutcome(fields, "ok", delivered, delivered, [], [], null) { Result = result, ElapsedMs = elapsedMs };
    }

    private JsonObject Source()
    {
        var piece = _piece!;
        return new JsonObject
        {
            ["entry_point"] = piece.EntryPoint,
            ["signature"] = $"{piece.EntryPoint}(payload, state)",
            ["source"] = piece.OriginalSource,
            ["runtime"] = new JsonObject
            {
                ["dependencies"] = new JsonArray([.. piece.Dependencies.Select(d => (JsonNode)d)]),
                ["clock"] = "now() returns the virtual clock in seconds; sleep(seconds) advances it without waiting (time.time, time.monotonic and time.sleep are the same clock)",
                ["errors"] = "TransientError and PermanentError are defined; a dependency may also raise TimeoutError, ConnectionError or ValueError",
                ["state"] = "a dict, mutated in place; it is serialized after each call and handed to the next one, so it must hold plain data (dicts, lists, deques, sets, numbers, strings)",
                ["isolation"] = "each call runs in a fresh process: module globals do not survive between calls; a call may take 1 s and make 2000 dependency calls",
            },
        };
    }

    private async Task<StepOutcome> RunPythonAsync(string code, CancellationToken cancellationToken)
    {
        _pythonRuns++;
        var result = await _suite.Sandbox.RunPythonAsync(
            new SandboxRequest(PythonLauncher, Files: new Dictionary<string, string> { [SnippetFile] = code }), cancellationToken);
        var run = GauntletStepResults.SandboxRun(result);
        var outcome = Inspect(null, new JsonObject { ["sandbox_run"] = run }, PythonMs);
        return result.Outcome == SandboxOutcome.Refused
            ? outcome with { Status = "error", Error = "code execution is unavailable on this server (no sandbox), so the code was not run" }
            : outcome;
    }

    private async Task<StepOutcome> RunExamplesAsync(string code, CancellationToken cancellationToken)
    {
        var piece = _piece!;
        var draw = new CaseDraw(Episode!.Seed, CaseDraw.PublicStream, GauntletDifficulty.Public(_scenario!.Difficulty));
        var grading = await _suite.Grader.GradeAsync(piece, code, draw, cancellationToken);
        var result = new JsonObject
        {
            ["score"] = grading.Score.Score,
            ["summary"] = grading.Failure ?? grading.Score.Summary,
            ["tier_verdicts"] = GauntletStepResults.TierVerdicts("public examples", grading),
            ["sandbox_run"] = GauntletStepResults.SandboxRun(GauntletStepResults.ExamplesLabel, grading.Run),
            ["code_change"] = GauntletStepResults.CodeChange(piece.OriginalSource, _previousCode, code),
        };
        _previousCode = code;
        _examples.Add(new JsonObject { ["run"] = _examples.Count + 1, ["score"] = grading.Score.Score });
        var outcome = Inspect(null, result, ExamplesMs);

        // The public cases are the agent's to see; their decisions are recorded like any tool's faults.
        return outcome with { Faults = grading.Cases.Faults };
    }

    private async Task<StepOutcome> SubmitAnswerAsync(AgentAction.Submit submit, CancellationToken cancellationToken)
    {
        var code = submit.Answer switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject answer when answer["code"] is JsonValue value && value.TryGetValue<string>(out var text) => text,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(code))
        {
            const string message = "invalid submission: the answer is the code, as a string or as {\"code\": \"...\"}";
            Clock.Advance(TimeSpan.FromMilliseconds(InspectionMs));
            return new StepOutcome(null, "error", null, null, [], [new RewardComponent("invalid_submission", RefusedCallPenalty, message)], message)
            {
                ElapsedMs = InspectionMs,
                Refusal = message,
            };
        }

        return await SubmitAsync(code, cancellationToken);
    }

    /// <summary>
    /// Grades the code on the hidden draw, generated here from the seed: before this step the
    /// hidden cases do not exist anywhere, so nothing can leak them while the episode runs.
    /// </summary>
    private async Task<StepOutcome> SubmitAsync(string code, CancellationToken cancellationToken)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(GradingMs));
        var piece = _piece!;
        var grading = await _suite.Grader.GradeAsync(piece, code, HiddenDraw(), cancellationToken);
        _submitted = GauntletGrades.Submission(piece, grading);
        var clean = new JsonObject
        {
            ["score"] = grading.Score.Score,
            ["summary"] = grading.Failure ?? grading.Score.Summary,
            ["tier_verdicts"] = GauntletStepResults.TierVerdicts("hidden cases", grading),
            ["sandbox_run"] = GauntletStepResults.SandboxRun(GauntletStepResults.GradingLabel, grading.Run),
            ["code_change"] = GauntletStepResults.CodeChange(piece.OriginalSource, _previousCode, code),
        };
        _previousCode = code;
        return new StepOutcome(null, "submitted", clean.ToJsonString(), null, grading.Cases.Faults, [], null, code);
    }

    private CaseDraw HiddenDraw() => new(Episode!.Seed, CaseDraw.HiddenStream, _scenario!.Difficulty);

    private JsonArray RequirementTiers() => new([.. _piece!.RequirementTiers.Select(t => (JsonNode)new JsonObject
    {
        ["tier"] = t.Number,
        ["name"] = t.Name,
        ["summary"] = t.Summary,
        ["graded"] = _scenario!.GradedTiers.Contains(t.Number),
    })]);

    private static ToolCallRefusal? TooLarge(string code)
    {
        var bytes = Encoding.UTF8.GetByteCount(code);
        return bytes <= GauntletTools.MaxCodeBytes
            ? null
            : new ToolCallRefusal("code too large", string.Create(CultureInfo.InvariantCulture, $"the code is {bytes} bytes; tools take at most {GauntletTools.MaxCodeBytes} bytes (64 KB)"));
    }

    // Absent rather than null: the reset observation carries these, no other does.
    private static void Add(JsonObject json, string name, JsonNode? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}

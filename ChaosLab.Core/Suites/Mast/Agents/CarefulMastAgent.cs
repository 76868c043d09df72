using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Agents;

/// <summary>
/// An operator who looks before changing anything: reads the pipeline and the failed incidents,
/// reads a failing run's trace and the logs that can explain each kind of failure, infers the
/// failure mode and the agent at fault from the symptom lines, applies the fix each fault needs
/// and nothing else, tries it once, adjusts once if failures remain and submits. It sees only
/// observations, like any client.
/// </summary>
public sealed class CarefulMastAgent : IAgent
{
    public const string AgentName = "careful";

    private readonly HashSet<string> _logsRead = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tracesRead = new(StringComparer.Ordinal);
    private readonly List<(string RunId, string Reason)> _failures = [];
    private PipelineView? _pipeline;
    private HardeningPlan? _plan;
    private bool _incidentsListed;
    private int _trials;
    private bool _chunkHistory;
    private JsonObject? _triedConfig;
    private int _triedFailures = int.MaxValue;
    private JsonObject? _bestConfig;
    private int _bestFailures = int.MaxValue;
    private bool _adjusted;
    private Symptom? _coverage;

    public string Name => AgentName;

    public JsonObject NextAction(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation["kind"]?.ToString() == "reset")
        {
            Restart();
        }
        else
        {
            Absorb(observation);
        }

        var remaining = observation["steps_remaining"]?.GetValue<int>() ?? 0;
        if (_pipeline is null)
        {
            return Call(MastTools.ReadPipeline, []);
        }

        if (!_incidentsListed)
        {
            return Call(MastTools.ListIncidents, []);
        }

        // Keep a step for the trial and one for the submission; after a trial, one to adjust and try again.
        var reserve = _trials == 0 ? 2 : 1;
        if (remaining <= 1)
        {
            return Submit();
        }

        if (remaining > reserve && NextInspection() is { } inspection)
        {
            return inspection;
        }

        var config = _plan!.Config(_chunkHistory);
        if (_trials == 0 || (_bestFailures > 0 && !_adjusted && remaining > 1 && !SameConfig(config, _triedConfig)))
        {
            _adjusted = _trials > 0;
            _trials++;
            _triedConfig = config;
            return Call(MastTools.RunTrial, new JsonObject { ["config"] = config.DeepClone(), ["runs"] = MastTools.MaxTrialRuns });
        }

        return Submit();
    }

    private void Restart()
    {
        _logsRead.Clear();
        _tracesRead.Clear();
        _failures.Clear();
        _pipeline = null;
        _plan = null;
        _incidentsListed = false;
        _trials = 0;
        _chunkHistory = false;
        _triedConfig = null;
        _triedFailures = int.MaxValue;
        _bestConfig = null;
        _bestFailures = int.MaxValue;
        _adjusted = false;
        _coverage = null;
    }

    private void Absorb(JsonObject observation)
    {
        var result = observation["result"];
        switch (observation["tool_name"]?.ToString())
        {
            case MastTools.ReadPipeline when PipelineView.From(result) is { } pipeline:
                _pipeline = pipeline;
                _plan = new HardeningPlan(pipeline);
                break;
            case MastTools.ListIncidents:
                _incidentsListed = true;
                foreach (var incident in (result?["incidents"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (incident["passed"]?.GetValue<bool>() == false)
                    {
                        Fail(incident["run_id"]!.ToString(), incident["failure"]?.ToString() ?? "");
                    }
                }

                break;
            case MastTools.ReadTrace when (result?["message_trace"]) is JsonObject trace:
                ReadTrace(trace);
                break;
            case MastTools.ReadAgentLog when result is JsonObject log:
                var author = log["agent_id"]?.ToString();
                foreach (var line in (log["lines"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    Learn(line["text"]?.ToString(), author);
                }

                break;
            case MastTools.RunTrial when (result?["trial_summary"]) is JsonObject summary:
                var failed = summary["failed"]?.GetValue<int>() ?? 0;
                _triedFailures = failed;
                if (failed < _bestFailures)
                {
                    _bestFailures = failed;
                    _bestConfig = _triedConfig;
                }

                var before = _plan!.Faults.Count;
                if (result["failing_run"] is JsonObject failing)
                {
                    ReadTrace(failing);
                    Fail(failing["run_id"]!.ToString(), failing["failure"]?.ToString() ?? "");
                }

                foreach (var error in (summary["errors"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    Learn(error["reason"]?.ToString(), null);
                }

                // The history fault's summaries still lost the instruction: keep all of it instead.
                if (_plan.Faults.Count == before && _plan.Has(MastFaultKinds.HistoryLoss.Name)
                    && (summary["errors"] as JsonArray ?? []).OfType<JsonObject>().Any(e => Symptoms.Classify(e["reason"]?.ToString()) == Symptoms.FailureClass.ConstraintViolated))
                {
                    _chunkHistory = true;
                }

                break;
        }
    }

    private void Fail(string runId, string reason)
    {
        _failures.Add((runId, reason));
        Learn(reason, null);
        var pipeline = _pipeline!;
        switch (Symptoms.Classify(reason))
        {
            case Symptoms.FailureClass.InputUnreadable when Symptoms.UnreadableConsumer(reason) is { } consumer:
                // The producer is the agent before the consumer, unless a trace says otherwise.
                var index = pipeline.Agents.ToList().FindIndex(a => a.Id == consumer);
                _plan!.Add(new Symptom(MastFaultKinds.FormatMismatch.Name, index > 0 ? pipeline.Agents[index - 1].Id : null, new Dictionary<string, int>()));
                break;
            case Symptoms.FailureClass.EffectMismatch:
                _plan!.Add(new Symptom(MastFaultKinds.ReasoningActionMismatch.Name, pipeline.WithRole(AgentRoles.Executor).FirstOrDefault()?.Id, new Dictionary<string, int>()));
                break;
            case Symptoms.FailureClass.DefectPassed:
                _plan!.Add(_coverage ?? new Symptom(MastFaultKinds.IncompleteVerification.Name, Reviewer(), new Dictionary<string, int>()));
                break;
            case Symptoms.FailureClass.Contradiction:
                _plan!.Add(new Symptom(MastFaultKinds.IncorrectVerification.Name, Reviewer(), new Dictionary<string, int>()));
                break;
        }
    }

    private void ReadTrace(JsonObject trace)
    {
        _tracesRead.Add(trace["run_id"]?.ToString() ?? "");
        var messages = (trace["messages"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var message in messages)
        {
            var from = message["from"]?.ToString();
            foreach (var symptom in Symptoms.Read(message["body"]?.ToString(), from))
            {
                if (symptom.Kind == MastFaultKinds.IncompleteVerification.Name)
                {
                    // A review body says how much each pass covers; only a defect that got through
                    // says the review was too shallow (a healthy review reads the same way).
                    _coverage = symptom with { Agent = _pipeline!.Find(from) is not null ? from : Reviewer() };
                    if (_plan!.Has(symptom.Kind))
                    {
                        _plan.Add(_coverage);
                    }
                }
                else if (symptom.Kind != MastFaultKinds.IncorrectVerification.Name)
                {
                    _plan!.Add(symptom);
                }
            }

            // Whoever sent the unverified final is the agent that terminated early.
            if (message["type"]?.ToString() == "final" && Symptoms.Classify(trace["failure"]?.ToString()) == Symptoms.FailureClass.NotVerified && _pipeline!.Find(from) is not null)
            {
                _plan!.Add(new Symptom(MastFaultKinds.PrematureTermination.Name, from, new Dictionary<string, int>()));
            }

            // The message a consumer could not read names its producer.
            if (message["status"]?.ToString() == "error" && Symptoms.Classify(trace["failure"]?.ToString()) == Symptoms.FailureClass.InputUnreadable && _pipeline!.Find(from) is not null)
            {
                _plan!.Add(new Symptom(MastFaultKinds.FormatMismatch.Name, from, new Dictionary<string, int>()));
            }
        }
    }

    private void Learn(string? text, string? author)
    {
        foreach (var symptom in Symptoms.Read(text, author))
        {
            _plan!.Add(symptom);
        }
    }

    /// <summary>The next trace or log that can explain a failure not explained yet, or null when every one is.</summary>
    private JsonObject? NextInspection()
    {
        var pipeline = _pipeline!;
        foreach (var (runId, reason) in _failures)
        {
            var failure = Symptoms.Classify(reason);
            if (Explained(failure, reason))
            {
                continue;
            }

            // A trace first: review bodies, who sent the final, who sent what could not be read.
            if ((_tracesRead.Count == 0 || failure is Symptoms.FailureClass.NotVerified or Symptoms.FailureClass.DefectPassed) && _tracesRead.Add(runId))
            {
                return Call(MastTools.ReadTrace, new JsonObject { ["run_id"] = runId });
            }

            foreach (var agent in Suspects(failure, reason))
            {
                if (_logsRead.Add(runId + "|" + agent.Id))
                {
                    return Call(MastTools.ReadAgentLog, new JsonObject { ["run_id"] = runId, ["agent_id"] = agent.Id });
                }
            }
        }

        return null;
    }

    private bool Explained(Symptoms.FailureClass failure, string reason)
    {
        var plan = _plan!;
        bool Any(params string[] kinds) => kinds.Any(k => plan.Faults.Any(f => f.Kind == k && (f.Agent is not null || MastFaultKinds.Find(k)!.IsTransport)));
        return failure switch
        {
            Symptoms.FailureClass.ConstraintViolated => Any(MastFaultKinds.TaskSpecViolation.Name, MastFaultKinds.HistoryLoss.Name),
            Symptoms.FailureClass.ItemsMissing => Any(MastFaultKinds.RoleDrift.Name, MastFaultKinds.BackendOutage.Name),
            Symptoms.FailureClass.TurnLimit => Any(MastFaultKinds.StepRepetition.Name, MastFaultKinds.NoStopCondition.Name),
            Symptoms.FailureClass.InputUnreadable => Any(MastFaultKinds.FormatMismatch.Name),
            Symptoms.FailureClass.EffectMismatch => Any(MastFaultKinds.ReasoningActionMismatch.Name),
            Symptoms.FailureClass.NotVerified => Any(MastFaultKinds.PrematureTermination.Name),
            Symptoms.FailureClass.DefectPassed => plan.Faults.Any(f => f.Kind == MastFaultKinds.IncompleteVerification.Name && f.Value("sections") is not null),
            Symptoms.FailureClass.Contradiction => Any(MastFaultKinds.IncorrectVerification.Name),
            _ => Symptoms.Read(reason).Any() || plan.Faults.Any(f => MastFaultKinds.Find(f.Kind)!.IsTransport),
        };
    }

    /// <summary>Whose logs can explain a failure, most likely first.</summary>
    private IEnumerable<PipelineView.Agent> Suspects(Symptoms.FailureClass failure, string reason)
    {
        var pipeline = _pipeline!;
        var named = pipeline.Agents.Where(a => reason.Contains(a.Id, StringComparison.Ordinal));
        return failure switch
        {
            Symptoms.FailureClass.ConstraintViolated => pipeline.WithRole(AgentRoles.Writer, AgentRoles.Executor, AgentRoles.Researcher),
            // The agent after the one that drifted logs what it expected from it.
            Symptoms.FailureClass.ItemsMissing => pipeline.Agents.Skip(1),
            Symptoms.FailureClass.TurnLimit => pipeline.WithRole(AgentRoles.Executor, AgentRoles.Researcher, AgentRoles.Writer),
            Symptoms.FailureClass.NotVerified => pipeline.WithRole(AgentRoles.Writer, AgentRoles.Coordinator),
            Symptoms.FailureClass.Other => named.Concat(pipeline.Agents.Except(named)),
            _ => [],
        };
    }

    private string? Reviewer() => _pipeline!.WithRole(AgentRoles.Reviewer).FirstOrDefault()?.Id;

    private JsonObject Submit()
    {
        var config = _bestConfig is not null && _bestFailures < _triedFailures ? _bestConfig : _plan?.Config(_chunkHistory) ?? [];
        var answer = new JsonObject { ["config"] = config.DeepClone() };
        if (_plan is not null && _plan.Faults.Count > 0)
        {
            answer["diagnosis"] = _plan.Diagnosis();
        }

        return new JsonObject { ["type"] = "submit_answer", ["answer"] = answer };
    }

    private static bool SameConfig(JsonObject a, JsonObject? b) => b is not null && JsonNode.DeepEquals(a, b);

    private static JsonObject Call(string tool, JsonObject arguments) => new()
    {
        ["type"] = "call_tool",
        ["tool_name"] = tool,
        ["arguments"] = arguments,
    };
}

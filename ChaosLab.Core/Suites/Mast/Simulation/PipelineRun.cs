using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// One run: the work item goes through the agents in order (a reviewer may send a draft back to
/// its writer), every model call through the config's Polly pipeline on the run's simulated
/// clock, every fault as the design's table says. Symptoms are logged in the operator's words
/// (<see cref="Symptoms"/>); messages a fault shaped carry its kind.
/// </summary>
internal sealed partial class PipelineRun
{
    private const int HangMinMs = 45_000;
    private const int HangMaxMs = 90_000;
    private const int UnreachableMs = 600_000;
    private const int RefusalMs = 50;
    private const int TranslatorMs = 15;
    private const int GuardMs = 2;
    private const int ValidationMs = 40;
    private const int ReviewPassMs = 400;
    private const int ConsistencyMs = 250;
    private const int SummaryMs = 300;
    private const double SummaryKeepsInstructions = 0.97;
    private const double ConsistencyFalsePositive = 0.05;

    /// <summary>After the validator names the mismatch, a re-asked executor repeats it this rarely.</summary>
    private const double ReaskMismatch = 0.2;

    private const int MaxReasks = 2;

    private readonly MastInstance _instance;
    private readonly ResilienceConfig _config;
    private readonly TrialKey _key;
    private readonly SimulationWorkspace _workspace;
    private readonly RunStreams _streams;
    private readonly AgentState[] _agents;
    private readonly List<TraceMessage> _messages = new(24);
    private readonly List<AgentLogLine> _logs = new(8);
    private readonly List<FaultDecision> _decisions = new(8);
    private readonly List<InjectedFault> _decided = new(4);
    private readonly (InjectedFault Fault, double Roll)[] _mastRolls;
    private readonly WorkContent _content;
    private readonly bool[] _lost;
    private readonly List<(string Constraint, string Detail)> _violations = [];
    private readonly List<(int Section, string What)> _defects = [];
    private (int First, string Says, int Second, string SaysOther)? _contradiction;
    private (int Step, string Effect, string Planned)? _mismatch;
    private Handoff? _pending;
    private Handoff? _received;
    private int _mismatchAt = -1;
    private string? _violationFault;
    private int _turns;
    private string? _stop;
    private bool _verified;
    private bool _finalSent;

    public PipelineRun(MastInstance instance, ResilienceConfig config, TrialKey key, SimulationWorkspace workspace)
    {
        _instance = instance;
        _config = config;
        _key = key;
        _workspace = workspace;
        _streams = new RunStreams(instance, key);
        _agents = new AgentState[instance.Agents.Count];
        for (var i = 0; i < _agents.Length; i++)
        {
            var agent = instance.Agents[i];
            _agents[i] = new AgentState(agent, i, config.SpecFor(agent), _streams.Stream("latency", i), _streams.Stream("backend", i));
        }

        var faultStream = _streams.Stream("fault");
        var rolls = new List<(InjectedFault, double)>(instance.Faults.Count);
        var legitRepeat = false;
        foreach (var fault in instance.Faults)
        {
            // One roll per fault per run, drawn whatever the config: paired runs meet the same faults.
            var roll = faultStream.NextDouble();
            if (fault.Kind == MastFaultKinds.BackendOutage.Name)
            {
                SetUpOutage(fault, roll);
            }
            else if (IsPerCall(fault.Kind))
            {
                AgentById(fault.Agent)?.BackendFaults.Add(fault);
            }
            else
            {
                rolls.Add((fault, roll));
                legitRepeat |= fault.Kind == MastFaultKinds.StepRepetition.Name && IntParameter(fault, "legit_repeats", 0) > 0;
            }
        }

        _mastRolls = [.. rolls];
        _content = WorkContent.Draw(_streams.Stream("content"), instance, legitRepeat);
        _lost = new bool[Math.Max(1, instance.Task.Items)];
    }

    public SimulatedClock Clock => _workspace.Clock;

    private int Items => _lost.Length;

    private string? FirstConstraint => _instance.Task.Constraints.Count > 0 ? _instance.Task.Constraints[0] : null;

    public TrialRun Execute()
    {
        var first = _agents[0];
        Send("orchestrator", first.Id, "task", "text", TaskText(), "ok");
        for (var i = 0; i < _agents.Length && _stop is null; i++)
        {
            var agent = _agents[i];
            if (IsChecker(agent) && DeclaresDonePrematurely())
            {
                break;
            }

            if (i > 0 && !Deliver(_agents[i - 1], agent))
            {
                break;
            }

            switch (agent.Role)
            {
                case AgentRoles.Planner:
                    Plan(agent);
                    break;
                case AgentRoles.Coordinator when i == 0:
                    Plan(agent);
                    break;
                case AgentRoles.Researcher or AgentRoles.Executor or AgentRoles.Writer:
                    Work(agent);
                    break;
                case AgentRoles.Reviewer:
                    Review(agent);
                    break;
                case AgentRoles.Verifier:
                    Verify(agent);
                    break;
                default:
                    Route(agent);
                    break;
            }
        }

        if (_stop is null && !_finalSent)
        {
            var finalizer = Finalizer();
            if (_pending is { } last && last.From != finalizer)
            {
                Send(last.From.Id, finalizer.Id, last.Type, "text", last.Prose, "ok", last.Fault);
            }

            SendFinal(finalizer, fault: null);
        }

        return Judge();
    }

    // ---- Agents ------------------------------------------------------------------------------

    private void Plan(AgentState agent)
    {
        if (!TakeTurn(agent) || Call(agent) is not { } reply)
        {
            return;
        }

        if (reply == ModelReply.Skipped)
        {
            // No plan: the task passes through, but nothing downstream knows its steps.
            MarkLost(0, Items);
            _pending = new Handoff(agent, "task", null, TaskText(), null);
            return;
        }

        var type = agent.Role == AgentRoles.Coordinator ? "assignment" : "plan";
        if (Drifts(agent) is { } drift)
        {
            MarkLost(drift.Covered, Items);
            _pending = new Handoff(agent, drift.Type, ItemsMessage(drift.Type, drift.Covered), ItemsProse(drift.Covered), MastFaultKinds.RoleDrift.Name) { Expected = type };
            return;
        }

        _pending = new Handoff(agent, type, PlanMessage(), PlanProse(), null);
    }

    /// <summary>A researcher, executor or writer: its steps, and the MAST modes that live in them.</summary>
    private void Work(AgentState agent)
    {
        var writer = agent.Role == AgentRoles.Writer;
        var steps = writer ? 1 : Items;
        ApplyHistory(agent);
        SpecViolation(agent);
        _mismatchAt = MismatchAt(agent);
        var repetition = RepetitionOf(agent, steps);
        var consecutive = 0;
        string? previousStep = null;
        for (var j = 0; j < steps && _stop is null; j++)
        {
            if (agent.MaxOwnTurns is { } ownLimit && agent.OwnTurns >= ownLimit)
            {
                // Its spec told it to stop after N turns: whatever is left is not done.
                MarkLost(writer ? 0 : j, Items);
                break;
            }

            var step = writer ? $"draft the report on {_content.Topic}" : _content.Steps[j];
            consecutive = step == previousStep ? consecutive + 1 : 1;
            previousStep = step;
            if (GuardBlocks(agent, step, consecutive, fault: null))
            {
                // The plan meant this repeat; a guard that strict loses the item.
                MarkLost(j, j + 1);
                consecutive = 0;
                continue;
            }

            if (!DoStep(agent, j, step, fault: null))
            {
                return;
            }

            if (repetition is { } loop && loop.AfterStep == j)
            {
                var skipTo = Repeat(agent, j, step, loop, consecutive);
                if (_stop is not null)
                {
                    return;
                }

                consecutive = 0;
                previousStep = null;
                if (skipTo > j)
                {
                    MarkLost(j + 1, Math.Min(skipTo + 1, Items));
                    j = skipTo;
                }
            }
        }

        if (_stop is null)
        {
            KeepsGoing(agent);
        }

        if (_stop is not null)
        {
            return;
        }

        var type = TypeOf(agent.Role);
        if (Drifts(agent) is { } drift)
        {
            MarkLost(drift.Covered, Items);
            _pending = new Handoff(agent, drift.Type, ItemsMessage(drift.Type, drift.Covered), ItemsProse(drift.Covered), MastFaultKinds.RoleDrift.Name) { Expected = type };
            return;
        }

        _pending = new Handoff(agent, type, ItemsMessage(type, Items), ItemsProse(Items), _violationFault);
        if (writer)
        {
            DraftFlaws(agent);
        }
    }

    /// <summary>One step: a turn, a model call, and for an executor the action it takes.</summary>
    private bool DoStep(AgentState agent, int index, string step, string? fault)
    {
        if (!TakeTurn(agent) || Call(agent) is not { } reply)
        {
            return false;
        }

        var writer = agent.Role == AgentRoles.Writer;
        switch (reply)
        {
            case ModelReply.Skipped:
                MarkLost(writer ? 0 : index, writer ? Items : index + 1);
                return true;
            case ModelReply.Summarized when writer:
                // A summary is no draft: half of the sections never get written.
                MarkLost((Items + 1) / 2, Items);
                return true;
            case ModelReply.Summarized when agent.Role == AgentRoles.Executor:
                MarkLost(index, index + 1);
                return true;
            default:
                break;
        }

        if (agent.Role == AgentRoles.Executor)
        {
            Act(agent, index, step, fault);
        }
        else if (agent.Role == AgentRoles.Researcher)
        {
            Send(agent.Id, "orchestrator", "search", "text", step, "ok", fault);
        }

        return true;
    }

    private void Act(AgentState agent, int index, string planned, string? fault)
    {
        var effect = planned;
        string? mismatchFault = null;
        if (index == _mismatchAt)
        {
            effect = WorkContent.WrongEffect(_streams.Stream("mismatch"), planned);
            mismatchFault = MastFaultKinds.ReasoningActionMismatch.Name;
        }

        Send(agent.Id, "orchestrator", "action", "json", ActionBody(index, planned, effect), "ok", mismatchFault ?? fault);
        if (_config.ActionValidation)
        {
            var reasks = _streams.Stream("reask");
            for (var attempt = 0; ; attempt++)
            {
                Clock.Advance(ValidationMs);
                if (effect == planned)
                {
                    break;
                }

                if (attempt == MaxReasks)
                {
                    break;
                }

                Send("validator", agent.Id, "error", "text", $"action '{effect}' does not match the reasoning '{planned}'; asked again", "blocked", mismatchFault);
                if (!TakeTurn(agent) || Call(agent) is null)
                {
                    return;
                }

                if (reasks.NextDouble() >= ReaskMismatch)
                {
                    effect = planned;
                }

                Send(agent.Id, "orchestrator", "action", "json", ActionBody(index, planned, effect), "ok", effect == planned ? null : mismatchFault);
            }
        }

        if (effect != planned)
        {
            _mismatch ??= (index + 1, effect, planned);
        }

        Send("orchestrator", agent.Id, "result", "text", effect == planned ? $"step {index + 1}: done" : $"step {index + 1}: {effect}: done", "ok", effect == planned ? null : mismatchFault);
    }

    /// <summary>FM-2.6: which of the executor's actions will not match its reasoning this run, or -1.</summary>
    private int MismatchAt(AgentState agent)
    {
        if (agent.Role != AgentRoles.Executor || Roll(MastFaultKinds.ReasoningActionMismatch.Name, agent.Id) is not { } roll)
        {
            return -1;
        }

        var fired = roll.Roll < roll.Fault.Rate;
        Decide(roll.Fault, fired, roll.Roll, roll.Fault.Rate, fired ? "an action differed from its reasoning" : "every action matched its reasoning");
        return fired ? (int)(_streams.Stream("mismatch-step").NextDouble() * Items) : -1;
    }

    private void Review(AgentState reviewer)
    {
        var writer = Producer(reviewer.Index);
        var incomplete = Roll(MastFaultKinds.IncompleteVerification.Name, reviewer.Id);
        var sections = incomplete is { } iv ? Math.Max(1, IntParameter(iv.Fault, "sections", Items)) : Items;
        var coverage = incomplete is { } ivc ? Math.Clamp(IntParameter(ivc.Fault, "coverage", 1), 1, sections) : sections;
        var depth = _config.MinReviewDepth;
        var falsePositives = _streams.Stream("consistency", reviewer.Index);
        var start = 0;
        var lastRange = "";
        for (var pass = 1; ; pass++)
        {
            if (!TakeTurn(reviewer) || Call(reviewer) is not { } reply)
            {
                return;
            }

            if (reply != ModelReply.Answered)
            {
                // No review took place; the draft goes on as it is.
                Approve(reviewer, "approve (review unavailable)", null);
                return;
            }

            var findings = new List<string>();
            string? fault = null;
            if (depth > 0)
            {
                Clock.Advance(ReviewPassMs);
                var end = Math.Min(start + coverage, sections);
                lastRange = Symptoms.ReviewedSections(start + 1, end, sections);
                foreach (var defect in _defects.Where(d => d.Section > start && d.Section <= end))
                {
                    findings.Add($"section {defect.Section}: {defect.What}");
                    fault = MastFaultKinds.IncompleteVerification.Name;
                }

                start = end % sections;
            }

            if (_config.ConsistencyCheck)
            {
                Clock.Advance(ConsistencyMs);
                if (_contradiction is { } c)
                {
                    findings.Add($"section {c.First} says {c.Says}, section {c.Second} says {c.SaysOther}");
                    fault = MastFaultKinds.IncorrectVerification.Name;
                }
                else if (falsePositives.NextDouble() < ConsistencyFalsePositive)
                {
                    findings.Add("sections may disagree on a figure (a false alarm)");
                }
            }

            if (findings.Count > 0 && writer is not null)
            {
                var range = lastRange.Length > 0 ? lastRange + "; " : "";
                Send(reviewer.Id, writer.Id, "review", "text", $"{range}request changes: {string.Join("; ", findings)}", "ok", fault);
                if (!Revise(writer, reviewer))
                {
                    return;
                }

                continue;
            }

            if (pass >= depth)
            {
                var body = new List<string>(3);
                if (lastRange.Length > 0)
                {
                    body.Add(lastRange);
                }

                string? approvalFault = null;
                if (_contradiction is not null)
                {
                    body.Add(Symptoms.IndividualChecksPass);
                    approvalFault = MastFaultKinds.IncorrectVerification.Name;
                }

                if (_defects.Count > 0)
                {
                    approvalFault ??= MastFaultKinds.IncompleteVerification.Name;
                }

                body.Add("approve");
                Approve(reviewer, string.Join("; ", body), approvalFault);
                return;
            }

            Send(reviewer.Id, writer?.Id ?? reviewer.Id, "review", "text", $"{lastRange}; continue", "ok");
        }
    }

    private bool Revise(AgentState writer, AgentState reviewer)
    {
        if (!TakeTurn(writer) || Call(writer) is not { } reply)
        {
            return false;
        }

        if (reply == ModelReply.Answered)
        {
            _defects.Clear();
            _contradiction = null;
        }

        Send(writer.Id, reviewer.Id, "draft", "text", $"revised draft on {_content.Topic}", "ok");
        return true;
    }

    private void Approve(AgentState reviewer, string body, string? fault) =>
        _pending = new Handoff(reviewer, "approval", null, body, fault);

    private void Verify(AgentState verifier)
    {
        if (!TakeTurn(verifier) || Call(verifier) is not { } reply)
        {
            return;
        }

        _verified = reply == ModelReply.Answered;
        var covered = Items - _lost.Count(l => l);
        var body = _verified ? $"verified: {covered} of {Items} items present" : "not verified (verifier unavailable)";
        _pending = new Handoff(verifier, "verification", null, body, null);
    }

    /// <summary>A coordinator past the start passes what it received on, after a model call to route it.</summary>
    private void Route(AgentState agent)
    {
        if (!TakeTurn(agent) || Call(agent) is null || _received is null)
        {
            return;
        }

        _pending = _received with { From = agent, Expected = null };
    }

    // ---- MAST modes ----------------------------------------------------------------------------

    /// <summary>FM-1.1: without the constraint in its spec, the agent's output breaks it.</summary>
    private void SpecViolation(AgentState agent)
    {
        if (Roll(MastFaultKinds.TaskSpecViolation.Name, agent.Id) is not { } roll)
        {
            return;
        }

        var constraint = roll.Fault.Parameters.GetValueOrDefault("constraint") ?? FirstConstraint ?? "cite_sources";
        var prevented = agent.Knows(constraint);
        var fired = !prevented && roll.Roll < roll.Fault.Rate;
        Decide(roll.Fault, fired, roll.Roll, prevented ? 0 : roll.Fault.Rate,
            prevented ? "prevented: the role spec names the constraint" : fired ? "the agent ignored the constraint" : "the agent happened to honour it");
        if (fired)
        {
            Log(agent.Id, "warn", Symptoms.NoTaskConstraints(agent.Id));
            AddViolation(constraint, 1 + (int)(roll.Roll / roll.Fault.Rate * Items));
        }
    }

    /// <summary>FM-1.2: a vague role makes the agent emit another role's message type.</summary>
    private (string Type, int Covered)? Drifts(AgentState agent)
    {
        if (Roll(MastFaultKinds.RoleDrift.Name, agent.Id) is not { } roll)
        {
            return null;
        }

        var threshold = RoleSpecFit(agent) switch
        {
            SpecFit.Precise => 0,
            SpecFit.OverBroad => roll.Fault.Rate / 2,
            _ => roll.Fault.Rate,
        };
        var fired = roll.Roll < threshold;
        Decide(roll.Fault, fired, roll.Roll, threshold, fired ? "the agent did another role's work" : threshold == 0 ? "prevented: the role spec is precise" : "the agent kept to its role");
        if (!fired)
        {
            return null;
        }

        // It does a neighbour's job: the next agent's if that one produces work, else the previous one's.
        var next = agent.Index + 1 < _agents.Length ? _agents[agent.Index + 1].Role : null;
        var other = next is AgentRoles.Researcher or AgentRoles.Writer or AgentRoles.Executor && next != agent.Role
            ? next
            : agent.Index > 0 && _agents[agent.Index - 1].Role != agent.Role ? _agents[agent.Index - 1].Role
            : agent.Role == AgentRoles.Writer ? AgentRoles.Researcher : AgentRoles.Writer;
        var covered = 1 + (int)(roll.Roll / Math.Max(threshold, 1e-9) * Math.Max(1, Items - 1));
        return (TypeOf(other), Math.Min(covered, Items - 1));
    }

    private SpecFit RoleSpecFit(AgentState agent)
    {
        if (agent.Spec is not { } spec || spec.Role != agent.Role
            || !AgentRoles.Capabilities[agent.Role].All(c => spec.Capabilities.Contains(c)))
        {
            return SpecFit.Vague;
        }

        var foreign = _agents.Where(a => a.Role != agent.Role).SelectMany(a => AgentRoles.Capabilities[a.Role]);
        return spec.Capabilities.Any(c => foreign.Contains(c)) ? SpecFit.OverBroad : SpecFit.Precise;
    }

    private (int AfterStep, int Times, bool UntilLimit, InjectedFault Fault)? RepetitionOf(AgentState agent, int steps)
    {
        if (Roll(MastFaultKinds.StepRepetition.Name, agent.Id) is not { } roll)
        {
            return null;
        }

        var fired = roll.Roll < roll.Fault.Rate;
        Decide(roll.Fault, fired, roll.Roll, roll.Fault.Rate, fired ? "the agent repeated a completed step" : "the agent moved on");
        if (!fired)
        {
            return null;
        }

        var draw = _streams.Stream("repetition", agent.Index);
        var after = steps >= 2 ? draw.Next(0, steps - 1) : 0;
        if (after == _content.LegitRepeatAt - 1 && after > 0)
        {
            after--;
        }

        return (after, draw.Next(3, 9), draw.NextDouble() < 0.5, roll.Fault);
    }

    /// <summary>FM-1.3: the loop itself. Returns the step the agent believes it reached.</summary>
    private int Repeat(AgentState agent, int index, string step, (int AfterStep, int Times, bool UntilLimit, InjectedFault Fault) loop, int consecutive)
    {
        var fault = loop.Fault.Kind;
        for (var time = 0; loop.UntilLimit || time < loop.Times; time++)
        {
            consecutive++;
            if (GuardBlocks(agent, step, consecutive, fault))
            {
                return index;
            }

            if (!TakeTurn(agent) || Call(agent) is null)
            {
                return index;
            }

            Log(agent.Id, "warn", Symptoms.RepeatedStep(agent.Id, step, consecutive));
            Send(agent.Id, "orchestrator", agent.Role == AgentRoles.Executor ? "action" : "search", agent.Role == AgentRoles.Executor ? "json" : "text",
                agent.Role == AgentRoles.Executor ? ActionBody(index, step, step) : step, "ok", fault);
        }

        // It counts the repeats as progress: the steps they stood for are never done.
        return index + loop.Times;
    }

    /// <summary>The repetition guard: blocks the (G+1)th identical consecutive step.</summary>
    private bool GuardBlocks(AgentState agent, string step, int consecutive, string? fault)
    {
        var guard = _config.RepetitionGuard;
        if (guard <= 0 || consecutive <= guard)
        {
            return false;
        }

        Send("guard", agent.Id, "error", "text", $"step '{step}' blocked: {guard} identical steps in a row", "blocked", fault);
        return true;
    }

    /// <summary>FM-1.4: history beyond the window, and what the context strategy does with it.</summary>
    private void ApplyHistory(AgentState agent)
    {
        var window = Math.Max(1, agent.Agent.ContextWindowTokens);
        var draw = _streams.Stream("history", agent.Index);
        var history = (int)(window * draw.NextDouble(0.25, 0.6));
        var roll = Roll(MastFaultKinds.HistoryLoss.Name, agent.Id);
        var constraint = FirstConstraint;
        if (roll is { } r)
        {
            var fired = r.Roll < r.Fault.Rate;
            if (fired)
            {
                var tokens = IntParameter(r.Fault, "history_tokens", window * 3 / 2);
                history = (int)(tokens * draw.NextDouble(0.85, 1.15));
                constraint = r.Fault.Parameters.GetValueOrDefault("constraint") ?? constraint;
            }

            Decide(r.Fault, fired && history > window, r.Roll, r.Fault.Rate,
                fired ? history > window ? $"history of {history} tokens outgrew the window of {window}" : "history grew but stayed within the window" : "history stayed short");
        }

        var fault = roll is not null ? MastFaultKinds.HistoryLoss.Name : null;
        var threshold = _config.ContextSummarizationThreshold;
        switch (_config.ContextStrategy)
        {
            case "summarize" when history > threshold && threshold <= window:
                var summaries = (history + threshold - 1) / threshold - 1;
                Clock.Advance((long)SummaryMs * summaries);
                Log(agent.Id, "info", $"{agent.Id}: summarized history of {history} tokens ({summaries} summaries)");
                var keeps = _streams.Stream("summary", agent.Index);
                for (var s = 0; s < summaries; s++)
                {
                    if (keeps.NextDouble() >= SummaryKeepsInstructions)
                    {
                        LoseInstruction(constraint, fault);
                        break;
                    }
                }

                break;
            case "chunk" when history > window:
                agent.ChunkFactor = (history + window - 1) / window;
                break;
            default:
                if (history > window)
                {
                    // Truncation (or a summary threshold the window never reaches) drops the oldest
                    // tokens, and with them the task's instructions.
                    Log(agent.Id, "warn", Symptoms.HistoryTruncated(agent.Id, history, window, history - window));
                    LoseInstruction(constraint, fault);
                }

                break;
        }
    }

    private void LoseInstruction(string? constraint, string? fault)
    {
        if (constraint is not null)
        {
            AddViolation(constraint, 1, fault ?? MastFaultKinds.HistoryLoss.Name);
        }
    }

    /// <summary>FM-1.5: with its items done and no stop condition, the agent keeps taking turns.</summary>
    private void KeepsGoing(AgentState agent)
    {
        if (Roll(MastFaultKinds.NoStopCondition.Name, agent.Id) is not { } roll)
        {
            return;
        }

        var stop = agent.StopCondition;
        var prevented = stop == "items_complete";
        var fired = !prevented && roll.Roll < roll.Fault.Rate;
        Decide(roll.Fault, fired, roll.Roll, prevented ? 0 : roll.Fault.Rate,
            prevented ? "prevented: the spec stops it when its items are complete" : fired ? "the agent kept going after its work was done" : "the agent stopped");
        if (!fired)
        {
            return;
        }

        Log(agent.Id, "warn", Symptoms.NoStopCondition(agent.Id));
        while (_stop is null)
        {
            if (agent.MaxOwnTurns is { } limit && agent.OwnTurns >= limit)
            {
                return;
            }

            if (!TakeTurn(agent) || Call(agent) is null)
            {
                return;
            }

            Send(agent.Id, "orchestrator", "status", "text", "continuing", "ok", roll.Fault.Kind);
        }
    }

    /// <summary>FM-3.1: the agent that sends <c>final</c> sends it before the checks ran.</summary>
    private bool DeclaresDonePrematurely()
    {
        foreach (var (fault, roll) in _mastRolls)
        {
            if (fault.Kind != MastFaultKinds.PrematureTermination.Name || AgentById(fault.Agent) is not { } agent)
            {
                continue;
            }

            var prevented = agent.StopCondition == "verified";
            var fired = !prevented && roll < fault.Rate;
            Decide(fault, fired, roll, prevented ? 0 : fault.Rate,
                prevented ? "prevented: the spec stops it only once verified" : fired ? "declared the work done before the checks" : "waited for the checks");
            if (fired)
            {
                Log(agent.Id, "warn", Symptoms.DeclaringDone(agent.Id));
                SendFinal(agent, fault.Kind);
                return true;
            }
        }

        return false;
    }

    /// <summary>FM-3.2 and FM-3.3 shape the writer's draft: defects a partial review misses, a contradiction.</summary>
    private void DraftFlaws(AgentState writer)
    {
        var reviewer = _agents.Skip(writer.Index + 1).FirstOrDefault(a => a.Role == AgentRoles.Reviewer) ?? _agents.FirstOrDefault(a => a.Role == AgentRoles.Reviewer);
        if (reviewer is null)
        {
            return;
        }

        if (Roll(MastFaultKinds.IncompleteVerification.Name, reviewer.Id) is { } iv)
        {
            var fired = iv.Roll < iv.Fault.Rate;
            Decide(iv.Fault, fired, iv.Roll, iv.Fault.Rate, fired ? "the draft has defects past the first sections" : "the draft has no defect");
            if (fired)
            {
                var sections = Math.Max(1, IntParameter(iv.Fault, "sections", Items));
                var draw = _streams.Stream("defects");
                var count = sections >= 3 ? draw.Next(1, 3) : 1;
                for (var d = 0; d < count; d++)
                {
                    // The opening section is written with care; defects sit further in.
                    var section = sections >= 2 ? draw.Next(2, sections + 1) : 1;
                    if (_defects.All(x => x.Section != section))
                    {
                        _defects.Add((section, WorkContent.Defect(draw)));
                    }
                }
            }
        }

        if (Roll(MastFaultKinds.IncorrectVerification.Name, reviewer.Id) is { } cv)
        {
            var fired = cv.Roll < cv.Fault.Rate;
            Decide(cv.Fault, fired, cv.Roll, cv.Fault.Rate, fired ? "the writer contradicted itself" : "the draft is consistent");
            if (fired && Items >= 2)
            {
                var draw = _streams.Stream("contradiction");
                var first = draw.Next(1, Items);
                var second = draw.Next(first + 1, Items + 1);
                var (says, other) = _content.Contradiction(draw);
                _contradiction = (first, says, second, other);
            }
        }
    }

    // ---- Hand-offs ---------------------------------------------------------------------------

    private bool Deliver(AgentState producer, AgentState consumer)
    {
        if (_pending is not { } handoff)
        {
            return true;
        }

        _pending = null;
        _received = handoff;
        string format;
        string body;
        var fault = handoff.Fault;
        if (handoff.Message is { } message)
        {
            format = handoff.From.OutputFormat;
            var json = _workspace.Codec.ToJson(message);
            if (format == "yaml")
            {
                var block = BlockYamlFrom(handoff.From);
                body = block ? _workspace.Codec.ToBlockYaml(message, json) : _workspace.Codec.ToFlowYaml(message, json);
                if (block && FormatMismatchOf(handoff.From) is not null)
                {
                    fault ??= MastFaultKinds.FormatMismatch.Name;
                }
            }
            else if (format == "text")
            {
                body = handoff.Prose;
            }
            else
            {
                body = json;
            }
        }
        else
        {
            format = "text";
            body = handoff.Prose;
        }

        var sender = handoff.From.Id;
        if (_config.FormatTranslator)
        {
            Send(sender, "translator", handoff.Type, format, body, "ok", fault);
            Clock.Advance(TranslatorMs);
            if (consumer.Agent.InputFormat == "json" && format == "yaml")
            {
                var translated = _workspace.Codec.TranslateToJson(body);
                if (translated.Ok)
                {
                    body = translated.Text;
                    format = "json";
                }
            }

            sender = "translator";
        }

        // Structured work is parsed as the consumer expects it (prose where it wants JSON is unreadable
        // too); notes between agents such as approvals are read as text.
        var parsed = handoff.Message is null ? ParseResult.Readable(body) : _workspace.Codec.Parse(body, consumer.Agent.InputFormat);
        Send(sender, consumer.Id, handoff.Type, format, body, parsed.Ok ? "ok" : "error", fault);
        if (!parsed.Ok)
        {
            Log(consumer.Id, "error", Symptoms.CannotParse(consumer.Id, producer.Id, consumer.Agent.InputFormat, ShortError(parsed.Error!)));
            _stop = Symptoms.InputUnreadable(consumer.Id);
            return false;
        }

        if (handoff.Expected is { } expected && expected != handoff.Type)
        {
            Log(consumer.Id, "warn", Symptoms.ExpectedType(consumer.Id, expected, producer.Id, handoff.Type));
        }

        return true;
    }

    /// <summary>FM-2.5: the producer writes block YAML (at its rate), or its spec asked for YAML outright.</summary>
    private bool BlockYamlFrom(AgentState producer)
    {
        if (producer.Spec?.OutputFormat == "yaml")
        {
            return true;
        }

        return FormatMismatchOf(producer) is { } roll && roll.Roll < roll.Fault.Rate;
    }

    private (InjectedFault Fault, double Roll)? FormatMismatchOf(AgentState producer)
    {
        if (Roll(MastFaultKinds.FormatMismatch.Name, producer.Id) is not { } roll)
        {
            return null;
        }

        var emitsJson = producer.OutputFormat == "json";
        var fired = !emitsJson && roll.Roll < roll.Fault.Rate;
        Decide(roll.Fault, fired, roll.Roll, emitsJson ? 0 : roll.Fault.Rate,
            emitsJson ? "prevented: the spec makes it emit json" : fired ? "emitted block YAML" : "emitted JSON-compatible flow YAML");
        return roll;
    }

    private void SendFinal(AgentState finalizer, string? fault)
    {
        _finalSent = true;
        var covered = Items - _lost.Count(l => l);
        Send(finalizer.Id, "orchestrator", "final", "text", $"{_content.Topic}: {covered} of {Items} items", "ok", fault);
    }

    private void Send(string from, string to, string type, string format, string body, string status, string? fault = null)
    {
        if (_config.RepetitionGuard > 0)
        {
            Clock.Advance(GuardMs);
        }

        _messages.Add(new TraceMessage(_messages.Count + 1, (int)Clock.NowMs, from, to, type, format, body, status, fault));
    }

    private void Log(string agent, string level, string text) => _logs.Add(new AgentLogLine((int)Clock.NowMs, agent, level, text));

    // ---- Model calls ---------------------------------------------------------------------------

    /// <summary>
    /// A model call through the agent's resilience pipeline; null when it failed for good (the
    /// run is then over: fallback abort, or a retry_last that failed too).
    /// </summary>
    private ModelReply? Call(AgentState agent)
    {
        agent.Calls++;
        var call = new ModelCall(this, agent, agent.Calls);
        agent.Pipeline ??= _workspace.Pipelines(_config).ForBackend();
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            context.Properties.Set(ModelCallPipeline.CallKey, call);
            var outcome = Clock.RunToCompletion(ModelCallPipeline.Execute(agent.Pipeline, context, call));
            if (outcome.Exception is { } error)
            {
                if (error is BrokenCircuitException)
                {
                    Log(agent.Id, "error", Symptoms.CircuitOpen(agent.Id));
                }

                _stop = Symptoms.AgentFailed(agent.Id, Describe(call, error));
                return null;
            }

            return outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Decides what the backend does with this attempt; the per-call faults roll here, a new draw per attempt.</summary>
    public AttemptPlan PlanAttempt(ModelCall call)
    {
        call.Attempts++;
        var agent = call.Agent;
        var u = agent.Latency.NextDouble();
        var latency = (300 + (long)(2_200 * u * u) + agent.PromptCostMs) * agent.ChunkFactor;
        if (agent.OutageFromCall > 0 && call.Number >= agent.OutageFromCall)
        {
            return new AttemptPlan(UnreachableMs, BackendBehaviour.Unreachable);
        }

        var plan = new AttemptPlan(latency, BackendBehaviour.Healthy);
        foreach (var fault in agent.BackendFaults)
        {
            if (fault.Kind == MastFaultKinds.BackendRateLimit.Name)
            {
                if (call.Attempts == 1)
                {
                    var roll = agent.Backend.NextDouble();
                    var fired = roll < fault.Rate;
                    DecideCall(fault, call, fired, roll, fired ? "429: rate limited" : "under the rate limit");
                    if (fired && plan.Behaviour == BackendBehaviour.Healthy)
                    {
                        call.RetryAfterMs = IntParameter(fault, "retry_after_ms", 2_000);
                        call.RateLimitedUntilMs = Clock.NowMs + RefusalMs + call.RetryAfterMs;
                        plan = new AttemptPlan(RefusalMs, BackendBehaviour.RateLimited);
                    }
                }
                else if (Clock.NowMs < call.RateLimitedUntilMs && plan.Behaviour == BackendBehaviour.Healthy)
                {
                    // Retried before Retry-After passed: refused again.
                    plan = new AttemptPlan(RefusalMs, BackendBehaviour.RateLimited);
                }

                continue;
            }

            var draw = agent.Backend.NextDouble();
            var hit = draw < fault.Rate;
            if (fault.Kind == MastFaultKinds.BackendError.Name)
            {
                DecideCall(fault, call, hit, draw, hit ? "503" : "answered");
                if (hit && plan.Behaviour == BackendBehaviour.Healthy)
                {
                    plan = new AttemptPlan(RefusalMs, BackendBehaviour.Unavailable);
                }
            }
            else if (fault.Kind == MastFaultKinds.BackendSlow.Name)
            {
                DecideCall(fault, call, hit, draw, hit ? "the call hangs" : "usual latency");
                if (hit && plan.Behaviour == BackendBehaviour.Healthy)
                {
                    plan = new AttemptPlan(HangMinMs + (long)(draw / fault.Rate * (HangMaxMs - HangMinMs)), BackendBehaviour.Hang);
                }
            }
        }

        return plan;
    }

    public Outcome<ModelReply> FinishAttempt(ModelCall call, AttemptPlan attempt)
    {
        switch (attempt.Behaviour)
        {
            case BackendBehaviour.Unavailable:
                call.LastError = Symptoms.ServiceUnavailable;
                Log(call.Agent.Id, "error", Symptoms.ModelCallFailed(call.Agent.Id, call.LastError));
                return Outcome.FromException<ModelReply>(ModelCallException.Unavailable);
            case BackendBehaviour.RateLimited:
                call.LastError = Symptoms.TooManyRequests(call.RetryAfterMs);
                Log(call.Agent.Id, "error", Symptoms.ModelCallFailed(call.Agent.Id, call.LastError));
                return Outcome.FromException<ModelReply>(ModelCallException.RateLimited);
            default:
                return Outcome.FromResult(ModelReply.Answered);
        }
    }

    public void OnTimedOut(ModelCall call, AttemptPlan attempt)
    {
        var line = Symptoms.TimedOut(call.Agent.Id, _config.TimeoutMs, attempt.Behaviour == BackendBehaviour.Unreachable);
        call.LastError = line[(call.Agent.Id.Length + 2)..];
        Log(call.Agent.Id, "error", line);
    }

    public void OnFallback(ModelCall call, Exception error)
    {
        if (error is BrokenCircuitException)
        {
            Log(call.Agent.Id, "error", Symptoms.CircuitOpen(call.Agent.Id));
            call.LastError = "circuit open";
        }

        Log(call.Agent.Id, "warn", $"{call.Agent.Id}: fallback {_config.Fallback} after: {call.LastError}");
    }

    private static string Describe(ModelCall call, Exception error) => error switch
    {
        BrokenCircuitException => "circuit open",
        TimeoutRejectedException or ModelCallException => call.LastError ?? error.Message,
        _ => call.LastError ?? error.Message,
    };

    // ---- Outage and decisions --------------------------------------------------------------

    private void SetUpOutage(InjectedFault fault, double roll)
    {
        var fired = roll < fault.Rate;
        var from = Math.Max(1, IntParameter(fault, "outage_from_call", 2));
        Decide(fault, fired, roll, fault.Rate, fired ? $"the backend is unreachable from call {from}" : "the backend stayed up");
        if (fired && AgentById(fault.Agent) is { } agent)
        {
            agent.OutageFromCall = from;
        }
    }

    /// <summary>Records a per-run fault's decision, once per run however often the run consults it.</summary>
    private void Decide(InjectedFault fault, bool fired, double roll, double threshold, string reason)
    {
        if (_decided.Contains(fault))
        {
            return;
        }

        _decided.Add(fault);
        _decisions.Add(new FaultDecision(fault.Kind, fault.Agent, fired, _key.Stream, reason, fault.Parameters,
            new FaultDecisionInputs(_instance.Seed, _instance.ScenarioId, fault.Agent, _key.ToString(), _key.Index, roll, threshold)));
    }

    private void DecideCall(InjectedFault fault, ModelCall call, bool fired, double roll, string reason) =>
        _decisions.Add(new FaultDecision(fault.Kind, fault.Agent, fired, _key.Stream, $"call {call.Number}, attempt {call.Attempts}: {reason}", fault.Parameters,
            new FaultDecisionInputs(_instance.Seed, _instance.ScenarioId, fault.Agent, _key.ToString(), _key.Index, roll, fault.Rate)));

    // ---- Judgement -----------------------------------------------------------------------------

    private TrialRun Judge()
    {
        var latency = (int)Math.Min(int.MaxValue, Clock.NowMs);
        var covered = Items - _lost.Count(l => l);
        string? reason = _stop;
        if (reason is null && _agents.Any(a => a.Role == AgentRoles.Verifier) && !_verified)
        {
            reason = Symptoms.NotVerified;
        }

        reason ??= covered < Items ? Symptoms.Covers(covered, Items) : null;
        reason ??= _violations.Count > 0 ? Symptoms.Violates(_violations[0].Constraint, _violations[0].Detail) : null;
        reason ??= _contradiction is { } c ? Symptoms.Contradicts(c.First, c.Says, c.Second, c.SaysOther) : null;
        reason ??= _defects.Count > 0 ? Symptoms.DefectReached(_defects.Min(d => d.Section), _defects.MinBy(d => d.Section).What) : null;
        reason ??= _mismatch is { } m ? Symptoms.EffectMismatch(m.Step, m.Effect, m.Planned) : null;
        reason ??= latency > _instance.Limits.SloMs ? Symptoms.OverSlo(latency, _instance.Limits.SloMs) : null;
        return new TrialRun(_key, reason is null, latency, _turns, reason, _messages, _logs, _decisions);
    }

    // ---- Small helpers -----------------------------------------------------------------------

    private bool TakeTurn(AgentState agent)
    {
        if (_turns >= _instance.Limits.MaxTurns)
        {
            _stop ??= Symptoms.TurnLimit(_instance.Limits.MaxTurns);
            return false;
        }

        _turns++;
        agent.OwnTurns++;
        return true;
    }

    private void MarkLost(int from, int to)
    {
        for (var i = Math.Max(0, from); i < Math.Min(to, Items); i++)
        {
            _lost[i] = true;
        }
    }

    private void AddViolation(string constraint, int item, string? fault = null)
    {
        if (_violations.TrueForAll(v => v.Constraint != constraint))
        {
            _violations.Add((constraint, WorkContent.ViolationDetail(constraint, Math.Clamp(item, 1, Items), _instance.Task.MaxWords)));
            _violationFault ??= fault ?? MastFaultKinds.TaskSpecViolation.Name;
        }
    }

    private (InjectedFault Fault, double Roll)? Roll(string kind, string agent)
    {
        foreach (var entry in _mastRolls)
        {
            if (entry.Fault.Kind == kind && entry.Fault.Agent == agent)
            {
                return entry;
            }
        }

        return null;
    }

    private AgentState? AgentById(string id) => Array.Find(_agents, a => a.Id == id);

    private AgentState? Producer(int reviewerIndex)
    {
        for (var i = reviewerIndex - 1; i >= 0; i--)
        {
            if (_agents[i].Role is AgentRoles.Writer or AgentRoles.Executor or AgentRoles.Researcher)
            {
                return _agents[i];
            }
        }

        return null;
    }

    /// <summary>Who sends <c>final</c>: the coordinator, else the last writer, executor or researcher.</summary>
    private AgentState Finalizer() =>
        Array.Find(_agents, a => a.Role == AgentRoles.Coordinator)
        ?? Array.FindLast(_agents, a => a.Role == AgentRoles.Writer)
        ?? Array.FindLast(_agents, a => a.Role is AgentRoles.Executor or AgentRoles.Researcher)
        ?? _agents[^1];

    /// <summary>A parser's message as it is, but with a quoted input fragment cut to one short line.</summary>
    private static string ShortError(string error)
    {
        var end = error.Length > 1 && error[0] == '\'' ? error.IndexOf("' is", 1, StringComparison.Ordinal) : -1;
        if (end < 0)
        {
            return error;
        }

        var fragment = error[1..end].ReplaceLineEndings(" ");
        return $"'{(fragment.Length > 24 ? fragment[..24] + "..." : fragment)}{error[end..]}";
    }

    private static bool IsChecker(AgentState agent) => agent.Role is AgentRoles.Reviewer or AgentRoles.Verifier;

    private static bool IsPerCall(string kind) =>
        kind == MastFaultKinds.BackendError.Name || kind == MastFaultKinds.BackendRateLimit.Name || kind == MastFaultKinds.BackendSlow.Name;

    private static string TypeOf(string role) => role switch
    {
        AgentRoles.Planner => "plan",
        AgentRoles.Coordinator => "assignment",
        AgentRoles.Researcher => "notes",
        AgentRoles.Writer => "draft",
        AgentRoles.Executor => "report",
        AgentRoles.Reviewer => "approval",
        _ => "verification",
    };

    private static int IntParameter(InjectedFault fault, string name, int fallback) =>
        fault.Parameters.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private enum SpecFit
    {
        Vague,
        OverBroad,
        Precise,
    }

    /// <summary>What an agent hands to the next one: structured work (with its prose rendering for a text format), or a note in prose.</summary>
    private sealed record Handoff(AgentState From, string Type, IReadOnlyList<KeyValuePair<string, object>>? Message, string Prose, string? Fault)
    {
        /// <summary>The type the consumer expected, when a drifting agent sent another.</summary>
        public string? Expected { get; init; }
    }
}

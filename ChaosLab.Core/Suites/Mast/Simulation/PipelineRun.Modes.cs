using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>The MAST modes: how each fault shapes an agent's work, and what in the config prevents or catches it.</summary>
internal sealed partial class PipelineRun
{
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
}

using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// The system prompts agents are deployed with, as an operator's pipeline definition shows them.
/// A prompt says what the role does, and for the agents that produce the work which task
/// constraints to honour and when to stop; a fault shows in the prompt the way such a defect
/// shows in a real deployment (a vague prompt, a constraint or stop rule nobody wrote down).
/// </summary>
public static class MastPrompts
{
    public const string Vague = "You are a helpful assistant.";

    private static readonly Dictionary<string, string> Duties = new(StringComparer.Ordinal)
    {
        [AgentRoles.Planner] = "Break the task into one step per item and hand the plan on.",
        [AgentRoles.Researcher] = "Find a source for each item of the plan and pass on your notes.",
        [AgentRoles.Writer] = "Draft one section per item from your input and revise it on review.",
        [AgentRoles.Executor] = "Carry out each step of the plan and report its result.",
        [AgentRoles.Reviewer] = "Review the draft and request changes until it is right.",
        [AgentRoles.Verifier] = "Verify the final output against the task and sign it off.",
        [AgentRoles.Coordinator] = "Route the work between the agents and finalize the output.",
    };

    /// <summary>The roles whose output is the work itself: their prompts carry the constraints and a stop rule.</summary>
    public static IReadOnlyList<string> Producers { get; } = [AgentRoles.Researcher, AgentRoles.Writer, AgentRoles.Executor];

    /// <summary>
    /// Prompt defects of agents that are not at fault: beyond the warmup tier, each healthy agent's
    /// prompt is drawn with a defect a faulty agent's prompt shows (vague, no constraints, no stop
    /// rule) one time in three, and the agent works anyway, as models often do. A prompt is then a
    /// lead to check in the traces, not the answer: the pipeline definition alone does not name
    /// the agent at fault.
    /// </summary>
    /// <param name="roles">The pipeline's roles in order.</param>
    /// <param name="faulty">Indexes of the agents that carry a fault.</param>
    /// <returns>Per agent, the fault kinds whose prompt shape it is deployed with (empty for most).</returns>
    public static IReadOnlyList<IReadOnlyList<string>> Decoys(IReadOnlyList<string> roles, IReadOnlySet<int> faulty, string tier, Environment.DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(faulty);
        ArgumentNullException.ThrowIfNull(random);
        var decoys = new List<IReadOnlyList<string>>(roles.Count);
        for (var i = 0; i < roles.Count; i++)
        {
            // Drawn for every agent, so one agent's draw never shifts another's.
            var roll = random.NextDouble();
            var shapes = Producers.Contains(roles[i])
                ? new[] { MastFaultKinds.RoleDrift.Name, MastFaultKinds.TaskSpecViolation.Name, MastFaultKinds.NoStopCondition.Name }
                : [MastFaultKinds.RoleDrift.Name];
            var shape = random.Pick(shapes);
            decoys.Add(tier != "warmup" && !faulty.Contains(i) && roll < 1.0 / 3 ? [shape] : []);
        }

        return decoys;
    }

    /// <param name="faults">The kinds of the instance's faults at this agent (and its decoy prompt defects).</param>
    public static string For(string role, string outputFormat, IReadOnlyList<string> constraints, IReadOnlyCollection<string> faults)
    {
        if (faults.Contains(MastFaultKinds.RoleDrift.Name))
        {
            return Vague;
        }

        var prompt = $"You are the {role} of this pipeline. {Duties[role]}";
        if (Producers.Contains(role))
        {
            if (!faults.Contains(MastFaultKinds.TaskSpecViolation.Name) && constraints.Count > 0)
            {
                prompt += $" Honour the task's constraints: {string.Join(", ", constraints)}.";
            }

            if (!faults.Contains(MastFaultKinds.NoStopCondition.Name))
            {
                prompt += " Stop when every item is done.";
            }
        }

        if (faults.Contains(MastFaultKinds.PrematureTermination.Name))
        {
            prompt += " Send the final output when you consider the work done.";
        }

        return prompt + $" Reply in {outputFormat}.";
    }
}

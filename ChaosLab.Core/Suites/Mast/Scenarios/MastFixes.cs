using System.Globalization;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// The answer key of an instance's hardening: the minimal config that addresses exactly its
/// faults (<see cref="ReferenceFix"/>), and which config fields address which fault kind
/// (<see cref="Addresses"/>), from which the settings that address nothing follow.
/// </summary>
public static class MastFixes
{
    /// <summary>The name under which role specifications count: one setting per agent (<c>role_specs/&lt;agent&gt;</c>).</summary>
    public const string RoleSpecs = ResilienceConfigReader.RoleSpecs;

    /// <summary>A backend timeout above every healthy call (they take up to 2.5 s) and far below a hang (45 s or more).</summary>
    public const int ReferenceTimeoutMs = 5_000;

    /// <summary>The failure probability per run the reference retries leave at most (estimated).</summary>
    private const double ResidualFailure = 0.01;

    private static readonly Dictionary<string, IReadOnlyList<string>> Fields = new(StringComparer.Ordinal)
    {
        [MastFaultKinds.TaskSpecViolation.Name] = [RoleSpecs],
        [MastFaultKinds.RoleDrift.Name] = [RoleSpecs],
        [MastFaultKinds.StepRepetition.Name] = ["repetition_guard"],
        [MastFaultKinds.HistoryLoss.Name] = ["context_strategy", "context_summarization_threshold"],
        [MastFaultKinds.NoStopCondition.Name] = [RoleSpecs],
        [MastFaultKinds.FormatMismatch.Name] = ["format_translator", RoleSpecs],
        [MastFaultKinds.ReasoningActionMismatch.Name] = ["action_validation"],
        [MastFaultKinds.PrematureTermination.Name] = [RoleSpecs],
        [MastFaultKinds.IncompleteVerification.Name] = ["min_review_depth"],
        [MastFaultKinds.IncorrectVerification.Name] = ["consistency_check"],
        [MastFaultKinds.BackendError.Name] = ["retry_max", "retry_delay_ms", "fallback"],
        [MastFaultKinds.BackendRateLimit.Name] = ["retry_max", "retry_delay_ms", "fallback"],
        [MastFaultKinds.BackendSlow.Name] = ["timeout_ms", "retry_max", "retry_delay_ms", "fallback"],
        [MastFaultKinds.BackendOutage.Name] = ["circuit_breaker_threshold", "fallback", "timeout_ms", "retry_max"],
    };

    /// <summary>
    /// The config fields (wire names) that address a fault of <paramref name="kind"/>; <c>role_specs</c>
    /// means the role specification of the fault's own agent.
    /// </summary>
    public static IReadOnlyList<string> Addresses(string kind) => Fields.GetValueOrDefault(kind) ?? [];

    /// <summary>
    /// The settings of <paramref name="config"/> changed from the defaults that address none of
    /// the instance's faults: field names, and <c>role_specs/&lt;agent&gt;</c> for a role
    /// specification of an agent no fault that a role specification fixes is at.
    /// </summary>
    public static IReadOnlyList<string> UnneededSettings(MastInstance instance, ResilienceConfig config)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(config);
        var needed = instance.Faults.SelectMany(f => Addresses(f.Kind)).ToHashSet(StringComparer.Ordinal);
        var specAgents = instance.Faults.Where(f => Addresses(f.Kind).Contains(RoleSpecs)).Select(f => f.Agent).ToHashSet(StringComparer.Ordinal);
        var defaults = ResilienceConfigReader.ToJson(ResilienceConfig.Default);
        var given = ResilienceConfigReader.ToJson(config);
        var unneeded = ResilienceConfigReader.Fields
            .Where(f => !needed.Contains(f.Name) && !System.Text.Json.Nodes.JsonNode.DeepEquals(defaults[f.Name], given[f.Name]))
            .Select(f => f.Name)
            .ToList();
        unneeded.AddRange(config.RoleSpecs.Keys.Where(agent => !specAgents.Contains(agent)).Order(StringComparer.Ordinal).Select(agent => $"{RoleSpecs}/{agent}"));
        return unneeded;
    }

    /// <summary>
    /// The minimal config that fixes exactly the instance's faults, each the way the simulator
    /// executes its fix: a role specification for the agent at fault, or the one setting that
    /// addresses the kind, at the smallest value that works. The answer key of the episode and
    /// what the latency objective is calibrated on.
    /// </summary>
    public static ResilienceConfig ReferenceFix(MastInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var config = ResilienceConfig.Default;
        var specs = new Dictionary<string, RoleSpec>(StringComparer.Ordinal);
        var retries = 0;
        foreach (var fault in instance.Faults)
        {
            var agent = instance.Agent(fault.Agent);
            switch (fault.Kind)
            {
                case "task_spec_violation" or "role_drift":
                    specs[agent.Id] = Spec(specs, agent, instance.Task);
                    break;
                case "no_stop_condition":
                    specs[agent.Id] = Spec(specs, agent, instance.Task) with { StopCondition = "items_complete" };
                    break;
                case "premature_termination":
                    specs[agent.Id] = Spec(specs, agent, instance.Task) with { StopCondition = "verified" };
                    break;
                case "step_repetition":
                    // A guard of 1 would also block the plan's one legitimate repeat.
                    config = config with { RepetitionGuard = Math.Max(config.RepetitionGuard, 1 + Parameter(fault, MastFaultRules.LegitRepeats)) };
                    break;
                case "history_loss":
                    var threshold = Math.Min(agent.ContextWindowTokens, config.ContextStrategy == "summarize" ? config.ContextSummarizationThreshold : int.MaxValue);
                    config = config with { ContextStrategy = "summarize", ContextSummarizationThreshold = threshold };
                    break;
                case "format_mismatch":
                    config = config with { FormatTranslator = true };
                    break;
                case "reasoning_action_mismatch":
                    config = config with { ActionValidation = true };
                    break;
                case "incomplete_verification":
                    var passes = (int)Math.Ceiling(Parameter(fault, MastFaultRules.Sections) / (double)Parameter(fault, MastFaultRules.Coverage));
                    config = config with { MinReviewDepth = Math.Max(config.MinReviewDepth, passes) };
                    break;
                case "incorrect_verification":
                    config = config with { ConsistencyCheck = true };
                    break;
                case "backend_error":
                    retries = Math.Max(retries, Retries(instance, fault.Rate));
                    break;
                case "backend_rate_limit":
                    // The first retry waits out the Retry-After; further ones only for a new 429.
                    retries = Math.Max(retries, Retries(instance, fault.Rate));
                    var wait = (int)Math.Ceiling(Parameter(fault, MastFaultRules.RetryAfterMs) / 100.0) * 100;
                    config = config with { RetryDelayMs = Math.Max(config.RetryDelayMs, wait) };
                    break;
                case "backend_slow":
                    retries = Math.Max(retries, Retries(instance, fault.Rate));
                    config = config with { TimeoutMs = Math.Min(config.TimeoutMs, ReferenceTimeoutMs) };
                    break;
                case "backend_outage":
                    config = config with { CircuitBreakerThreshold = 0.5, Fallback = "summarize", TimeoutMs = Math.Min(config.TimeoutMs, ReferenceTimeoutMs) };
                    break;
                default:
                    throw new InvalidOperationException($"no fix is known for fault kind {fault.Kind}");
            }
        }

        return config with { RetryMax = retries, RoleSpecs = specs };
    }

    /// <summary>
    /// Retries enough that a fault of this per-call rate still fails a run at most
    /// <see cref="ResidualFailure"/> of the time, estimating a run's calls generously (two per
    /// agent and item).
    /// </summary>
    private static int Retries(MastInstance instance, double rate)
    {
        var calls = 2.0 * (instance.Agents.Count + instance.Task.Items);
        for (var retries = 1; retries < 10; retries++)
        {
            if (calls * Math.Pow(rate, retries + 1) <= ResidualFailure)
            {
                return retries;
            }
        }

        return 10;
    }

    // One specification per agent, whatever faults it fixes: the agent's own role and
    // capabilities, and the task's constraints for the roles that produce the work.
    private static RoleSpec Spec(Dictionary<string, RoleSpec> specs, PipelineAgent agent, TaskSpec task) =>
        specs.GetValueOrDefault(agent.Id) ?? new RoleSpec(
            agent.Id, agent.Role, AgentRoles.Capabilities[agent.Role],
            MastPrompts.Producers.Contains(agent.Role) ? task.Constraints : [], null, null, null);

    private static int Parameter(InjectedFault fault, string name) =>
        int.Parse(fault.Parameters[name], NumberStyles.Integer, CultureInfo.InvariantCulture);
}

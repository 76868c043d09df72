using System.Globalization;
using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Scenarios.Preview;

/// <summary>
/// A fault plan in words, one line per rule, from the plan's generic parts only (kind, target,
/// trigger, reason), so any suite's rules read the same way whatever its documents call them.
/// </summary>
internal static class FaultPlanText
{
    public static IReadOnlyList<string> Describe(FaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lines = plan.Rules
            .Select(rule => $"{(rule.Target == "*" ? "any tool" : rule.Target)}: {rule.Kind.Name}, {rule.Trigger.Describe()} ({rule.Reason})")
            .ToList();
        lines.Add(plan.BaseProbability > 0 && plan.BaseKinds.Count > 0
            ? $"any call a rule leaves clean: background fault with p={plan.BaseProbability.ToString("0.###", CultureInfo.InvariantCulture)}, one of {string.Join(", ", plan.BaseKinds.Select(k => k.Name))} (each call and each retry rolls again)"
            : "no background faults");
        return lines;
    }
}

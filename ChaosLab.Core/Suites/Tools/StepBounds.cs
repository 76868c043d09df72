using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The step limits a scenario may set. The ceiling is the task's own limit. The floor is the
/// fewest steps the resilient reference agent needs to answer despite the designed faults: one
/// call per fact the family looks up (hop after hop), one per action it asks for, the
/// submission, and for each designed fault what getting past it costs: one call for a transport
/// fault (the path errs, another one answers), two for a silent one or task2's outdated source
/// (a wrong figure is only set aside once two other sources agree on the right one).
/// Background faults are chance, not design, and are not counted.
/// </summary>
public static class StepBounds
{
    public static (int Min, int Max) For(string taskId, ScenarioFamily family, IReadOnlyList<FaultKind> badPathKinds)
    {
        ArgumentNullException.ThrowIfNull(badPathKinds);
        var task = ScenarioCatalog.Tasks.FirstOrDefault(t => t.Id == taskId)
            ?? throw new ArgumentException($"unknown task '{taskId}'", nameof(taskId));
        var faults = badPathKinds.Sum(k => k.IsTransport ? 1 : 2) + (taskId == "task2" ? 2 : 0);
        return (Math.Min(Facts(family) + Actions(family) + faults + 1, task.MaxSteps), task.MaxSteps);
    }

    /// <inheritdoc cref="For(string, ScenarioFamily, IReadOnlyList{FaultKind})"/>
    public static (int Min, int Max) For(ScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return For(definition.TaskId, definition.Family, [.. (definition.BadPaths ?? []).Select(b => b.Kind)]);
    }

    /// <summary>The smallest floor and largest ceiling over every task and family: the range the schema allows.</summary>
    public static (int Min, int Max) Widest { get; } = (
        ScenarioCatalog.Tasks.SelectMany(t => Enum.GetValues<ScenarioFamily>().Select(f => For(t.Id, f, []).Min)).Min(),
        ScenarioCatalog.Tasks.Max(t => t.MaxSteps));

    /// <summary>Facts looked up one after another (a multi-hop question needs each hop's answer first).</summary>
    private static int Facts(ScenarioFamily family) => family switch
    {
        ScenarioFamily.GdpPerCapita or ScenarioFamily.Density or ScenarioFamily.DaysBetween => 2,
        ScenarioFamily.CeoMultiHop => 3,
        _ => 1,
    };

    private static int Actions(ScenarioFamily family) => family == ScenarioFamily.TicketRevenue ? 1 : 0;
}

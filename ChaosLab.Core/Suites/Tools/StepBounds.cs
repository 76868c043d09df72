namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The step limits a scenario may set. The ceiling is the task's own limit. The floor is the
/// fewest steps in which the resilient reference agent can still answer when every designed
/// fault costs it one call: one call per fact the family needs, one per action it asks for, one
/// per designed fault (task1: the bad path; task2: a second source to see the conflict; task3:
/// each broken path of the cascade, at least two), and the submission.
/// </summary>
public static class StepBounds
{
    public static (int Min, int Max) For(string taskId, ScenarioFamily family, int badPaths)
    {
        var task = ScenarioCatalog.Tasks.FirstOrDefault(t => t.Id == taskId)
            ?? throw new ArgumentException($"unknown task '{taskId}'", nameof(taskId));
        var designedFaults = taskId == "task3" ? Math.Max(2, badPaths) : 1;
        return (Math.Min(Facts(family) + Actions(family) + designedFaults + 1, task.MaxSteps), task.MaxSteps);
    }

    /// <summary>The smallest floor and largest ceiling over every task and family: the range the schema allows.</summary>
    public static (int Min, int Max) Widest { get; } = (
        ScenarioCatalog.Tasks.SelectMany(t => Enum.GetValues<ScenarioFamily>().Select(f => For(t.Id, f, 0).Min)).Min(),
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

namespace ChaosLab.Core.Environment;

/// <summary>A family of tasks and scenarios the engine can run episodes of.</summary>
public interface ISuite
{
    /// <summary>The name clients pass as the <c>suite</c> reset parameter.</summary>
    string Name { get; }

    string Description { get; }

    IReadOnlyList<TaskDescriptor> Tasks { get; }

    IReadOnlyList<ScenarioDescriptor> Scenarios { get; }
}

public sealed record TaskDescriptor(string Id, string Title, int MaxSteps);

public sealed record ScenarioDescriptor(string Id, string TaskId, string Tier, string Title);

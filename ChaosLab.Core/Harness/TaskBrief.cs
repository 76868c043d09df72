namespace ChaosLab.Core.Harness;

/// <summary>
/// What the agent and its harness know about the task before the first step: only what every
/// client is told (the suite's public task and scenario descriptors), never the seed, the answer
/// or the fault plan.
/// </summary>
/// <param name="Family">The scenario's family (the kind of problem), which h5 retrieves skills by.</param>
public sealed record TaskBrief(
    string Suite,
    string TaskId,
    string Title,
    string Guidance,
    string Tier,
    string Family,
    int MaxSteps);

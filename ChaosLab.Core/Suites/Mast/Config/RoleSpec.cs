namespace ChaosLab.Core.Suites.Mast.Config;

/// <summary>
/// A role specification as the simulated agent reads it: what it is, what it may do, the task
/// constraints it must honour, what it emits and when it stops. Words come from the published
/// vocabulary (<see cref="Pipeline.AgentRoles"/>).
/// </summary>
/// <param name="Agent">The agent id it is deployed to.</param>
/// <param name="MaxTurns">Set when <paramref name="StopCondition"/> is <c>max_turns:N</c>.</param>
public sealed record RoleSpec(
    string Agent,
    string Role,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Constraints,
    string? OutputFormat,
    string? StopCondition,
    int? MaxTurns)
{
    /// <summary>Its size in characters as deployed: every call of the agent pays for reading it.</summary>
    public int PromptLength => Role.Length + Capabilities.Sum(c => c.Length + 2) + Constraints.Sum(c => c.Length + 2) + (OutputFormat?.Length ?? 0) + (StopCondition?.Length ?? 0) + 64;
}

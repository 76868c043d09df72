using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Integrity;

namespace ChaosLab.Core.Evaluation;

/// <summary>Who plays a run: the name its episodes are recorded under, the model, the harness label, and the agent for each suite.</summary>
public sealed record EvaluationAgent(string Label, string? Model, string Harness, Func<ISuite, IEpisodeAgent> ForSuite);

/// <summary>
/// Builds a run's agent from its assignment: a suite's scripted reference agent (it must exist in
/// every suite the assignment selects), or a model profile of the agents file with the harness.
/// </summary>
public sealed class EvaluationAgentFactory(SuiteCatalog catalog, AgentRegistry registry)
{
    /// <summary>The harness label of a reference agent: no harness layer stands between it and the environment.</summary>
    public const string NoHarness = "none";

    /// <param name="agentsFile">The agents file profiles are looked up in (the assignment's for the command line, the server's otherwise).</param>
    public EnvironmentResult<EvaluationAgent> Create(Assignment assignment, string? agentsFile)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.Agent.Reference is { } reference
            ? Reference(assignment, reference)
            : Profile(assignment, agentsFile);
    }

    private EnvironmentResult<EvaluationAgent> Reference(Assignment assignment, string name)
    {
        var errors = new List<ValidationError>();
        for (var i = 0; i < assignment.Tasks.Count; i++)
        {
            if (catalog.Find(assignment.Tasks[i].Suite) is { } suite && Find(suite, name) is null)
            {
                errors.Add(new ValidationError($"tasks[{i}].suite", $"Suite '{suite.Name}' has no reference agent '{name}'.",
                    [.. suite.ReferenceAgents.Select(a => AssignmentFile.ReferencePrefix + a.Name)]));
            }
        }

        if (assignment.Tasks.All(t => catalog.Find(t.Suite) is null) && !catalog.Suites.Any(s => Find(s, name) is not null))
        {
            errors.Add(new ValidationError("agent", $"No suite has a reference agent '{name}'.",
                [.. catalog.Suites.SelectMany(s => s.ReferenceAgents).Select(a => AssignmentFile.ReferencePrefix + a.Name).Distinct(StringComparer.Ordinal)]));
        }

        return errors.Count > 0
            ? EnvironmentResult<EvaluationAgent>.Invalid(errors)
            : EnvironmentResult<EvaluationAgent>.Success(new EvaluationAgent(name, null, NoHarness, suite => new ScriptedEpisodeAgent(Find(suite, name)!)));
    }

    private EnvironmentResult<EvaluationAgent> Profile(Assignment assignment, string? agentsFile)
    {
        var label = $"{assignment.Agent.Profile} [{assignment.Harness.Label}]";
        if (registry.Identify(label, null).Refusal is { } refusal)
        {
            return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agent", refusal));
        }

        return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agent",
            $"Model profiles cannot be played yet (agents file: {agentsFile ?? "none"}); use a reference agent such as '{AssignmentFile.ReferencePrefix}resilient'."));
    }

    private static ReferenceAgent? Find(ISuite suite, string name) =>
        suite.ReferenceAgents.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
}

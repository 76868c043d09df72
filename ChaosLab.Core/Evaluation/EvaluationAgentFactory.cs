using ChaosLab.Core.Agents;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;
using Microsoft.Extensions.AI;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Who plays a run: the name its episodes are recorded under, the model, the harness label, and
/// the agent for each suite. Disposing it releases the model client.
/// </summary>
public sealed class EvaluationAgent(string label, string? model, string harness, Func<ISuite, IEpisodeAgent> forSuite, IDisposable? client = null) : IDisposable
{
    public string Label { get; } = label;

    public string? Model { get; } = model;

    public string Harness { get; } = harness;

    public IEpisodeAgent ForSuite(ISuite suite) => forSuite(suite);

    public void Dispose() => client?.Dispose();
}

/// <summary>
/// Builds a run's agent from its assignment: a suite's scripted reference agent (it must exist in
/// every suite the assignment selects), or a model profile of the agents file with the harness
/// switches, recorded as "profile [h2+h3+h4+h5]" (a name no registered agent may hold).
/// </summary>
/// <param name="environment">Where profile header variables are read (the process environment unless a test passes its own).</param>
public sealed class EvaluationAgentFactory(SuiteCatalog catalog, AgentRegistry registry, TimeProvider timeProvider, Func<string, string?>? environment = null)
{
    /// <summary>The harness label of a reference agent: no harness layer stands between it and the environment.</summary>
    public const string NoHarness = "none";

    private readonly Func<string, string?> _environment = environment ?? System.Environment.GetEnvironmentVariable;

    /// <param name="agentsFile">The agents file profiles are looked up in (the assignment's for the command line, the server's otherwise).</param>
    public EnvironmentResult<EvaluationAgent> Create(Assignment assignment, string? agentsFile)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.Agent.Reference is { } reference
            ? Reference(assignment, reference)
            : Profile(assignment, assignment.Agent.Profile!, agentsFile);
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

        return errors.Count > 0
            ? EnvironmentResult<EvaluationAgent>.Invalid(errors)
            : EnvironmentResult<EvaluationAgent>.Success(new EvaluationAgent(name, null, NoHarness, suite => new ScriptedEpisodeAgent(Find(suite, name)!)));
    }

    private EnvironmentResult<EvaluationAgent> Profile(Assignment assignment, string name, string? agentsFile)
    {
        if (agentsFile is null)
        {
            return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agents_file",
                $"The agent '{name}' is a model profile, so an agents file is needed: 'agents_file' in the assignment (the server uses its ChaosLab:Evaluation:AgentsFile). A scripted agent needs none: '{AssignmentFile.ReferencePrefix}<name>'."));
        }

        AgentProfile profile;
        try
        {
            var profiles = AgentProfiles.Load(agentsFile);
            if (!profiles.All.Any(p => p.Name == name))
            {
                return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agent", $"No profile '{name}' in {agentsFile}.", [.. profiles.All.Select(p => p.Name)]));
            }

            profile = profiles.Get(name);
        }
        catch (AgentProfileException e)
        {
            return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agents_file", e.Message));
        }

        if (profile.MissingVariables(_environment) is { Count: > 0 } missing)
        {
            return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agent",
                $"Profile '{name}' reads {string.Join(", ", missing)} from the environment for its headers, and {(missing.Count == 1 ? "it is" : "they are")} not set."));
        }

        var label = $"{name} [{assignment.Harness.Label}]";
        if (label.Length > AgentRegistry.MaxNameLength)
        {
            return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agent", $"The recorded agent name '{label}' is longer than {AgentRegistry.MaxNameLength} characters; use a shorter profile name."));
        }

        if (registry.Identify(label, null).Refusal is { } refusal)
        {
            return EnvironmentResult<EvaluationAgent>.Invalid(new ValidationError("agent", refusal));
        }

        var client = ChatClientFactory.Create(profile, timeProvider, _environment);
        var agent = new LlmAgent(label, client, assignment.Harness, timeProvider);
        return EnvironmentResult<EvaluationAgent>.Success(new EvaluationAgent(label, profile.Model, assignment.Harness.Label, _ => agent, client));
    }

    private static ReferenceAgent? Find(ISuite suite, string name) =>
        suite.ReferenceAgents.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
}

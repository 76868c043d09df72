using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Hosting.Authoring;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Model.Runs;

/// <summary>
/// The agents a run started on this server may use (every suite's reference agents, and the
/// model profiles of <see cref="EvaluationOptions.AgentsFile"/>), and the rule that keeps model
/// runs, which spend the operator's credits, behind an admin key.
/// </summary>
public sealed class RunAgentCatalog(SuiteCatalog suites, IOptions<EvaluationOptions> options, AdminKey adminKey)
{
    public const string NoAgentsFile =
        "This server has no agents file (ChaosLab:Evaluation:AgentsFile): only reference agents can play here.";

    public const string AdminKeyFirst =
        "Runs of model profiles spend the operator's model credits: set an admin key (ChaosLab:AdminKey) first. Reference agents stay allowed.";

    /// <summary>
    /// Reference agents suite by suite, in the catalog's order, then the agents file's profiles
    /// (read on every call, so an edited file shows without a restart).
    /// </summary>
    public IReadOnlyList<RunAgentOption> Options() =>
        [.. suites.Suites.SelectMany(s => s.ReferenceAgents.Select(a => RunAgentOption.Reference(s.Name, a.Name))), .. Profiles()];

    /// <summary>Why the agents file's profiles are not offered (missing or broken file), or null.</summary>
    public string? ProfilesProblem()
    {
        if (options.Value.AgentsFile is not { Length: > 0 } file)
        {
            return null;
        }

        try
        {
            AgentProfiles.Load(file);
            return null;
        }
        catch (AgentProfileException ex)
        {
            return $"The agents file's profiles are not offered: {ex.Message}.";
        }
    }

    private IEnumerable<RunAgentOption> Profiles()
    {
        if (options.Value.AgentsFile is not { Length: > 0 } file)
        {
            return [];
        }

        try
        {
            return AgentProfiles.Load(file).All.Select(p => RunAgentOption.Profile(p.Name, p.Model, file));
        }
        catch (AgentProfileException)
        {
            // ProfilesProblem says why; the reference agents stay offered.
            return [];
        }
    }

    /// <summary>Why this server refuses to play <paramref name="agent"/>, or null when it may.</summary>
    /// <remarks>
    /// With an agents file but no admin key anyone reaching the server could spend the credits
    /// behind its profiles, so only reference agents play until the operator sets a key.
    /// </remarks>
    public string? Refusal(AgentChoice agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent.Profile is null)
        {
            return null;
        }

        return string.IsNullOrEmpty(options.Value.AgentsFile) ? NoAgentsFile : adminKey.Required ? null : AdminKeyFirst;
    }

    /// <summary>
    /// <paramref name="assignment"/> as this server plays it: a profile always comes from the
    /// server's own agents file and the output goes where the server puts every run's files,
    /// whatever a submitted assignment names (a request must not make the server read or write
    /// files of its choosing).
    /// </summary>
    public Assignment ForServer(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var profiles = assignment.Agent.Profile is null ? null : options.Value.AgentsFile;
        return assignment with { Agent = assignment.Agent with { ProfilesFile = profiles }, Output = null };
    }
}

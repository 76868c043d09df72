using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;

namespace ChaosLab.Web.Model.Runs;

/// <summary>An agent the new-run form offers: a suite's scripted reference agent, or a model profile of the server's agents file.</summary>
/// <param name="Value">What the form's select holds: <c>reference:&lt;name&gt;</c> or <c>profile:&lt;name&gt;</c>.</param>
/// <param name="Group">The suite a reference agent plays, or "model profiles".</param>
public sealed record RunAgentOption(string Value, string Label, string Group, AgentChoice Choice)
{
    public const string ProfilesGroup = "model profiles";

    public static RunAgentOption Reference(string suite, string name) =>
        new("reference:" + name, $"{name} (reference, {suite})", suite, new AgentChoice(null, null, name));

    public static RunAgentOption Profile(string name, string model, string agentsFile) =>
        new("profile:" + name, $"{name} ({model})", ProfilesGroup, new AgentChoice(name, agentsFile, null));
}

/// <summary>
/// What the dashboard's "New run" form holds, and the <see cref="Assignment"/> it makes. The
/// suites, tiers and scenarios narrow each other: a tier or scenario applies to the suites that
/// have it, and a suite left without any of the chosen ones plays all of its own.
/// </summary>
public sealed partial class NewRunForm
{
    /// <summary>The split server-started runs draw their sealed seeds from (as the command line's default).</summary>
    public const string Split = "test";

    public string Name { get; set; } = "";

    /// <summary>The chosen <see cref="RunAgentOption.Value"/>.</summary>
    public string? Agent { get; set; }

    public IReadOnlyCollection<string> Suites { get; set; } = [];

    public IReadOnlyCollection<string> Tiers { get; set; } = [];

    public IReadOnlyCollection<string> Scenarios { get; set; } = [];

    /// <summary>Sealed seeds per scenario (seed indices 1..n).</summary>
    public int Seeds { get; set; } = 1;

    public int Trials { get; set; } = 1;

    public int Concurrency { get; set; } = 2;

    public bool HarnessEnabled { get; set; } = true;

    public bool H2 { get; set; } = true;

    public bool H3 { get; set; } = true;

    public bool H4 { get; set; } = true;

    public bool H5 { get; set; } = true;

    public int TopK { get; set; } = HarnessOptions.DefaultTopK;

    /// <summary>Start an ablation (all layers, none, each one off) instead of one run.</summary>
    public bool Ablation { get; set; }

    public HarnessOptions Harness => new() { Enabled = HarnessEnabled, H2 = H2, H3 = H3, H4 = H4, H5 = H5, H5TopK = TopK };

    /// <summary>The assignment, or the form's own errors (each under its field's name) before anything is sent.</summary>
    public EnvironmentResult<Assignment> Build(IReadOnlyList<RunAgentOption> agents, SuiteCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<ValidationError>();
        var agent = agents.FirstOrDefault(a => a.Value == Agent);
        if (agent is null)
        {
            errors.Add(new ValidationError("agent", "Choose an agent.", [.. agents.Select(a => a.Value)]));
        }

        if (!string.IsNullOrWhiteSpace(Name) && !NamePattern().IsMatch(Name.Trim()))
        {
            errors.Add(new ValidationError("name", "A run name is letters, digits, '.', '-' and '_' (at most 64), starting with a letter or digit."));
        }

        if (Suites.Count == 0)
        {
            errors.Add(new ValidationError("suites", "Choose at least one suite."));
        }

        Check(errors, "seeds", Seeds, 1, 100, "Seeds");
        Check(errors, "trials", Trials, 1, 20, "Trials");
        Check(errors, "concurrency", Concurrency, 1, 64, "Concurrency");
        Check(errors, "top_k", TopK, 1, 20, "Top-k");
        if (errors.Count > 0)
        {
            return EnvironmentResult<Assignment>.Invalid(errors);
        }

        var tasks = Suites.Select(name => Selection(catalog.Find(name), name)).ToList();
        var name = string.IsNullOrWhiteSpace(Name) ? DefaultName(agent!, Suites) : Name.Trim();
        return EnvironmentResult<Assignment>.Success(new Assignment(
            name, agent!.Choice, Harness, tasks, Split, [.. Enumerable.Range(1, Seeds)], Trials, Concurrency, Output: null));
    }

    /// <summary>A run's name when the form leaves it blank, e.g. "naive-tools".</summary>
    public static string DefaultName(RunAgentOption agent, IEnumerable<string> suites)
    {
        var name = $"{agent.Value[(agent.Value.IndexOf(':') + 1)..]}-{string.Join('-', suites.Order(StringComparer.Ordinal))}";
        name = NameUnsafe().Replace(name, "-").Trim('-', '.', '_');
        return name.Length > 64 ? name[..64] : name;
    }

    /// <summary>What the assignment reader accepts as a name (it also names the run's folder and its seeds' derivation).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex NameUnsafe();

    private TaskSelection Selection(ISuite? suite, string name)
    {
        // Only what this suite has narrows it; an unknown suite goes through as named, and the
        // service reports it with the suites it knows.
        var tiers = suite is null ? [] : Tiers.Where(t => suite.Tiers.Contains(t, StringComparer.Ordinal)).ToList();
        var scenarios = suite is null ? [] : Scenarios.Where(id => suite.Scenarios.Any(s => s.Id == id)).ToList();
        return new TaskSelection(suite?.Name ?? name, null, tiers.Count == 0 ? null : tiers, scenarios.Count == 0 ? null : scenarios);
    }

    private static void Check(List<ValidationError> errors, string path, int value, int min, int max, string label)
    {
        if (value < min || value > max)
        {
            errors.Add(new ValidationError(path, $"{label} must be between {min} and {max}."));
        }
    }
}

using System.Text.RegularExpressions;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// The rules of a mast scenario document that its JSON Schema cannot state (they relate fields
/// to each other: a candidate's roles to the pipeline, a tier to its step limit, a kind to the
/// task), each error pinned to its field by a JSON Pointer. They also hold for a document nobody
/// ran the schema over: every value <see cref="MastInstances"/> relies on is checked here, so an
/// accepted document always draws an instance.
/// </summary>
internal static partial class MastScenarioChecks
{
    public const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
    public const int TitleMaxLength = 200;
    public const int GoalMaxLength = 500;
    public const int MinSteps = 4;
    public const int MinAgents = 2;
    public const int MaxAgents = 7;

    public static NumberRange SloFactors { get; } = new(1.1, 3.0);

    private static readonly IntRange ItemBounds = new(3, 6);
    private static readonly IntRange WindowBounds = new(1024, 65_536);

    public static List<ScenarioError> Check(MastScenarioDefinition scenario)
    {
        var errors = new List<ScenarioError>();
        void Error(string path, string message) => errors.Add(new ScenarioError(path, message));

        if (!IdRegex().IsMatch(scenario.Id ?? ""))
        {
            Error("/id", $"an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        if (scenario.Version < 1)
        {
            Error("/version", "versions start at 1");
        }

        if (scenario.Suite != MastScenarioCatalog.SuiteName)
        {
            Error("/suite", $"suite is {MastScenarioCatalog.SuiteName}");
        }

        if (MastScenarioCatalog.Tasks.All(t => t.Id != scenario.TaskId))
        {
            Error("/task", $"task must be one of: {string.Join(", ", MastScenarioCatalog.Tasks.Select(t => t.Id))}");
        }

        if (!MastScenarioCatalog.Families.Contains(scenario.Family))
        {
            Error("/family", $"family must be one of: {string.Join(", ", MastScenarioCatalog.Families)}");
        }

        if (string.IsNullOrWhiteSpace(scenario.Title) || scenario.Title.Length > TitleMaxLength)
        {
            Error("/title", $"a title is 1 to {TitleMaxLength} characters");
        }

        if (string.IsNullOrWhiteSpace(scenario.Goal) || scenario.Goal.Length > GoalMaxLength)
        {
            Error("/goal", $"a goal is 1 to {GoalMaxLength} characters");
        }

        if (scenario.Notes is { Length: > MastScenarioDefinition.NotesMaxLength } notes)
        {
            Error("/notes", $"notes are at most {MastScenarioDefinition.NotesMaxLength} characters (these are {notes.Length})");
        }

        if (!MastScenarioCatalog.Tiers.Contains(scenario.Tier))
        {
            Error("/tier", $"tier must be one of: {string.Join(", ", MastScenarioCatalog.Tiers)}");
        }
        else if (scenario.StepLimit < MinSteps || scenario.StepLimit > MastScenarioCatalog.MaxSteps(scenario.Tier))
        {
            Error("/step_limit", $"a {scenario.Tier} scenario allows {MinSteps} to {MastScenarioCatalog.MaxSteps(scenario.Tier)} steps");
        }

        if (scenario.SloFactor < SloFactors.Min || scenario.SloFactor > SloFactors.Max)
        {
            Error("/slo_factor", $"the latency objective's factor is between {MastScenarioFormat.Number(SloFactors.Min)} and {MastScenarioFormat.Number(SloFactors.Max)} (the tiers use 1.45, 1.4, 1.3 and 1.2)");
        }

        Range("/items", scenario.Items, ItemBounds, "items", Error);
        Constraints(scenario.Constraints, Error);
        var pipelineValid = Pipeline(scenario.Pipeline, Error);
        if (pipelineValid)
        {
            Faults(scenario, Error);
        }

        return errors;
    }

    private static void Constraints(ConstraintDraw draw, Action<string, string> error)
    {
        for (var i = 0; i < draw.Pool.Count; i++)
        {
            if (!AgentRoles.Constraints.Contains(draw.Pool[i]))
            {
                error($"/constraints/pool/{i}", $"\"{draw.Pool[i]}\" is not a constraint (valid: {string.Join(", ", AgentRoles.Constraints)})");
            }
            else if (draw.Pool.Take(i).Contains(draw.Pool[i]))
            {
                error($"/constraints/pool/{i}", $"\"{draw.Pool[i]}\" is listed twice");
            }
        }

        Range("/constraints/count", draw.Count, new IntRange(0, draw.Pool.Count), "constraints drawn from the pool", error);
    }

    private static bool Pipeline(IReadOnlyList<AgentTemplate> pipeline, Action<string, string> error)
    {
        var valid = true;
        void Error(string path, string message)
        {
            valid = false;
            error(path, message);
        }

        if (pipeline.Count is < MinAgents or > MaxAgents)
        {
            Error("/pipeline", $"a pipeline has {MinAgents} to {MaxAgents} agents");
            return false;
        }

        for (var i = 0; i < pipeline.Count; i++)
        {
            var agent = pipeline[i];
            var path = $"/pipeline/{i}";
            if (!AgentRoles.All.Contains(agent.Role))
            {
                Error(path + "/role", $"role must be one of: {string.Join(", ", AgentRoles.All)}");
            }

            foreach (var (name, format) in new[] { ("input_format", agent.InputFormat), ("output_format", agent.OutputFormat) })
            {
                if (!AgentRoles.Formats.Contains(format))
                {
                    Error($"{path}/{name}", $"a format is one of: {string.Join(", ", AgentRoles.Formats)}");
                }
            }

            Range(path + "/window", agent.Window, WindowBounds, "tokens of context window", Error);
            if (i > 0 && !HandOff(pipeline[i - 1].OutputFormat, agent.InputFormat))
            {
                Error(path + "/input_format", $"cannot read what {pipeline[i - 1].Role} sends ({pipeline[i - 1].OutputFormat}): a hand-off keeps its format, or sends yaml to a json consumer (the format mismatch the suite simulates) or json to a yaml one");
            }
        }

        if (pipeline[0].Role is not (AgentRoles.Planner or AgentRoles.Coordinator))
        {
            Error("/pipeline/0/role", "a pipeline starts with its planner or coordinator");
        }

        for (var i = 0; i < pipeline.Count - 1; i++)
        {
            if (pipeline[i].Role == AgentRoles.Verifier)
            {
                Error($"/pipeline/{i}/role", "the verifier signs off last");
            }
        }

        foreach (var role in new[] { AgentRoles.Reviewer, AgentRoles.Verifier, AgentRoles.Planner, AgentRoles.Coordinator })
        {
            var indexes = pipeline.Select((a, i) => (a.Role, i)).Where(a => a.Role == role).Select(a => a.i).ToList();
            if (indexes.Count > 1)
            {
                Error($"/pipeline/{indexes[1]}/role", $"a pipeline has at most one {role}");
            }
        }

        return valid;
    }

    private static void Faults(MastScenarioDefinition scenario, Action<string, string> error)
    {
        var category = MastScenarioCatalog.Tasks.Any(t => t.Id == scenario.TaskId) ? scenario.TaskId : null;
        CandidateSet(scenario, scenario.MastFaults, "/mast_faults", mast: true, category, error);
        if (scenario.BackendFaults is { } backend)
        {
            CandidateSet(scenario, backend, "/backend_faults", mast: false, category, error);
        }
    }

    private static void CandidateSet(MastScenarioDefinition scenario, FaultCandidates set, string path, bool mast, string? category, Action<string, string> error)
    {
        Range(path + "/active", set.Active, new IntRange(1, Math.Max(1, set.Candidates.Count)), "active candidates (each candidate at most once)", error);
        if (set.Candidates.Count == 0)
        {
            error(path + "/candidates", "a fault set has at least one candidate");
        }

        for (var i = 0; i < set.Candidates.Count; i++)
        {
            var candidate = set.Candidates[i];
            var at = $"{path}/candidates/{i}";
            var kind = MastFaultKinds.Find(candidate.Kind ?? "");
            if (kind is null)
            {
                error(at + "/kind", $"kind must be one of: {string.Join(", ", MastFaultKinds.All.Select(k => k.Name))}");
                continue;
            }

            var mode = MastFaultKinds.ModeOf(kind);
            if (mast && mode is null)
            {
                error(at + "/kind", $"{kind.Name} is a backend fault: it belongs under /backend_faults");
                continue;
            }

            if (!mast && mode is not null)
            {
                error(at + "/kind", $"{kind.Name} is a MAST mode ({mode.Code}): it belongs under /mast_faults");
                continue;
            }

            if (mode is not null && category is not null && MastTaxonomy.CategoryName(mode.Category) != category)
            {
                error(at + "/kind", $"{kind.Name} is {mode.Code} ({MastTaxonomy.CategoryName(mode.Category)}); a {category} scenario's modes are: {string.Join(", ", MastFaultRules.KindsOf(category).Select(k => k.Name))}");
                continue;
            }

            if (set.Candidates.Take(i).Any(c => c.Kind == candidate.Kind))
            {
                error(at + "/kind", $"{kind.Name} is already a candidate; list its roles in one candidate");
                continue;
            }

            Candidate(scenario, candidate, at, error);
        }
    }

    private static void Candidate(MastScenarioDefinition scenario, CandidateFault candidate, string at, Action<string, string> error)
    {
        var kind = candidate.Kind;
        var eligible = MastFaultRules.RolesFor(kind);
        var pipelineRoles = scenario.Pipeline.Select(a => a.Role).ToHashSet();
        if (candidate.Roles.Count == 0)
        {
            error(at + "/roles", $"name the roles whose agents may be at fault: {string.Join(", ", eligible)}");
        }

        for (var r = 0; r < candidate.Roles.Count; r++)
        {
            var role = candidate.Roles[r];
            if (!eligible.Contains(role))
            {
                error($"{at}/roles/{r}", $"{kind} is not shown by a {role}; its roles: {string.Join(", ", eligible)}");
            }
            else if (!pipelineRoles.Contains(role))
            {
                error($"{at}/roles/{r}", $"the pipeline has no {role} (its roles: {string.Join(", ", scenario.Pipeline.Select(a => a.Role).Distinct())})");
            }
        }

        if (candidate.Roles.Count > 0 && candidate.Roles.All(eligible.Contains) && candidate.Roles.All(pipelineRoles.Contains)
            && MastFaultRules.EligibleAgents(kind, candidate.Roles, scenario.Pipeline, a => (a.Role, a.InputFormat, a.OutputFormat)).Count == 0)
        {
            error(at + "/roles", $"no {string.Join(" or ", candidate.Roles)} of this pipeline emits yaml to an agent that parses json, which a format mismatch needs");
        }

        var rates = MastFaultRules.RatesFor(kind);
        if (candidate.Rate.Min < rates.Min || candidate.Rate.Max > rates.Max || candidate.Rate.Min > candidate.Rate.Max)
        {
            error(at + "/rate", $"{kind} fires {(MastFaultRules.PerCall(kind) ? "per model call" : "per run")}: its rate is a range within {MastScenarioFormat.Number(rates.Min)} to {MastScenarioFormat.Number(rates.Max)}, min at most max");
        }

        var parameters = MastFaultRules.Parameters(kind);
        foreach (var (name, range) in candidate.Parameters ?? new Dictionary<string, NumberRange>())
        {
            var path = $"{at}/parameters/{name}";
            var parameter = parameters.FirstOrDefault(p => p.Name == name);
            if (parameter is null)
            {
                error(path, parameters.Count == 0 ? $"{kind} takes no parameters" : $"not a parameter of {kind} (its parameters: {string.Join(", ", parameters.Select(p => p.Name))})");
            }
            else if (range.Min < parameter.Bounds.Min || range.Max > parameter.Bounds.Max || range.Min > range.Max || (parameter.Whole && (range.Min % 1 != 0 || range.Max % 1 != 0)))
            {
                error(path, $"a range of {(parameter.Whole ? "whole numbers" : "numbers")} within {MastScenarioFormat.Number(parameter.Bounds.Min)} to {MastScenarioFormat.Number(parameter.Bounds.Max)}, min at most max");
            }
        }

        string? Needs() => kind switch
        {
            "task_spec_violation" or "history_loss" when scenario.Constraints.Count.Min < 1 => "the work item to carry a constraint it can break: /constraints/count/min at least 1",
            "premature_termination" when !pipelineRoles.Contains(AgentRoles.Verifier) => "a verifier whose sign-off the final output skips",
            "incomplete_verification" or "incorrect_verification" when !pipelineRoles.Contains(AgentRoles.Reviewer) => "a reviewer",
            "incorrect_verification" when !pipelineRoles.Contains(AgentRoles.Writer) => "a writer, whose draft contradicts itself",
            "backend_outage" when (candidate.Parameters?.GetValueOrDefault(MastFaultRules.OutageFromCall) ?? parameters[0].Default).Max > scenario.Items.Min
                => $"an outage from a call the researcher makes: outage_from_call at most the fewest items ({scenario.Items.Min})",
            _ => null,
        };
        if (Needs() is { } need)
        {
            error(at + "/kind", $"{kind} needs {need}");
        }
    }

    private static void Range(string path, IntRange range, IntRange bounds, string what, Action<string, string> error)
    {
        if (range.Min < bounds.Min || range.Max > bounds.Max || range.Min > range.Max)
        {
            error(path, $"{what}: a range within {bounds.Min} to {bounds.Max}, min at most max");
        }
    }

    private static bool HandOff(string output, string input) =>
        output == input || (output == "yaml" && input == "json") || (output == "json" && input == "yaml");

    [GeneratedRegex(IdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}

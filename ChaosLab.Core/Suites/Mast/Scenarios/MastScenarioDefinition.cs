using System.Text.Json.Serialization;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// A mast scenario as data (snake_case JSON; schema: <see cref="MastScenarioFormat.Schema"/>): a
/// pipeline template and the faults that may be wrong with it. Nothing here is an instance: per
/// seed, <see cref="MastInstances.Create"/> draws the agents' ids and windows, the work item,
/// which candidate faults are active, at which agent, how often and with which parameters, so the
/// scenario id alone never reveals the failure mode or the agent at fault.
/// </summary>
/// <param name="TaskId">A MAST category (<see cref="MastScenarioCatalog.Tasks"/>): every candidate of <paramref name="MastFaults"/> is a mode of it.</param>
/// <param name="Family">The pipeline's kind (<see cref="MastScenarioCatalog.Families"/>).</param>
/// <param name="StepLimit">Steps the agent may take, at most the tier's (<see cref="MastScenarioCatalog.MaxSteps"/>).</param>
/// <param name="SloFactor">The latency objective is the reference fix's p95 latency times this (tight at expert).</param>
/// <param name="Goal">The task statement every run works on (its topic varies per run).</param>
/// <param name="Items">How many items a complete output has, drawn per seed within 3-6.</param>
/// <param name="Constraints">Which task constraints the work item carries, drawn per seed.</param>
/// <param name="Pipeline">The agents in order; each sends its output to the next.</param>
/// <param name="MastFaults">The candidate MAST modes and how many of them are active per seed.</param>
/// <param name="BackendFaults">Model-backend faults added on top (intermediate and expert).</param>
/// <param name="Notes">Free text for other authors; never shown to an agent.</param>
public sealed record MastScenarioDefinition(
    string Id,
    int Version,
    string Suite,
    [property: JsonPropertyName("task")] string TaskId,
    string Tier,
    string Family,
    string Title,
    int StepLimit,
    double SloFactor,
    string Goal,
    IntRange Items,
    ConstraintDraw Constraints,
    IReadOnlyList<AgentTemplate> Pipeline,
    FaultCandidates MastFaults,
    FaultCandidates? BackendFaults = null,
    string? Notes = null)
{
    public const int NotesMaxLength = 4000;
}

/// <summary>An inclusive range of integers.</summary>
public sealed record IntRange(int Min, int Max);

/// <summary>An inclusive range of numbers.</summary>
public sealed record NumberRange(double Min, double Max);

/// <param name="Pool">Constraint words (<see cref="Pipeline.AgentRoles.Constraints"/>) the work item may carry.</param>
/// <param name="Count">How many of them it carries.</param>
public sealed record ConstraintDraw(IReadOnlyList<string> Pool, IntRange Count);

/// <summary>One agent of the pipeline template.</summary>
/// <param name="Window">Its context window in tokens, drawn per seed (a multiple of 512).</param>
public sealed record AgentTemplate(string Role, string InputFormat, string OutputFormat, IntRange Window);

/// <param name="Active">How many distinct candidates are active per seed.</param>
public sealed record FaultCandidates(IntRange Active, IReadOnlyList<CandidateFault> Candidates);

/// <summary>A fault that may be wrong with the pipeline.</summary>
/// <param name="Kind">A <see cref="MastFaultKinds"/> name.</param>
/// <param name="Roles">Roles whose agents may be at fault (each eligible for the kind, <see cref="MastFaultRules"/>); one agent is drawn per seed.</param>
/// <param name="Rate">Chance per run (per model call for the per-call backend faults), drawn per seed.</param>
/// <param name="Parameters">Ranges of the kind's parameters (<see cref="MastFaultRules.Parameters"/>); a missing one takes its default range.</param>
public sealed record CandidateFault(string Kind, IReadOnlyList<string> Roles, NumberRange Rate, IReadOnlyDictionary<string, NumberRange>? Parameters = null);

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Mast.Agents;
using ChaosLab.Core.Suites.Mast.Agents.Exploits;
using ChaosLab.Core.Suites.Mast.Scenarios;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// The <c>mast</c> suite: diagnose why a simulated multi-agent pipeline fails (the MAST failure
/// taxonomy) and harden it with a <see cref="Config.ResilienceConfig"/>; the grade runs the
/// hardened pipeline on held-out seeded runs. Construct with the stored scenarios (or null:
/// built-in scenarios only).
/// </summary>
public sealed class MastSuite(IScenarioSource? storedScenarios = null) : ISuite
{
    public const string SuiteName = "mast";

    private static readonly Lazy<SuiteSchemas> LazySchemas = new(BuildSchemas);

    private static readonly Lazy<IReadOnlyDictionary<string, MastScenarioDefinition>> BuiltIn = new(() =>
        MastScenarioCatalog.All.ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase));

    private readonly ConcurrentDictionary<(string Id, int Version), MastScenarioDefinition> _stored = new();

    public string Name => SuiteName;

    public string Description => "Diagnose why a simulated multi-agent pipeline fails (MAST failure modes) from its traces and logs, and harden it with a resilience config that is graded by really running it.";

    public IReadOnlyList<TaskDescriptor> Tasks => MastScenarioCatalog.Tasks;

    public IReadOnlyList<string> Tiers => MastScenarioCatalog.Tiers;

    public IReadOnlyList<ScenarioDescriptor> Scenarios { get; } =
        [.. MastScenarioCatalog.All.Select(s => new ScenarioDescriptor(s.Id, s.TaskId, s.Tier, s.Family, s.Title, s.Version))];

    public IReadOnlyList<ToolDescriptor> Tools => MastTools.All;

    public IReadOnlyList<FaultKind> FaultKinds => MastFaultKinds.All;

    public SuiteSchemas Schemas => LazySchemas.Value;

    public IReadOnlyList<ReferenceAgent> ReferenceAgents { get; } =
    [
        new(NaiveMastAgent.AgentName, () => new NaiveMastAgent()),
        new(FlagStufferAgent.AgentName, () => new FlagStufferAgent()),
        new(CarefulMastAgent.AgentName, () => new CarefulMastAgent()),
    ];

    public IReadOnlyList<ReferenceAgent> ExploitAgents => MastExploits.All;

    public IEpisodeSession CreateSession() => new MastSession(this);

    /// <summary>
    /// The scenario reset options select, or why they select none. A named scenario is looked up
    /// in the store first (its latest version revises a built-in of the same id); with no name,
    /// the seed draws one from the built-in scenarios matching the task and tier filters.
    /// </summary>
    public Environment.EnvironmentResult<MastScenarioDefinition> Resolve(ResetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<ValidationError>();
        if (options.TaskId is { } task && Tasks.All(t => t.Id != task))
        {
            errors.Add(new ValidationError("task_id", $"unknown task '{task}'", [.. Tasks.Select(t => t.Id)]));
        }

        if (options.Tier is { } tier && !Tiers.Contains(tier))
        {
            errors.Add(new ValidationError("tier", $"unknown tier '{tier}'", Tiers));
        }

        if (errors.Count > 0)
        {
            return EnvironmentResult<MastScenarioDefinition>.Invalid(errors);
        }

        if (options.ScenarioId is { } id)
        {
            if (Find(id) is not { } scenario)
            {
                return EnvironmentResult<MastScenarioDefinition>.Invalid(new ValidationError("scenario_id", $"unknown scenario '{id}'", [.. Scenarios.Select(s => s.Id)]));
            }

            if ((options.TaskId is { } t && t != scenario.TaskId) || (options.Tier is { } r && r != scenario.Tier))
            {
                return EnvironmentResult<MastScenarioDefinition>.Invalid(new ValidationError("scenario_id", $"scenario {scenario.Id} belongs to {scenario.TaskId}/{scenario.Tier}, not {options.TaskId ?? scenario.TaskId}/{options.Tier ?? scenario.Tier}"));
            }

            return EnvironmentResult<MastScenarioDefinition>.Success(scenario);
        }

        var pool = ScenarioPool.Matching(Scenarios, options.TaskId, options.Tier);
        return pool.Count == 0
            ? EnvironmentResult<MastScenarioDefinition>.Invalid(new ValidationError("tier", $"no scenario for {options.TaskId} in tier {options.Tier}", [.. Scenarios.Where(s => s.TaskId == options.TaskId).Select(s => s.Tier).Distinct()]))
            : EnvironmentResult<MastScenarioDefinition>.Success(Find(ScenarioPool.Draw(pool, options.Seed).Id)!);
    }

    private MastScenarioDefinition? Find(string id)
    {
        if (storedScenarios?.FindLatest(SuiteName, id) is { } stored)
        {
            return _stored.GetOrAdd((stored.Id, stored.Version), _ => MastScenarioFormat.ToDefinition(stored));
        }

        return BuiltIn.Value.GetValueOrDefault(id);
    }

    private static SuiteSchemas BuildSchemas()
    {
        var options = new JsonSerializerOptions(CoreJsonContext.Default.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        var exporterOptions = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true };
        JsonObject Export<T>() => options.GetJsonSchemaAsNode(typeof(T), exporterOptions).AsObject();
        return new SuiteSchemas(AgentAction.Schema(), Export<MastObservation>(), Export<MastState>());
    }
}

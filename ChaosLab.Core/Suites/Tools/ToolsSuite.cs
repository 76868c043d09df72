using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The <c>tools</c> suite: answer a question about a fictional world by calling 30 typed tools
/// through a seeded fault layer. Construct with the server's sandbox (or null: python_execute
/// then tells the agent that code execution is unavailable).
/// </summary>
public sealed class ToolsSuite(ICodeSandbox? sandbox = null) : ISuite
{
    public const string SuiteName = "tools";

    private static readonly Lazy<SuiteSchemas> LazySchemas = new(BuildSchemas);

    public string Name => SuiteName;

    public string Description => "Answer questions about a fictional world with unreliable tools: timeouts, rate limits, stale and corrupted data, schema drift, poisoned content. Recover, cross-validate, reconcile.";

    public IReadOnlyList<TaskDescriptor> Tasks => ScenarioCatalog.Tasks;

    public IReadOnlyList<string> Tiers => ScenarioCatalog.Tiers;

    public IReadOnlyList<ScenarioDescriptor> Scenarios { get; } =
        [.. ScenarioCatalog.All.Select(s => new ScenarioDescriptor(s.Id, s.TaskId, s.Tier, ScenarioCatalog.FamilyName(s.Family), s.Title, s.Version))];

    public IReadOnlyList<ToolDescriptor> Tools { get; } =
        [.. ToolRegistry.Definitions.Select(d => new ToolDescriptor(d.Name, d.Description, d.Category, d.ParameterSchema.DeepClone().AsObject()))];

    public IReadOnlyList<FaultKind> FaultKinds => ToolsFaultKinds.All;

    public SuiteSchemas Schemas => LazySchemas.Value;

    public IReadOnlyList<ReferenceAgent> ReferenceAgents { get; } =
    [
        new("naive", () => new NaiveAgent()),
        new("retrying", () => new RetryingAgent()),
        new("resilient", () => new ResilientAgent()),
    ];

    public IEpisodeSession CreateSession() => new ToolsSession(this, sandbox);

    /// <summary>The scenario reset options select, or why they select none.</summary>
    public EnvironmentResult<ScenarioDefinition> Resolve(ResetOptions options)
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
            return EnvironmentResult<ScenarioDefinition>.Invalid(errors);
        }

        if (options.ScenarioId is { } id)
        {
            var scenario = ScenarioCatalog.Find(id);
            if (scenario is null)
            {
                return EnvironmentResult<ScenarioDefinition>.Invalid(new ValidationError("scenario_id", $"unknown scenario '{id}'", [.. ScenarioCatalog.All.Select(s => s.Id)]));
            }

            if ((options.TaskId is { } t && t != scenario.TaskId) || (options.Tier is { } r && r != scenario.Tier))
            {
                return EnvironmentResult<ScenarioDefinition>.Invalid(new ValidationError("scenario_id", $"scenario {scenario.Id} belongs to {scenario.TaskId}/{scenario.Tier}, not {options.TaskId ?? scenario.TaskId}/{options.Tier ?? scenario.Tier}"));
            }

            return EnvironmentResult<ScenarioDefinition>.Success(scenario);
        }

        var taskId = options.TaskId ?? "task1";
        var match = ScenarioCatalog.All.FirstOrDefault(s => s.TaskId == taskId && (options.Tier is null || s.Tier == options.Tier));
        return match is null
            ? EnvironmentResult<ScenarioDefinition>.Invalid(new ValidationError("tier", $"no scenario for {taskId} in tier {options.Tier}", [.. ScenarioCatalog.All.Where(s => s.TaskId == taskId).Select(s => s.Tier).Distinct()]))
            : EnvironmentResult<ScenarioDefinition>.Success(match);
    }

    private static SuiteSchemas BuildSchemas()
    {
        var options = new JsonSerializerOptions(ToolsJsonContext.Default.Options);
        var exporterOptions = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true };
        JsonObject Export<T>() => options.GetJsonSchemaAsNode(typeof(T), exporterOptions).AsObject();
        return new SuiteSchemas(AgentAction.Schema(), Export<ToolsObservation>(), Export<ToolsState>());
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools.Agents;
using ChaosLab.Core.Suites.Tools.Agents.Exploits;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The <c>tools</c> suite: answer a question about a fictional world by calling 30 typed tools
/// through a seeded fault layer. Construct with the server's sandbox (or null: python_execute
/// then tells the agent that code execution is unavailable) and the stored scenarios (or null:
/// built-in scenarios only).
/// </summary>
public sealed class ToolsSuite(ICodeSandbox? sandbox = null, IScenarioSource? storedScenarios = null) : ISuite
{
    public const string SuiteName = "tools";

    private static readonly Lazy<SuiteSchemas> LazySchemas = new(BuildSchemas);

    // Built-in scenarios are played from their documents, exactly as stored ones are.
    private static readonly Lazy<IReadOnlyDictionary<string, ScenarioDefinition>> BuiltIn = new(() =>
        new ToolsScenarioFormat().BuiltIn.ToDictionary(d => d.Id, ToolsScenarioFormat.ToDefinition, StringComparer.OrdinalIgnoreCase));

    // A stored version never changes, so its definition (a parsed world, maybe) is made once.
    private readonly ConcurrentDictionary<(string Id, int Version), ScenarioDefinition> _stored = new();

    public string Name => SuiteName;

    public string Description => "Answer questions about a fictional world with unreliable tools: timeouts, rate limits, stale and corrupted data, schema drift, poisoned content. Recover, cross-validate, reconcile.";

    public IReadOnlyList<TaskDescriptor> Tasks => ScenarioCatalog.Tasks;

    public IReadOnlyList<string> Tiers => ScenarioCatalog.Tiers;

    public IReadOnlyList<ScenarioDescriptor> Scenarios { get; } =
        [.. ScenarioCatalog.All.Select(s => new ScenarioDescriptor(s.Id, s.TaskId, s.Tier, ScenarioCatalog.FamilyName(s.Family), s.Title, s.Version, s.FixedWorld is not null))];

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

    public IReadOnlyList<ReferenceAgent> ExploitAgents => ToolsExploits.All;

    public IEpisodeSession CreateSession() => new ToolsSession(this, sandbox);

    /// <summary>The scenario reset options select, or why they select none (<see cref="ScenarioResolver"/>).</summary>
    public EnvironmentResult<ScenarioDefinition> Resolve(ResetOptions options) =>
        ScenarioResolver.Resolve(this, options, Find, s => new ScenarioDescriptor(s.Id, s.TaskId, s.Tier, ScenarioCatalog.FamilyName(s.Family), s.Title, s.Version, s.FixedWorld is not null));

    private ScenarioDefinition? Find(string id)
    {
        if (storedScenarios?.FindLatest(SuiteName, id) is { } stored)
        {
            return _stored.GetOrAdd((stored.Id, stored.Version), _ => ToolsScenarioFormat.ToDefinition(stored));
        }

        return BuiltIn.Value.GetValueOrDefault(id);
    }

    private static SuiteSchemas BuildSchemas()
    {
        // Optional fields are left out on the wire, so the schema shows them as optional.
        var options = new JsonSerializerOptions(CoreJsonContext.Default.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        var exporterOptions = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true };
        JsonObject Export<T>() => options.GetJsonSchemaAsNode(typeof(T), exporterOptions).AsObject();
        return new SuiteSchemas(AgentAction.Schema(), Export<ToolsObservation>(), Export<ToolsState>());
    }
}

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
public sealed class MastSuite : ISuite
{
    public const string SuiteName = "mast";

    private static readonly Lazy<SuiteSchemas> LazySchemas = new(BuildSchemas);

    private static readonly Lazy<IReadOnlyDictionary<string, MastScenarioDefinition>> BuiltIn = new(() =>
        MastScenarioCatalog.All.ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase));

    private readonly ConcurrentDictionary<(string Id, int Version), MastScenarioDefinition> _stored = new();
    private readonly IScenarioSource? _storedScenarios;
    private readonly MastScenarioDefinition? _rehearsed;

    public MastSuite(IScenarioSource? storedScenarios = null)
    {
        _storedScenarios = storedScenarios;
    }

    private MastSuite(MastScenarioDefinition rehearsed)
    {
        _rehearsed = rehearsed;
    }

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
    /// A suite that plays exactly <paramref name="definition"/> under its id, published or not
    /// (the scenario preview's rehearsal, <see cref="MastScenarioFormat.Rehearse"/>); every other id as always.
    /// </summary>
    public static MastSuite Rehearsing(MastScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new MastSuite(definition);
    }

    /// <summary>The scenario reset options select, or why they select none (<see cref="ScenarioResolver"/>).</summary>
    public EnvironmentResult<MastScenarioDefinition> Resolve(ResetOptions options) =>
        ScenarioResolver.Resolve(this, options, Find, s => new ScenarioDescriptor(s.Id, s.TaskId, s.Tier, s.Family, s.Title, s.Version));

    private MastScenarioDefinition? Find(string id)
    {
        if (_rehearsed is { } rehearsed && string.Equals(rehearsed.Id, id, StringComparison.OrdinalIgnoreCase))
        {
            return rehearsed;
        }

        if (_storedScenarios?.FindLatest(SuiteName, id) is { } stored)
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

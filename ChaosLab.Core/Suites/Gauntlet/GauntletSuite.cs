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
using ChaosLab.Core.Suites.Gauntlet.Agents;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Scenarios;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// The <c>gauntlet</c> suite: harden a fragile piece of production Python so it survives three
/// cascading tiers of adversarial inputs, graded by running it in the sandbox on hidden cases
/// drawn from the seed at submission. Its tasks are the pieces it is built with; without a
/// usable sandbox every reset is refused (nothing here ever runs code outside it).
/// </summary>
public sealed class GauntletSuite : ISuite
{
    public const string SuiteName = GauntletScenarioCatalog.SuiteName;

    private static readonly Lazy<SuiteSchemas> LazySchemas = new(BuildSchemas);

    private readonly ConcurrentDictionary<(string Id, int Version), GauntletScenarioDefinition> _stored = new();
    private readonly IScenarioSource? _storedScenarios;
    private readonly GauntletScenarioDefinition? _rehearsed;
    private readonly IReadOnlyDictionary<string, GauntletScenarioDefinition> _builtIn;

    /// <param name="pieces">The pieces played, one task each, in order.</param>
    /// <param name="storedScenarios">Authored scenarios played besides the built-in ones (null: built-in only).</param>
    public GauntletSuite(ICodeSandbox sandbox, IReadOnlyList<IFragilePiece> pieces, IScenarioSource? storedScenarios = null)
        : this(sandbox, new GauntletScenarioCatalog(pieces), storedScenarios, null)
    {
    }

    private GauntletSuite(ICodeSandbox sandbox, GauntletScenarioCatalog catalog, IScenarioSource? storedScenarios, GauntletScenarioDefinition? rehearsed)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        Sandbox = sandbox;
        Grader = new GauntletGrader(new GauntletHarness(sandbox));
        Catalog = catalog;
        _storedScenarios = storedScenarios;
        _rehearsed = rehearsed;
        _builtIn = catalog.All.ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase);
        Scenarios = [.. catalog.All.Select(s => new ScenarioDescriptor(s.Id, s.TaskId, s.Tier, s.Family, s.Title, s.Version))];
        FaultKinds = GauntletFaultKinds.Of(catalog.Pieces);
        ReferenceAgents = GauntletAgents.References(catalog);
        ExploitAgents = GauntletAgents.Exploits(catalog);
    }

    public string Name => SuiteName;

    public string Description => "Harden fragile production Python (a sensor pipeline, a retrying HTTP client, an event consumer) against hidden adversarial inputs; graded by running it in the sandbox, tier by tier.";

    public IReadOnlyList<TaskDescriptor> Tasks => Catalog.Tasks;

    public IReadOnlyList<string> Tiers => GauntletScenarioCatalog.Tiers;

    public IReadOnlyList<ScenarioDescriptor> Scenarios { get; }

    public IReadOnlyList<ToolDescriptor> Tools => GauntletTools.All;

    public IReadOnlyList<FaultKind> FaultKinds { get; }

    public SuiteSchemas Schemas => LazySchemas.Value;

    public IReadOnlyList<ReferenceAgent> ReferenceAgents { get; }

    public IReadOnlyList<ReferenceAgent> ExploitAgents { get; }

    public GauntletScenarioCatalog Catalog { get; }

    internal ICodeSandbox Sandbox { get; }

    internal GauntletGrader Grader { get; }

    public IEpisodeSession CreateSession() => new GauntletSession(this);

    /// <summary>
    /// A suite that plays exactly <paramref name="definition"/> under its id, published or not
    /// (the scenario preview's rehearsal); every other id as always.
    /// </summary>
    public GauntletSuite Rehearsing(GauntletScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new GauntletSuite(Sandbox, Catalog, _storedScenarios, definition);
    }

    /// <summary>
    /// The scenario reset options select, or why they select none. A named scenario is looked up
    /// in the store first (its latest version revises a built-in of the same id); with no name,
    /// the seed draws one from the built-in scenarios matching the task and tier filters.
    /// </summary>
    public EnvironmentResult<GauntletScenarioDefinition> Resolve(ResetOptions options)
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
            return EnvironmentResult<GauntletScenarioDefinition>.Invalid(errors);
        }

        if (options.ScenarioId is { } id)
        {
            if (Find(id) is not { } scenario)
            {
                return EnvironmentResult<GauntletScenarioDefinition>.Invalid(new ValidationError("scenario_id", $"unknown scenario '{id}'", [.. Scenarios.Select(s => s.Id)]));
            }

            if ((options.TaskId is { } t && t != scenario.TaskId) || (options.Tier is { } r && r != scenario.Tier))
            {
                return EnvironmentResult<GauntletScenarioDefinition>.Invalid(new ValidationError("scenario_id", $"scenario {scenario.Id} belongs to {scenario.TaskId}/{scenario.Tier}, not {options.TaskId ?? scenario.TaskId}/{options.Tier ?? scenario.Tier}"));
            }

            return EnvironmentResult<GauntletScenarioDefinition>.Success(scenario);
        }

        var pool = ScenarioPool.Matching(Scenarios, options.TaskId, options.Tier);
        return pool.Count == 0
            ? EnvironmentResult<GauntletScenarioDefinition>.Invalid(new ValidationError("tier", $"no scenario for {options.TaskId} in tier {options.Tier}", [.. Scenarios.Where(s => s.TaskId == options.TaskId).Select(s => s.Tier).Distinct()]))
            : EnvironmentResult<GauntletScenarioDefinition>.Success(Find(ScenarioPool.Draw(pool, options.Seed).Id)!);
    }

    private GauntletScenarioDefinition? Find(string id)
    {
        if (_rehearsed is { } rehearsed && string.Equals(rehearsed.Id, id, StringComparison.OrdinalIgnoreCase))
        {
            return rehearsed;
        }

        if (_storedScenarios?.FindLatest(SuiteName, id) is { } stored)
        {
            return _stored.GetOrAdd((stored.Id, stored.Version), _ => GauntletScenarioFormat.ToDefinition(stored));
        }

        return _builtIn.GetValueOrDefault(id);
    }

    private static SuiteSchemas BuildSchemas()
    {
        var options = new JsonSerializerOptions(CoreJsonContext.Default.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        var exporterOptions = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true };
        JsonObject Export<T>() => options.GetJsonSchemaAsNode(typeof(T), exporterOptions).AsObject();
        return new SuiteSchemas(AgentAction.Schema(), Export<GauntletObservation>(), Export<GauntletState>());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Core.Suites.Gauntlet.Scenarios;

/// <summary>
/// The gauntlet's scenarios as data: the JSON Schema of a <see cref="GauntletScenarioDefinition"/>,
/// the built-in scenarios in that form, the checks a schema cannot make
/// (<see cref="GauntletScenarioChecks"/>), and the preview's rehearsal, played by the suite the
/// factory builds for a definition.
/// </summary>
public sealed class GauntletScenarioFormat : IScenarioFormat
{
    private readonly GauntletScenarioCatalog _catalog;
    private readonly Func<GauntletScenarioDefinition, ISuite> _suiteFactory;
    private readonly Lazy<JsonObject> _schema;
    private readonly Lazy<IReadOnlyList<ScenarioDocument>> _builtIn;

    public GauntletScenarioFormat(GauntletScenarioCatalog catalog, Func<GauntletScenarioDefinition, ISuite> suiteFactory)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(suiteFactory);
        _catalog = catalog;
        _suiteFactory = suiteFactory;
        _schema = new(BuildSchema);
        _builtIn = new(() => [.. catalog.All.Select(d => ToDocument(d))]);
    }

    public string Suite => GauntletScenarioCatalog.SuiteName;

    public JsonObject Schema => (JsonObject)_schema.Value.DeepClone();

    public IReadOnlyList<ScenarioDocument> BuiltIn => _builtIn.Value;

    public static ScenarioDocument ToDocument(GauntletScenarioDefinition definition, ScenarioSource source = ScenarioSource.BuiltIn)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return ScenarioDocument.From(JsonSerializer.SerializeToElement(definition, GauntletScenarioJsonContext.Default.GauntletScenarioDefinition), source);
    }

    /// <summary>The definition of a document that <see cref="Check"/> accepts.</summary>
    public static GauntletScenarioDefinition ToDefinition(ScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Read(document.Content);
    }

    public IReadOnlyList<ScenarioError> Check(JsonElement document)
    {
        GauntletScenarioDefinition definition;
        try
        {
            definition = Read(document);
        }
        catch (JsonException exception)
        {
            return [new ScenarioError(ToolsScenarioFormat.Pointer(exception.Path), exception.Message)];
        }

        return GauntletScenarioChecks.Check(definition, _catalog);
    }

    /// <summary>
    /// A suite that plays the document, and per seed its faults: one rule per adversarial class
    /// a hidden case of that seed injects (what a submission on that seed is graded against).
    /// </summary>
    public ScenarioRehearsal Rehearse(ScenarioDocument document)
    {
        var definition = ToDefinition(document);
        var piece = _catalog.Piece(definition.TaskId) ?? throw new ArgumentException($"no piece '{definition.TaskId}'", nameof(document));
        return new ScenarioRehearsal(_suiteFactory(definition), seed => FaultPlan(piece, new CaseDraw(seed, CaseDraw.HiddenStream, definition.Difficulty)));
    }

    /// <summary>A draw's fault decisions as the suite-neutral plan the preview and the fault inspector describe.</summary>
    public static FaultPlan FaultPlan(IFragilePiece piece, CaseDraw draw)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var cases = piece.Generate(draw);
        return new FaultPlan(0, [], [.. cases.Faults.Select(f =>
        {
            var kind = piece.FaultKinds.FirstOrDefault(k => k.Name == f.Kind) ?? throw new InvalidOperationException($"unknown fault kind {f.Kind}");
            return new FaultRule(kind, f.Target, FaultTrigger.Always, $"{f.Reason} ({f.Trigger})", f.Parameters);
        })]);
    }

    private static GauntletScenarioDefinition Read(JsonElement document) =>
        document.Deserialize(GauntletScenarioJsonContext.Default.GauntletScenarioDefinition) ?? throw new JsonException("a scenario document is a JSON object");

    private JsonObject BuildSchema()
    {
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Constrain(context.PropertyInfo, node),
        };
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://chaoslab.local/schemas/scenarios/gauntlet.json",
            ["title"] = "ChaosLab gauntlet scenario",
        };
        foreach (var (name, value) in GauntletScenarioJsonContext.Default.Options.GetJsonSchemaAsNode(typeof(GauntletScenarioDefinition), exporter).AsObject().ToList())
        {
            schema[name] = value?.DeepClone();
        }

        return schema;
    }

    // The exporter knows the shapes; the words and bounds a document may hold are added here.
    // Bounds that relate fields (a tier's step limit, a piece's kinds) are Check's.
    private JsonNode Constrain(JsonPropertyInfo? property, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (schema.ContainsKey("properties"))
        {
            schema["additionalProperties"] = false;
        }

        if (property is null || property.DeclaringType != typeof(GauntletScenarioDefinition))
        {
            return schema;
        }

        static JsonArray Names(IEnumerable<string> names) => [.. names.Select(n => (JsonNode?)JsonValue.Create(n))];
        switch (property.Name)
        {
            case "id":
                schema["pattern"] = GauntletScenarioChecks.IdPattern;
                break;
            case "version":
                schema["minimum"] = 1;
                break;
            case "suite":
                schema["const"] = GauntletScenarioCatalog.SuiteName;
                break;
            case "task" or "family":
                schema["enum"] = Names(_catalog.Tasks.Select(t => t.Id));
                break;
            case "tier":
                schema["enum"] = Names(GauntletScenarioCatalog.Tiers);
                break;
            case "title":
                schema["minLength"] = 1;
                schema["maxLength"] = GauntletScenarioChecks.TitleMaxLength;
                break;
            case "notes":
                schema["maxLength"] = GauntletScenarioDefinition.NotesMaxLength;
                break;
            case "step_limit":
                schema["minimum"] = GauntletScenarioChecks.MinSteps;
                schema["maximum"] = GauntletScenarioCatalog.MaxSteps("expert");
                break;
            case "intensity":
                schema["minimum"] = 0;
                schema["maximum"] = 1;
                break;
            case "cases":
                schema["minimum"] = GauntletScenarioChecks.MinCases;
                schema["maximum"] = GauntletScenarioChecks.MaxCases;
                break;
            case "kinds":
                schema["minItems"] = 1;
                schema["uniqueItems"] = true;
                if (schema["items"] is JsonObject kind)
                {
                    kind["enum"] = Names(_catalog.Pieces.SelectMany(p => p.FaultKinds).Select(k => k.Name).Distinct());
                }

                break;
            case "graded_tiers":
                schema["minItems"] = 1;
                schema["maxItems"] = GauntletScenarioChecks.RequirementTiers;
                if (schema["items"] is JsonObject tier)
                {
                    tier["minimum"] = 1;
                    tier["maximum"] = GauntletScenarioChecks.RequirementTiers;
                }

                break;
        }

        return schema;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// The mast suite's scenarios as data: the JSON Schema of a <see cref="MastScenarioDefinition"/>,
/// the built-in scenarios in that form, the checks a schema cannot make (<see cref="MastScenarioChecks"/>),
/// and the preview's rehearsal, played by the suite the constructor's factory builds for a
/// definition (the suite is the episode's; this format only knows its seam).
/// </summary>
public sealed class MastScenarioFormat(Func<MastScenarioDefinition, ISuite> suiteFactory) : IScenarioFormat
{
    private static readonly JsonSerializerOptions Options = MastScenarioJsonContext.Default.Options;

    private static readonly HashSet<Type> DocumentTypes =
    [
        typeof(MastScenarioDefinition), typeof(IntRange), typeof(NumberRange), typeof(ConstraintDraw), typeof(AgentTemplate), typeof(FaultCandidates), typeof(CandidateFault),
    ];

    private static readonly Lazy<JsonObject> LazySchema = new(BuildSchema);

    private static readonly Lazy<IReadOnlyList<ScenarioDocument>> LazyBuiltIn = new(() =>
        [.. MastScenarioCatalog.All.Select(d => ScenarioDocument.From(JsonSerializer.SerializeToElement(d, MastScenarioJsonContext.Default.MastScenarioDefinition), ScenarioSource.BuiltIn))]);

    public string Suite => MastScenarioCatalog.SuiteName;

    public JsonObject Schema => (JsonObject)LazySchema.Value.DeepClone();

    public IReadOnlyList<ScenarioDocument> BuiltIn => LazyBuiltIn.Value;

    /// <summary>The built-in scenarios as the suite plays them (the same as reading <see cref="BuiltIn"/>).</summary>
    public static IReadOnlyList<MastScenarioDefinition> BuiltInDefinitions => MastScenarioCatalog.All;

    /// <summary>The definition of a document that <see cref="Check"/> accepts.</summary>
    public static MastScenarioDefinition ToDefinition(ScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Read(document.Content);
    }

    public IReadOnlyList<ScenarioError> Check(JsonElement document)
    {
        MastScenarioDefinition definition;
        try
        {
            definition = Read(document);
        }
        catch (JsonException exception)
        {
            return [new ScenarioError(ToolsScenarioFormat.Pointer(exception.Path), exception.Message)];
        }

        return MastScenarioChecks.Check(definition);
    }

    /// <summary>A suite that plays the document, and per seed its faults: one rule per injected fault, at its rate.</summary>
    public ScenarioRehearsal Rehearse(ScenarioDocument document)
    {
        var definition = ToDefinition(document);
        return new ScenarioRehearsal(suiteFactory(definition), seed => FaultPlan(MastInstances.Draw(definition, seed)));
    }

    /// <summary>An instance's faults as the suite-neutral plan the preview and the fault inspector describe.</summary>
    public static FaultPlan FaultPlan(MastInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new FaultPlan(0, [], [.. instance.Faults.Select(f =>
        {
            var kind = MastFaultKinds.Find(f.Kind) ?? throw new InvalidOperationException($"unknown fault kind {f.Kind}");
            var rate = MastFaultRules.PerCall(f.Kind) ? "per model call" : "per run";
            return new FaultRule(kind, f.Agent, new FaultTrigger(f.Rate), $"{kind.Description} (rate {rate})", f.Parameters);
        })]);
    }

    private static MastScenarioDefinition Read(JsonElement document) =>
        document.Deserialize(MastScenarioJsonContext.Default.MastScenarioDefinition) ?? throw new JsonException("a scenario document is a JSON object");

    private static JsonObject BuildSchema()
    {
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Constrain(context.PropertyInfo, node),
        };
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://chaoslab.local/schemas/scenarios/mast.json",
            ["title"] = "ChaosLab mast scenario",
        };
        foreach (var (name, value) in Options.GetJsonSchemaAsNode(typeof(MastScenarioDefinition), exporter).AsObject().ToList())
        {
            schema[name] = value?.DeepClone();
        }

        return schema;
    }

    // The exporter knows the shapes; the words and bounds a document may hold are added here.
    // Bounds that depend on other fields (a tier's step limit, a kind's rates) are Check's.
    private static JsonNode Constrain(JsonPropertyInfo? property, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (schema.ContainsKey("properties"))
        {
            schema["additionalProperties"] = false;
        }

        if (property is null || !DocumentTypes.Contains(property.DeclaringType))
        {
            return schema;
        }

        static JsonArray Names(IEnumerable<string> names) => [.. names.Select(n => (JsonNode?)JsonValue.Create(n))];
        static void Words(JsonObject schema, IEnumerable<string> words)
        {
            if (schema["items"] is JsonObject item)
            {
                item["enum"] = Names(words);
            }
        }

        switch (property.Name)
        {
            case "id":
                schema["pattern"] = MastScenarioChecks.IdPattern;
                break;
            case "version":
                schema["minimum"] = 1;
                break;
            case "suite":
                schema["const"] = MastScenarioCatalog.SuiteName;
                break;
            case "task":
                schema["enum"] = Names(MastScenarioCatalog.Tasks.Select(t => t.Id));
                break;
            case "tier":
                schema["enum"] = Names(MastScenarioCatalog.Tiers);
                break;
            case "family":
                schema["enum"] = Names(MastScenarioCatalog.Families);
                break;
            case "title":
                schema["minLength"] = 1;
                schema["maxLength"] = MastScenarioChecks.TitleMaxLength;
                break;
            case "goal":
                schema["minLength"] = 1;
                schema["maxLength"] = MastScenarioChecks.GoalMaxLength;
                break;
            case "notes":
                schema["maxLength"] = MastScenarioDefinition.NotesMaxLength;
                break;
            case "step_limit":
                schema["minimum"] = MastScenarioChecks.MinSteps;
                schema["maximum"] = MastScenarioCatalog.MaxSteps("expert");
                break;
            case "slo_factor":
                schema["minimum"] = MastScenarioChecks.SloFactors.Min;
                schema["maximum"] = MastScenarioChecks.SloFactors.Max;
                break;
            case "role":
                schema["enum"] = Names(AgentRoles.All);
                break;
            case "roles":
                schema["minItems"] = 1;
                schema["uniqueItems"] = true;
                Words(schema, AgentRoles.All);
                break;
            case "input_format" or "output_format":
                schema["enum"] = Names(AgentRoles.Formats);
                break;
            case "pool":
                schema["uniqueItems"] = true;
                Words(schema, AgentRoles.Constraints);
                break;
            case "kind":
                schema["enum"] = Names(MastFaultKinds.All.Select(k => k.Name));
                break;
            case "pipeline":
                schema["minItems"] = MastScenarioChecks.MinAgents;
                schema["maxItems"] = MastScenarioChecks.MaxAgents;
                break;
            case "candidates":
                schema["minItems"] = 1;
                break;
            case "min" or "max":
                schema["minimum"] = 0;
                break;
        }

        return schema;
    }

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

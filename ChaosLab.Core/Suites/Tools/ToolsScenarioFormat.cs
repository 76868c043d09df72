using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Scenarios;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The tools suite's scenarios as data: the JSON Schema of a <see cref="ToolsScenarioDocument"/>,
/// the built-in scenarios in that form, the checks a schema cannot make, and the conversion of
/// a document into the definition a session plays.
/// </summary>
public sealed class ToolsScenarioFormat : IScenarioFormat
{
    private static readonly JsonSerializerOptions Options = new(CoreJsonContext.Default.Options)
    {
        // A document leaves out what it does not set, so authored and built-in ones read alike.
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly FrozenDictionary<string, ScenarioFamily> Families =
        Enum.GetValues<ScenarioFamily>().ToFrozenDictionary(ScenarioCatalog.FamilyName, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, FaultKind> Kinds =
        ToolsFaultKinds.All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    private static readonly FrozenSet<Type> DocumentTypes =
        [typeof(ToolsScenarioDocument), typeof(ScenarioWorldSpec), typeof(ScenarioFaultSpec), typeof(ScenarioBadPathSpec)];

    private static readonly Lazy<JsonObject> LazySchema = new(BuildSchema);

    private static readonly Lazy<IReadOnlyList<ScenarioDocument>> LazyBuiltIn = new(() =>
        [.. ScenarioCatalog.All.Select(d => ScenarioDocument.From(JsonSerializer.SerializeToElement(ToDocument(d), Options), ScenarioSource.BuiltIn))]);

    public string Suite => ToolsSuite.SuiteName;

    public JsonObject Schema => (JsonObject)LazySchema.Value.DeepClone();

    public IReadOnlyList<ScenarioDocument> BuiltIn => LazyBuiltIn.Value;

    /// <summary>A suite whose only stored scenario is the document (no sandbox: a preview runs no code).</summary>
    public ScenarioRehearsal Rehearse(ScenarioDocument document)
    {
        var definition = ToDefinition(document);
        return new ScenarioRehearsal(new ToolsSuite(null, new SingleScenarioSource(document)), seed => ScenarioTemplate.Instantiate(definition, seed).Faults);
    }

    /// <summary>The document form of a definition (how the built-in scenarios are published).</summary>
    public static ToolsScenarioDocument ToDocument(ScenarioDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var task = ScenarioCatalog.Tasks.First(t => t.Id == definition.TaskId);
        var world = definition.FixedWorld is { } fixedWorld
            ? new ScenarioWorldSpec(ScenarioWorldSpec.Fixed, fixedWorld.World, fixedWorld.Targets, fixedWorld.ClaimedRevenueUsdBillions)
            : new ScenarioWorldSpec(ScenarioWorldSpec.Generated);
        var faults = new ScenarioFaultSpec(
            definition.FaultProbability ?? ScenarioTemplate.TierProbability(definition.Tier),
            [.. (definition.BadPaths ?? []).Select(b => new ScenarioBadPathSpec(b.Tool, b.Kind.Name))],
            definition.OutdatedSource);
        return new ToolsScenarioDocument(
            definition.Id, definition.Version, ToolsSuite.SuiteName, definition.TaskId, definition.Tier,
            ScenarioCatalog.FamilyName(definition.Family), definition.Title, Tags(definition),
            definition.StepLimit ?? task.MaxSteps, definition.Question ?? ScenarioQuestions.DefaultTemplate(definition.Family),
            world, faults);
    }

    /// <summary>The definition a session plays for a document that <see cref="Check"/> accepts.</summary>
    public static ScenarioDefinition ToDefinition(ToolsScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var world = document.World.Source == ScenarioWorldSpec.Fixed
            ? new FixedWorld(document.World.Data!, document.World.Targets!, document.World.ClaimedRevenueUsdBillions)
            : null;
        return new ScenarioDefinition(
            document.Id, document.Task, document.Tier, Families[document.Family], document.Title, document.Version,
            [.. document.Faults.BadPaths.Select(b => new BadPath(b.Tool, Kinds[b.Kind]))],
            document.Faults.OutdatedSource, document.Faults.BackgroundProbability, world, document.Question, document.StepLimit);
    }

    /// <inheritdoc cref="ToDefinition(ToolsScenarioDocument)"/>
    public static ScenarioDefinition ToDefinition(ScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return ToDefinition(Read(document.Content));
    }

    public IReadOnlyList<ScenarioError> Check(JsonElement document)
    {
        ToolsScenarioDocument scenario;
        try
        {
            scenario = Read(document);
        }
        catch (JsonException exception)
        {
            return [new ScenarioError(exception.Path?.TrimStart('$').Replace('.', '/') ?? "", exception.Message)];
        }

        var errors = new List<ScenarioError>();
        var family = Families[scenario.Family];
        foreach (var name in ScenarioQuestions.UnknownPlaceholders(scenario.Question, family))
        {
            errors.Add(new("/question", $"{{{name}}} is not a placeholder of {scenario.Family}; use {string.Join(", ", ScenarioQuestions.Placeholders(family).Select(p => "{" + p + "}"))}"));
        }

        if ((scenario.Task == "task2") != (scenario.Faults.OutdatedSource is not null))
        {
            errors.Add(new("/faults/outdated_source", "task2 scenarios (and only they) name the outdated source"));
        }

        errors.AddRange(CheckWorld(scenario.World, family));
        if (errors.Count == 0)
        {
            // The last word: a world can satisfy every rule above and still lack what the
            // template needs (a country whose capital hosts no company). Refuse it now rather
            // than fail an agent's reset later.
            try
            {
                ScenarioTemplate.Instantiate(ToDefinition(scenario), 1);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                errors.Add(new("/world", "the scenario cannot be built from this world: " + exception.Message));
            }
        }

        return errors;
    }

    private static IEnumerable<ScenarioError> CheckWorld(ScenarioWorldSpec world, ScenarioFamily family)
    {
        if (world.Source == ScenarioWorldSpec.Generated)
        {
            if (world.Data is not null || world.Targets is not null || world.ClaimedRevenueUsdBillions is not null)
            {
                yield return new("/world", "a generated world takes no data, targets or claim: each seed generates them");
            }

            yield break;
        }

        if (world.Data is null || world.Targets is null)
        {
            yield return new("/world", "a fixed world needs data and targets");
            yield break;
        }

        var roles = ScenarioQuestions.TargetRoles(family);
        foreach (var role in roles.Where(r => !world.Targets.ContainsKey(r)))
        {
            yield return new("/world/targets", $"{ScenarioCatalog.FamilyName(family)} needs the target '{role}'");
        }

        foreach (var role in world.Targets.Keys.Where(r => !roles.Contains(r)))
        {
            yield return new("/world/targets/" + role, $"'{role}' is not a target of {ScenarioCatalog.FamilyName(family)}; its targets are {string.Join(", ", roles)}");
        }

        foreach (var (role, name) in world.Targets.Where(t => roles.Contains(t.Key)))
        {
            var found = role switch
            {
                "country" or "other_country" => world.Data.FindCountry(name) is not null,
                "capital" => world.Data.Countries.Any(c => c.Capital == name),
                "company" => world.Data.FindCompany(name) is not null,
                "product" => world.Data.Products.Any(p => p.Name == name),
                _ => world.Data.Events.Any(e => e.Name == name),
            };
            if (!found)
            {
                yield return new("/world/targets/" + role, $"the world has no {role.Replace('_', ' ')} '{name}'");
            }
        }
    }

    private static ToolsScenarioDocument Read(JsonElement document) =>
        document.Deserialize<ToolsScenarioDocument>(Options) ?? throw new JsonException("a scenario document is a JSON object");

    private static List<string> Tags(ScenarioDefinition definition)
    {
        List<string> tags = [definition.FixedWorld is null ? "generated-world" : "fixed-world"];
        tags.Add(definition.TaskId switch
        {
            "task1" => "single-bad-path",
            "task2" => "conflicting-sources",
            _ => "cascading-faults",
        });
        tags.AddRange((definition.BadPaths ?? []).Select(b => b.Kind.Name).Distinct());
        return tags;
    }

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
            ["$id"] = "https://chaoslab.local/schemas/scenarios/tools.json",
            ["title"] = "ChaosLab tools scenario",
        };
        foreach (var (name, value) in Options.GetJsonSchemaAsNode(typeof(ToolsScenarioDocument), exporter).AsObject().ToList())
        {
            schema[name] = value?.DeepClone();
        }

        return schema;
    }

    // The exporter knows the shapes; the values a tools document may hold are added here, on
    // the document's own properties only (a world event has a "kind" too).
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
        switch (property.Name)
        {
            case "id":
                schema["pattern"] = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
                break;
            case "version":
                schema["minimum"] = 1;
                break;
            case "suite":
                schema["const"] = ToolsSuite.SuiteName;
                break;
            case "task":
                schema["enum"] = Names(ScenarioCatalog.Tasks.Select(t => t.Id));
                break;
            case "tier":
                schema["enum"] = Names(ScenarioCatalog.Tiers);
                break;
            case "family":
                schema["enum"] = Names(Families.Keys.Order(StringComparer.Ordinal));
                break;
            case "title" or "question":
                schema["minLength"] = 1;
                schema["maxLength"] = 1000;
                break;
            case "step_limit":
                schema["minimum"] = 1;
                schema["maximum"] = 50;
                break;
            case "source":
                schema["enum"] = Names([ScenarioWorldSpec.Generated, ScenarioWorldSpec.Fixed]);
                break;
            case "background_probability":
                schema["minimum"] = 0;
                schema["maximum"] = 1;
                break;
            case "tool":
                schema["enum"] = Names(ToolNames.Retrieval.Order(StringComparer.Ordinal));
                break;
            case "outdated_source":
                var sources = Names(ToolNames.Retrieval.Order(StringComparer.Ordinal));
                sources.Add(null);
                schema["enum"] = sources;
                break;
            case "kind":
                schema["enum"] = Names(Kinds.Keys.Order(StringComparer.Ordinal));
                break;
        }

        return schema;
    }
}

using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Grading;
using ChaosLab.Core.Scenarios;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The tools suite's scenarios as data: the JSON Schema of a <see cref="ToolsScenarioDocument"/>,
/// the built-in scenarios in that form, the checks a schema cannot make, and the conversion of
/// a document into the definition a session plays.
/// </summary>
public sealed partial class ToolsScenarioFormat : IScenarioFormat, IScenarioAnswerKeys
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
    [
        typeof(ToolsScenarioDocument), typeof(ScenarioWorldSpec), typeof(ScenarioFaultSpec), typeof(ScenarioBadPathSpec),
        typeof(ScenarioToolProbabilitySpec), typeof(ScenarioScriptedFaultSpec), typeof(ScenarioAnswerSpec), typeof(ScenarioCorpusDocumentSpec),
    ];

    /// <summary>
    /// Each family's answer slots (names and kinds do not depend on the world or the seed), from
    /// the template itself, so the checks can never disagree with the key it derives.
    /// </summary>
    private static readonly Lazy<FrozenDictionary<ScenarioFamily, IReadOnlyList<AnswerSlot>>> FamilySlots = new(() =>
        Enum.GetValues<ScenarioFamily>().ToFrozenDictionary(
            f => f,
            f => ScenarioTemplate.Instantiate(new ScenarioDefinition("slots", "task1", "warmup", f, "slots"), 1).Key.Slots));

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
        // What is not set stays out of the document (null, never an empty list), so the built-in
        // documents read exactly as they did before these fields existed.
        var world = definition.FixedWorld is { } fixedWorld
            ? new ScenarioWorldSpec(
                ScenarioWorldSpec.Fixed, fixedWorld.World, fixedWorld.Targets, fixedWorld.ClaimedRevenueUsdBillions,
                OrNull(fixedWorld.Documents, d => new ScenarioCorpusDocumentSpec(d.Id, d.Title, d.Source, d.Date, d.Authority, d.Text)))
            : new ScenarioWorldSpec(ScenarioWorldSpec.Generated);
        var faults = new ScenarioFaultSpec(
            definition.FaultProbability ?? ScenarioTemplate.TierProbability(definition.Tier),
            [.. (definition.BadPaths ?? []).Select(b => new ScenarioBadPathSpec(b.Tool, b.Kind.Name))],
            definition.OutdatedSource,
            OrNull(definition.ToolProbabilities, c => new ScenarioToolProbabilitySpec(c.Tool, c.Kind.Name, c.Probability)),
            OrNull(definition.ScriptedFaults, f => new ScenarioScriptedFaultSpec(f.Tool, f.Kind.Name, f.Attempts, f.ArgumentsContain is { Count: > 0 } contain ? contain : null)));
        return new ToolsScenarioDocument(
            definition.Id, definition.Version, ToolsSuite.SuiteName, definition.TaskId, definition.Tier,
            ScenarioCatalog.FamilyName(definition.Family), definition.Title, Tags(definition),
            definition.StepLimit ?? task.MaxSteps, definition.Question ?? ScenarioQuestions.DefaultTemplate(definition.Family),
            world, faults, string.IsNullOrEmpty(definition.Notes) ? null : definition.Notes,
            OrNull(definition.AnswerOverrides, a => new ScenarioAnswerSpec(a.Slot, a.Tolerance, a.Weight)));
    }

    /// <summary>The definition a session plays for a document that <see cref="Check"/> accepts.</summary>
    public static ScenarioDefinition ToDefinition(ToolsScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var world = document.World.Source == ScenarioWorldSpec.Fixed
            ? new FixedWorld(
                document.World.Data!, document.World.Targets!, document.World.ClaimedRevenueUsdBillions,
                OrNull(document.World.Documents, d => new AuthoredDocument(d.Id, d.Title, d.Source, d.Date, d.Authority, d.Text)))
            : null;
        var faults = document.Faults;
        return new ScenarioDefinition(
            document.Id, document.Task, document.Tier, Families[document.Family], document.Title, document.Version,
            [.. faults.BadPaths.Select(b => new BadPath(b.Tool, Kinds[b.Kind]))],
            faults.OutdatedSource, faults.BackgroundProbability, world, document.Question, document.StepLimit,
            OrNull(faults.ToolProbabilities, c => new ToolFaultChance(c.Tool, Kinds[c.Kind], c.Probability)),
            OrNull(faults.Scripted, f => new ScriptedFault(f.Tool, Kinds[f.Kind], f.Attempts, f.ArgumentsContain)),
            OrNull(document.Answer, a => new AnswerOverride(a.Slot, a.Tolerance, a.Weight)),
            document.Notes);
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
            return [new ScenarioError(Pointer(exception.Path), exception.Message)];
        }

        return Check(scenario);
    }

    /// <summary>
    /// The answer slots a document's key has for one seed, with the author's overrides applied:
    /// what an editor shows next to the answer section. The expected values come from the world
    /// the seed gives (a fixed world's are the same for every seed). Overrides that fail the
    /// checks are left out, so the slots show while the answer section is being fixed; empty
    /// when anything else in the document keeps it from being built (<see cref="Check(JsonElement)"/> says what).
    /// </summary>
    IReadOnlyList<ScenarioAnswerSlot> IScenarioAnswerKeys.AnswerKey(JsonElement document, long seed) =>
        [.. AnswerSlots(document, seed).Select(s => new ScenarioAnswerSlot(s.Name, s.Kind, s.Expected, s.Tolerance, s.Weight))];

    public static IReadOnlyList<DerivedAnswerSlot> AnswerSlots(JsonElement document, long seed)
    {
        ToolsScenarioDocument scenario;
        try
        {
            scenario = Read(document);
        }
        catch (JsonException)
        {
            return [];
        }

        var errors = Check(scenario);
        if (errors.Any(e => !e.Path.StartsWith("/answer", StringComparison.Ordinal)))
        {
            return [];
        }

        bool Valid(int i) => !errors.Any(e => e.Path == $"/answer/{i}" || e.Path.StartsWith($"/answer/{i}/", StringComparison.Ordinal));
        var valid = (scenario.Answer ?? []).Where((_, i) => Valid(i)).ToList();
        var instance = ScenarioTemplate.Instantiate(ToDefinition(scenario with { Answer = valid }), seed);
        return [.. instance.Key.Slots.Select(DerivedAnswerSlot.From)];
    }

    private static List<ScenarioError> Check(ToolsScenarioDocument scenario)
    {
        if (!Families.TryGetValue(scenario.Family, out var family))
        {
            return [new("/family", $"family must be one of: {string.Join(", ", Families.Keys.Order(StringComparer.Ordinal))}")];
        }

        var errors = new List<ScenarioError>();
        foreach (var name in ScenarioQuestions.UnknownPlaceholders(scenario.Question, family))
        {
            errors.Add(new("/question", $"{{{name}}} is not a placeholder of {scenario.Family}; use {string.Join(", ", ScenarioQuestions.Placeholders(family).Select(p => "{" + p + "}"))}"));
        }

        if ((scenario.Task == "task2") != (scenario.Faults.OutdatedSource is not null))
        {
            errors.Add(new("/faults/outdated_source", "task2 scenarios (and only they) name the outdated source"));
        }

        errors.AddRange(ToolsScenarioChecks.Notes(scenario));
        errors.AddRange(ToolsScenarioChecks.StepLimit(scenario, family));
        errors.AddRange(ToolsScenarioChecks.Faults(scenario.Faults));
        errors.AddRange(ToolsScenarioChecks.Answer(scenario.Answer ?? [], scenario.Family, FamilySlots.Value[family]));
        errors.AddRange(ToolsScenarioChecks.World(scenario.World, family));
        if (errors.Count == 0)
        {
            // The last word: a world can satisfy every rule above and still lack what the
            // template needs (a country whose capital hosts no company). Refuse it now rather
            // than fail an agent's reset later. Authored documents are added to the corpus
            // after the generated ones, so their ids are checked against what it generates.
            try
            {
                var definition = ToDefinition(scenario);
                var generatedOnly = definition with { FixedWorld = definition.FixedWorld is { } fixedWorld ? fixedWorld with { Documents = null } : null };
                var instance = ScenarioTemplate.Instantiate(generatedOnly, 1);
                errors.AddRange(ToolsScenarioChecks.DocumentIdsFree(scenario.World.Documents ?? [], DocumentCorpus.Build(instance, Snapshot.Current)));
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                errors.Add(new("/world", "the scenario cannot be built from this world: " + exception.Message));
            }
        }

        return errors;
    }

    /// <summary>The JSON Pointer of a System.Text.Json path (<c>$.faults.scripted[0].kind</c> is <c>/faults/scripted/0/kind</c>).</summary>
    internal static string Pointer(string? path)
    {
        var pointer = new StringBuilder();
        foreach (Match segment in PathSegment().Matches(path ?? ""))
        {
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value
                : segment.Groups["index"].Success ? segment.Groups["index"].Value
                : segment.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);
            pointer.Append('/').Append(name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        }

        return pointer.ToString();
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();

    private static List<TTo>? OrNull<TFrom, TTo>(IReadOnlyList<TFrom>? items, Func<TFrom, TTo> convert) =>
        items is { Count: > 0 } ? [.. items.Select(convert)] : null;

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
        static void Length(JsonObject schema, int min, int max)
        {
            schema["minLength"] = min;
            schema["maxLength"] = max;
        }

        static void Range(JsonObject schema, double min, double max)
        {
            schema["minimum"] = min;
            schema["maximum"] = max;
        }

        var declaring = property.DeclaringType;
        switch (property.Name)
        {
            case "id":
                schema["pattern"] = ToolsScenarioChecks.IdPattern;
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
                Length(schema, 1, 1000);
                break;
            case "notes":
                schema["maxLength"] = ToolsScenarioDocument.NotesMaxLength;
                break;
            case "step_limit":
                // The widest bounds; each task and family narrows them (StepBounds, in Check).
                Range(schema, StepBounds.Widest.Min, StepBounds.Widest.Max);
                break;
            case "source" when declaring == typeof(ScenarioWorldSpec):
                schema["enum"] = Names([ScenarioWorldSpec.Generated, ScenarioWorldSpec.Fixed]);
                break;
            case "source":
                Length(schema, 1, 200);
                break;
            case "background_probability" or "probability":
                Range(schema, 0, 1);
                break;
            case "tool" when declaring == typeof(ScenarioBadPathSpec):
                schema["enum"] = Names(ToolNames.Retrieval.Order(StringComparer.Ordinal));
                break;
            case "tool":
                schema["enum"] = Names(ToolRegistry.Definitions.Where(d => ToolsFaultKinds.ApplicableTo(d).Count > 0).Select(d => d.Name).Order(StringComparer.Ordinal));
                break;
            case "outdated_source":
                var sources = Names(ToolNames.Retrieval.Order(StringComparer.Ordinal));
                sources.Add(null);
                schema["enum"] = sources;
                break;
            case "kind":
                schema["enum"] = Names(Kinds.Keys.Order(StringComparer.Ordinal));
                break;
            case "attempts":
                schema["minItems"] = 1;
                schema["uniqueItems"] = true;
                if (schema["items"] is JsonObject attempt)
                {
                    Range(attempt, 1, ScenarioScriptedFaultSpec.MaxAttempt);
                }

                break;
            case "arguments_contain":
                if (schema["items"] is JsonObject needle)
                {
                    Length(needle, 1, 200);
                }

                break;
            case "slot":
                schema["enum"] = Names(FamilySlots.Value.Values.SelectMany(slots => slots.Select(s => s.Name)).Distinct().Order(StringComparer.Ordinal));
                break;
            case "tolerance":
                Range(schema, 0, ScenarioAnswerSpec.MaxTolerance);
                break;
            case "weight":
                schema["exclusiveMinimum"] = 0;
                break;
            case "authority":
                schema["enum"] = Names(AuthoredDocument.Authorities);
                break;
            case "text":
                Length(schema, 1, ScenarioCorpusDocumentSpec.TextMaxLength);
                break;
        }

        return schema;
    }
}

/// <summary>One slot of a scenario's answer key for a seed, as an editor shows it.</summary>
/// <param name="Kind"><c>number</c>, <c>date</c>, <c>boolean</c> or <c>entity</c>.</param>
/// <param name="Expected">The value the world gives, as the replay shows it (invariant: <c>6482115</c>, <c>2025-05-01</c>, <c>true</c>, a name).</param>
/// <param name="Tolerance">Number slots: the relative tolerance; null for the others.</param>
public sealed record DerivedAnswerSlot(string Name, string Kind, string Expected, double? Tolerance, double Weight, string Description)
{
    internal static DerivedAnswerSlot From(AnswerSlot slot) => new(
        slot.Name, slot.Kind.ToString().ToLowerInvariant(), slot.ExpectedText,
        slot.Kind == SlotKind.Number ? slot.RelativeTolerance : null, slot.Weight, slot.Description);
}

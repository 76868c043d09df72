using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Config;

/// <summary>A config read from JSON, or every reason it could not be.</summary>
/// <param name="Config">Null when there are errors: a config is used whole or not at all.</param>
/// <param name="Errors">Each as <c>/json/pointer: what is wrong and what is allowed</c>.</param>
/// <param name="Diagnosis">The seed's flat config carries the agent's <c>diagnosis</c> in it; handed on unread
/// (<see cref="DiagnosisReader"/> reads it).</param>
public sealed record ConfigReading(ResilienceConfig? Config, IReadOnlyList<string> Errors, JsonElement? Diagnosis = null)
{
    public bool Succeeded => Config is not null;
}

/// <summary>
/// Reads a <see cref="ResilienceConfig"/> from JSON, in ChaosLab's shape (role specifications per
/// agent under <c>role_specs</c>) or the seed's flat <c>ResilienceConfig</c> (one role
/// specification as a JSON string in <c>spec_fix</c>, deployed when <c>explicit_role_spec</c> is
/// true). Missing fields keep their defaults; an unknown field, a wrong type or a value out of
/// range is an error naming the field by JSON pointer and what it allows, so the seed's
/// unbounded settings (<c>retry_max: 25</c>, a <c>retry_delay_ms</c> of minutes) are refused
/// rather than run.
/// </summary>
public static class ResilienceConfigReader
{
    public const string RoleSpecs = "role_specs";
    public const string SpecFix = "spec_fix";
    public const string ExplicitRoleSpec = "explicit_role_spec";
    public const string Diagnosis = "diagnosis";

    /// <summary>The largest N of a <c>max_turns:N</c> stop condition.</summary>
    public const int MaxTurnsLimit = 200;

    private const string MaxTurnsPrefix = "max_turns:";

    private static readonly ResilienceConfig Defaults = ResilienceConfig.Default;

    /// <summary>The scalar fields, in canonical order (role specifications follow them).</summary>
    public static IReadOnlyList<ConfigField> Fields { get; } =
    [
        new("retry_max", ConfigFieldType.WholeNumber, Defaults.RetryMax, "Retries of a failed model call.", 0, 10),
        new("retry_delay_ms", ConfigFieldType.WholeNumber, Defaults.RetryDelayMs, "Delay before the first retry, doubled for each further one (simulated time).", 0, 30_000),
        new("timeout_ms", ConfigFieldType.WholeNumber, Defaults.TimeoutMs, "Time limit of one model call.", 100, 120_000),
        new("fallback", ConfigFieldType.Choice, Defaults.Fallback, "What an agent does when a call still fails: skip its work, summarize a degraded output, abort the run, or retry_last (one more attempt).", Values: ResilienceConfig.Fallbacks),
        new("circuit_breaker_threshold", ConfigFieldType.Number, Defaults.CircuitBreakerThreshold, "Failure ratio of a backend's calls that opens its circuit breaker (0 = no breaker).", 0.1, 1.0, Off: 0),
        new("context_strategy", ConfigFieldType.Choice, Defaults.ContextStrategy, "When history outgrows an agent's window: truncate the oldest, summarize, or chunk the work.", Values: ResilienceConfig.ContextStrategies),
        new("context_summarization_threshold", ConfigFieldType.WholeNumber, Defaults.ContextSummarizationThreshold, "History size in tokens at which summarize starts.", 256, 65_536),
        new("min_review_depth", ConfigFieldType.WholeNumber, Defaults.MinReviewDepth, "Review passes before the reviewer may approve.", 0, 5),
        new("consistency_check", ConfigFieldType.Boolean, Defaults.ConsistencyCheck, "Cross-check a draft's claims against each other before approval."),
        new("format_translator", ConfigFieldType.Boolean, Defaults.FormatTranslator, "Convert YAML to the JSON a consumer expects on every hand-off."),
        new("repetition_guard", ConfigFieldType.WholeNumber, Defaults.RepetitionGuard, "Block an agent's Nth identical consecutive step (0 = off).", 0, 5),
        new("action_validation", ConfigFieldType.Boolean, Defaults.ActionValidation, "Check every executor action against its stated reasoning before it runs."),
    ];

    /// <summary>The fields of one role specification, in canonical order.</summary>
    public static IReadOnlyList<string> RoleSpecFields { get; } = ["agent", "role", "capabilities", "constraints", "output_format", "stop_condition"];

    private static readonly IReadOnlyList<string> TopLevelNames = [.. Fields.Select(f => f.Name), RoleSpecs, SpecFix, ExplicitRoleSpec, Diagnosis];

    private static readonly Lazy<JsonObject> LazySchema = new(BuildSchema);

    /// <summary>
    /// Reads <paramref name="json"/>. With the pipeline's <paramref name="agents"/>, a role
    /// specification for an agent the pipeline does not have is an error too.
    /// </summary>
    public static ConfigReading Read(JsonElement json, IReadOnlyCollection<PipelineAgent>? agents = null)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return new(null, [$"a config is a JSON object of these fields: {string.Join(", ", TopLevelNames)}"]);
        }

        var errors = new List<string>();
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            if (!TopLevelNames.Contains(property.Name))
            {
                errors.Add($"{Pointer(property.Name)}: unknown field (fields: {string.Join(", ", TopLevelNames)})");
            }
            else if (!values.TryAdd(property.Name, property.Value))
            {
                errors.Add($"{Pointer(property.Name)}: given twice");
            }
        }

        var scalars = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (values.TryGetValue(field.Name, out var value) && ReadScalar(field, value, errors) is { } read)
            {
                scalars[field.Name] = read;
            }
        }

        var specs = new Dictionary<string, RoleSpec>(StringComparer.Ordinal);
        if (values.TryGetValue(RoleSpecs, out var roleSpecs))
        {
            ReadRoleSpecs(roleSpecs, specs, errors);
        }

        ReadSpecFix(values, specs, errors);
        if (agents is not null)
        {
            foreach (var agent in specs.Keys.Where(id => agents.All(a => a.Id != id)))
            {
                errors.Add($"/{RoleSpecs}/{Escape(agent)}: no agent {agent} in this pipeline (agents: {string.Join(", ", agents.Select(a => a.Id))})");
            }
        }

        JsonElement? diagnosis = values.TryGetValue(Diagnosis, out var d) && d.ValueKind != JsonValueKind.Null ? d.Clone() : null;
        if (errors.Count > 0)
        {
            return new(null, errors, diagnosis);
        }

        T Get<T>(string name, T fallback) => scalars.TryGetValue(name, out var v) ? (T)v : fallback;
        var config = new ResilienceConfig(
            Get("retry_max", Defaults.RetryMax),
            Get("retry_delay_ms", Defaults.RetryDelayMs),
            Get("timeout_ms", Defaults.TimeoutMs),
            Get("fallback", Defaults.Fallback),
            Get("circuit_breaker_threshold", Defaults.CircuitBreakerThreshold),
            Get("context_strategy", Defaults.ContextStrategy),
            Get("context_summarization_threshold", Defaults.ContextSummarizationThreshold),
            Get("min_review_depth", Defaults.MinReviewDepth),
            Get("consistency_check", Defaults.ConsistencyCheck),
            Get("format_translator", Defaults.FormatTranslator),
            Get("repetition_guard", Defaults.RepetitionGuard),
            Get("action_validation", Defaults.ActionValidation),
            specs);
        return new(config, [], diagnosis);
    }

    /// <summary>
    /// JSON Schema (draft 2020-12) of a config in either shape: ranges as minimum/maximum, words
    /// as enums, no other fields. The reader's errors say the same in words.
    /// </summary>
    public static JsonObject Schema() => (JsonObject)LazySchema.Value.DeepClone();

    /// <summary>
    /// The config in ChaosLab's shape, every field present, in canonical order (role
    /// specifications by agent id), so two equal configs render to the same text.
    /// </summary>
    public static JsonObject ToJson(ResilienceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = new JsonObject
        {
            ["retry_max"] = config.RetryMax,
            ["retry_delay_ms"] = config.RetryDelayMs,
            ["timeout_ms"] = config.TimeoutMs,
            ["fallback"] = config.Fallback,
            ["circuit_breaker_threshold"] = config.CircuitBreakerThreshold,
            ["context_strategy"] = config.ContextStrategy,
            ["context_summarization_threshold"] = config.ContextSummarizationThreshold,
            ["min_review_depth"] = config.MinReviewDepth,
            ["consistency_check"] = config.ConsistencyCheck,
            ["format_translator"] = config.FormatTranslator,
            ["repetition_guard"] = config.RepetitionGuard,
            ["action_validation"] = config.ActionValidation,
        };
        var specs = new JsonObject();
        foreach (var (agent, spec) in config.RoleSpecs.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            specs[agent] = ToJson(spec);
        }

        json[RoleSpecs] = specs;
        return json;
    }

    /// <summary>One role specification as ChaosLab writes it (the agent is its key under <c>role_specs</c>).</summary>
    public static JsonObject ToJson(RoleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var json = new JsonObject
        {
            ["role"] = spec.Role,
            ["capabilities"] = new JsonArray([.. spec.Capabilities.Select(c => (JsonNode)c)]),
            ["constraints"] = new JsonArray([.. spec.Constraints.Select(c => (JsonNode)c)]),
        };
        if (spec.OutputFormat is { } format)
        {
            json["output_format"] = format;
        }

        if (spec.StopCondition is { } stop)
        {
            json["stop_condition"] = spec.MaxTurns is { } turns ? MaxTurnsPrefix + turns.ToString(CultureInfo.InvariantCulture) : stop;
        }

        return json;
    }

    private static object? ReadScalar(ConfigField field, JsonElement value, List<string> errors)
    {
        var path = Pointer(field.Name);
        switch (field.Type)
        {
            case ConfigFieldType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean();
            case ConfigFieldType.Choice when value.ValueKind == JsonValueKind.String:
                var word = value.GetString()!;
                if (field.Values!.Contains(word))
                {
                    return word;
                }

                errors.Add($"{path}: \"{word}\" is not {field.Allowed}");
                return null;
            case ConfigFieldType.WholeNumber when value.ValueKind == JsonValueKind.Number:
                if (!value.TryGetInt64(out var integer))
                {
                    errors.Add($"{path}: {value.GetRawText()} is not {field.Allowed}");
                    return null;
                }

                return InRange(field, integer, path, errors) ? (int)integer : null;
            case ConfigFieldType.Number when value.ValueKind == JsonValueKind.Number:
                var number = value.GetDouble();
                if (field.Off is { } off && number == off)
                {
                    return number;
                }

                if (field.Off is not null && number > field.Off && number < field.Minimum)
                {
                    errors.Add($"{path}: {value.GetRawText()} is not {field.Allowed}");
                    return null;
                }

                return InRange(field, number, path, errors) ? number : null;
            default:
                errors.Add($"{path}: expected {field.Allowed}, got {Describe(value)}");
                return null;
        }
    }

    private static bool InRange(ConfigField field, double value, string path, List<string> errors)
    {
        var text = ConfigField.Number(value);
        if (value < field.Minimum)
        {
            errors.Add($"{path}: {text} is below the minimum {ConfigField.Number(field.Minimum)}" + (field.Off is { } off ? $" ({ConfigField.Number(off)} turns it off)" : ""));
            return false;
        }

        if (value > field.Maximum)
        {
            errors.Add($"{path}: {text} is above the maximum {ConfigField.Number(field.Maximum)}");
            return false;
        }

        return true;
    }

    private static void ReadRoleSpecs(JsonElement roleSpecs, Dictionary<string, RoleSpec> specs, List<string> errors)
    {
        var path = Pointer(RoleSpecs);
        if (roleSpecs.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected an object of role specifications by agent id, got {Describe(roleSpecs)}");
            return;
        }

        foreach (var entry in roleSpecs.EnumerateObject())
        {
            var specPath = $"{path}/{Escape(entry.Name)}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                errors.Add($"{specPath}: a role specification is keyed by its agent's id");
                continue;
            }

            var spec = ReadRoleSpec(entry.Value, entry.Name, specPath, errors);
            if (spec is not null && !specs.TryAdd(entry.Name, spec))
            {
                errors.Add($"{specPath}: given twice");
            }
        }
    }

    // The seed deploys spec_fix, a role specification as a JSON string, only when
    // explicit_role_spec is true; either without the other did nothing there, which an agent
    // could not tell from a working fix, so here it is an error.
    private static void ReadSpecFix(Dictionary<string, JsonElement> values, Dictionary<string, RoleSpec> specs, List<string> errors)
    {
        var hasFix = values.TryGetValue(SpecFix, out var fix) && fix.ValueKind != JsonValueKind.Null && !(fix.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(fix.GetString()));
        bool? explicitSpec = null;
        if (values.TryGetValue(ExplicitRoleSpec, out var flag))
        {
            if (flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                explicitSpec = flag.GetBoolean();
            }
            else
            {
                errors.Add($"{Pointer(ExplicitRoleSpec)}: expected true or false, got {Describe(flag)}");
                return;
            }
        }

        if (!hasFix)
        {
            if (explicitSpec == true)
            {
                errors.Add($"{Pointer(ExplicitRoleSpec)}: true deploys the role specification in spec_fix, which is missing or empty");
            }

            return;
        }

        var path = Pointer(SpecFix);
        if (explicitSpec != true)
        {
            errors.Add($"{path}: deployed only when explicit_role_spec is true (set it, or leave spec_fix out)");
            return;
        }

        if (fix.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}: expected a role specification as a JSON string, got {Describe(fix)}");
            return;
        }

        JsonElement parsed;
        try
        {
            using var document = JsonDocument.Parse(fix.GetString()!);
            parsed = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            errors.Add($"{path}: not JSON: {exception.Message}");
            return;
        }

        if (parsed.ValueKind != JsonValueKind.Object || !parsed.TryGetProperty("agent", out var agentElement) || agentElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(agentElement.GetString()))
        {
            errors.Add($"{path}: a role specification in spec_fix is a JSON object that names its agent: {{\"agent\": \"<agent id>\", \"role\": ..., \"capabilities\": [...], \"constraints\": [...], \"output_format\": ..., \"stop_condition\": ...}}");
            return;
        }

        var agent = agentElement.GetString()!;
        var inner = new List<string>();
        var spec = ReadRoleSpec(parsed, agent, "", inner);
        errors.AddRange(inner.Select(e => $"{path}: {e.TrimStart(':', ' ')}"));
        if (spec is not null && !specs.TryAdd(agent, spec))
        {
            errors.Add($"{path}: role_specs already has a specification for {agent}");
        }
    }

    private static RoleSpec? ReadRoleSpec(JsonElement json, string agent, string path, List<string> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: expected a role specification object ({string.Join(", ", RoleSpecFields.Skip(1))}), got {Describe(json)}");
            return null;
        }

        var count = errors.Count;
        string? role = null, format = null, stop = null;
        int? maxTurns = null;
        IReadOnlyList<string> capabilities = [], constraints = [];
        foreach (var property in json.EnumerateObject())
        {
            var at = $"{path}/{Escape(property.Name)}";
            var value = property.Value;
            switch (property.Name)
            {
                case "agent":
                    if (value.ValueKind != JsonValueKind.String || value.GetString() != agent)
                    {
                        errors.Add($"{at}: names the agent the specification is for, {agent}");
                    }

                    break;
                case "role":
                    role = Word(value, AgentRoles.All, at, errors);
                    break;
                case "capabilities":
                    capabilities = Words(value, AgentRoles.AllCapabilities, "capability", at, errors);
                    break;
                case "constraints":
                    constraints = Words(value, AgentRoles.Constraints, "constraint", at, errors);
                    break;
                case "output_format":
                    format = value.ValueKind == JsonValueKind.Null ? null : Word(value, AgentRoles.Formats, at, errors);
                    break;
                case "stop_condition":
                    (stop, maxTurns) = value.ValueKind == JsonValueKind.Null ? (null, null) : StopCondition(value, at, errors);
                    break;
                default:
                    errors.Add($"{at}: unknown field of a role specification (fields: {string.Join(", ", RoleSpecFields)})");
                    break;
            }
        }

        if (role is null && errors.Count == count)
        {
            errors.Add($"{path}/role: required, one of: {string.Join(", ", AgentRoles.All)}");
        }

        return errors.Count == count ? new RoleSpec(agent, role!, capabilities, constraints, format, stop, maxTurns) : null;
    }

    private static string? Word(JsonElement value, IReadOnlyList<string> allowed, string path, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString()!))
        {
            return value.GetString();
        }

        errors.Add(value.ValueKind == JsonValueKind.String
            ? $"{path}: \"{value.GetString()}\" is not one of: {string.Join(", ", allowed)}"
            : $"{path}: expected one of: {string.Join(", ", allowed)}, got {Describe(value)}");
        return null;
    }

    private static List<string> Words(JsonElement value, IReadOnlyList<string> allowed, string noun, string path, List<string> errors)
    {
        var words = new List<string>();
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}: expected an array of {noun} words ({string.Join(", ", allowed)}), got {Describe(value)}");
            return words;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}/{index++}";
            if (item.ValueKind != JsonValueKind.String || !allowed.Contains(item.GetString()!))
            {
                errors.Add($"{at}: {(item.ValueKind == JsonValueKind.String ? $"\"{item.GetString()}\"" : Describe(item))} is not a {noun} (valid: {string.Join(", ", allowed)})");
            }
            else if (words.Contains(item.GetString()!))
            {
                errors.Add($"{at}: \"{item.GetString()}\" is listed twice");
            }
            else
            {
                words.Add(item.GetString()!);
            }
        }

        return words;
    }

    private static (string? Stop, int? MaxTurns) StopCondition(JsonElement value, string path, List<string> errors)
    {
        var allowed = $"one of: {string.Join(", ", AgentRoles.StopConditions)} (N from 1 to {MaxTurnsLimit})";
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}: expected {allowed}, got {Describe(value)}");
            return (null, null);
        }

        var text = value.GetString()!;
        if (text.StartsWith(MaxTurnsPrefix, StringComparison.Ordinal))
        {
            var digits = text.AsSpan(MaxTurnsPrefix.Length);
            if (!digits.StartsWith("0") && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var turns) && turns is >= 1 and <= MaxTurnsLimit)
            {
                return (AgentRoles.StopConditions[^1], turns);
            }

            errors.Add($"{path}: \"{text}\": N of max_turns:N is an integer from 1 to {MaxTurnsLimit}");
            return (null, null);
        }

        if (AgentRoles.StopConditions.Contains(text) && text != AgentRoles.StopConditions[^1])
        {
            return (text, null);
        }

        errors.Add($"{path}: \"{text}\" is not {allowed}");
        return (null, null);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Pointer(string name) => "/" + Escape(name);

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonObject BuildSchema()
    {
        var properties = new JsonObject();
        foreach (var field in Fields)
        {
            var schema = new JsonObject { ["description"] = field.Description, ["default"] = field.Default.DeepClone() };
            switch (field.Type)
            {
                case ConfigFieldType.WholeNumber:
                    schema["type"] = "integer";
                    schema["minimum"] = field.Minimum;
                    schema["maximum"] = field.Maximum;
                    break;
                case ConfigFieldType.Number when field.Off is { } off:
                    // The gap between off and the minimum is in the description and the reader's
                    // check: plain bounds are what every client's validator understands.
                    schema["type"] = "number";
                    schema["minimum"] = off;
                    schema["maximum"] = field.Maximum;
                    schema["description"] = $"{field.Description} Allowed: {field.Allowed}.";
                    break;
                case ConfigFieldType.Number:
                    schema["type"] = "number";
                    schema["minimum"] = field.Minimum;
                    schema["maximum"] = field.Maximum;
                    break;
                case ConfigFieldType.Boolean:
                    schema["type"] = "boolean";
                    break;
                case ConfigFieldType.Choice:
                    schema["type"] = "string";
                    schema["enum"] = new JsonArray([.. field.Values!.Select(v => (JsonNode)v)]);
                    break;
            }

            properties[field.Name] = schema;
        }

        static JsonArray Enum(IEnumerable<string> words) => [.. words.Select(w => (JsonNode)w)];
        var stopConditions = Enum(AgentRoles.StopConditions.SkipLast(1));
        var roleSpec = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Deployed in place of the agent's system prompt; the simulated agent acts on what it specifies.",
            ["properties"] = new JsonObject
            {
                ["agent"] = new JsonObject { ["type"] = "string", ["description"] = "The agent id (under role_specs: its key; optional)." },
                ["role"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(AgentRoles.All) },
                ["capabilities"] = new JsonObject { ["type"] = "array", ["uniqueItems"] = true, ["items"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(AgentRoles.AllCapabilities) } },
                ["constraints"] = new JsonObject { ["type"] = "array", ["uniqueItems"] = true, ["items"] = new JsonObject { ["type"] = "string", ["enum"] = Enum(AgentRoles.Constraints) } },
                ["output_format"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["enum"] = new JsonArray([.. AgentRoles.Formats.Select(f => (JsonNode)f), null]) },
                ["stop_condition"] = new JsonObject
                {
                    ["type"] = new JsonArray("string", "null"),
                    ["description"] = $"items_complete, approved, verified, or max_turns:N (N from 1 to {MaxTurnsLimit}).",
                    ["anyOf"] = new JsonArray(
                        new JsonObject { ["enum"] = stopConditions },
                        new JsonObject { ["type"] = "string", ["pattern"] = "^max_turns:([1-9][0-9]?|1[0-9][0-9]|200)$" },
                        new JsonObject { ["type"] = "null" }),
                },
            },
            ["required"] = new JsonArray("role"),
            ["additionalProperties"] = false,
        };
        properties[RoleSpecs] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Role specifications by agent id.",
            ["additionalProperties"] = roleSpec,
        };
        properties[SpecFix] = new JsonObject
        {
            ["type"] = new JsonArray("string", "null"),
            ["description"] = "The seed's shape: one role specification as a JSON string that names its agent; deployed only when explicit_role_spec is true.",
        };
        properties[ExplicitRoleSpec] = new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "The seed's shape: deploy spec_fix." };
        properties[Diagnosis] = new JsonObject
        {
            ["description"] = "The seed's shape: the diagnosis travels with the config ({failure_mode, component, explanation}, up to 3 of them, or \"<code>\" / \"<code> <agent-id>\").",
        };
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "ResilienceConfig",
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }
}

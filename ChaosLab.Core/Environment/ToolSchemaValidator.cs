using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChaosLab.Core.Environment;

/// <summary>
/// One tool's argument schema, compiled once by JsonSchema.Net. A call is evaluated with the
/// cheap flag output first; only a refused call is evaluated again with the list output, whose
/// failing keywords become messages in the agent's terms: "arguments.name: what is wrong".
/// </summary>
public sealed class ToolSchemaValidator
{
    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions List = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;
    private readonly JsonObject _properties;
    private readonly IReadOnlyList<string> _required;
    private readonly bool _closed;

    /// <param name="inputSchema">The arguments object's schema: <c>properties</c>, <c>required</c>, <c>additionalProperties</c>.</param>
    public ToolSchemaValidator(JsonObject inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);

        // A registry of its own: the process-wide one refuses a second schema with the same $id.
        _schema = JsonSchema.FromText(inputSchema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        _properties = inputSchema["properties"]?.DeepClone().AsObject() ?? [];
        _required = inputSchema["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [];
        _closed = inputSchema["additionalProperties"] is JsonValue open && open.GetValueKind() == JsonValueKind.False;
    }

    /// <summary>Every problem with <paramref name="arguments"/> (absent counts as no arguments at all), or none.</summary>
    public IReadOnlyList<string> Validate(JsonElement? arguments)
    {
        if (arguments is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } args)
        {
            return [.. _required.Select(Required)];
        }

        if (args.ValueKind != JsonValueKind.Object)
        {
            return ["arguments: must be an object"];
        }

        if (_schema.Evaluate(args, Flag).IsValid)
        {
            return [];
        }

        // Failing keywords by instance location ("" is the arguments object, "/name" an argument).
        var failed = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        var results = _schema.Evaluate(args, List);
        foreach (var node in results.Details ?? [results])
        {
            if (node.Errors is { Count: > 0 } errors)
            {
                var location = node.InstanceLocation.ToString();
                if (!failed.TryGetValue(location, out var list))
                {
                    failed[location] = list = [];
                }

                list.AddRange(errors);
            }
        }

        // In the order the agent wrote them, then what is missing in the schema's order.
        var problems = new List<string>();
        foreach (var property in args.EnumerateObject())
        {
            var keywords = failed.GetValueOrDefault(Pointer(property.Name));
            if (_properties[property.Name] is not JsonObject schema)
            {
                if (_closed)
                {
                    problems.Add($"arguments.{property.Name}: unknown argument " + (_properties.Count == 0 ? "(the tool takes none)" : $"(valid: {string.Join(", ", _properties.Select(p => p.Key))})"));
                }

                continue;
            }

            if (keywords is not null)
            {
                problems.AddRange(Describe(property.Name, property.Value, schema, keywords));
            }
        }

        if (failed.GetValueOrDefault("") is { } root && root.Exists(k => k.Key == "required"))
        {
            problems.AddRange(_required.Where(name => !args.TryGetProperty(name, out _)).Select(Required));
        }

        // Inside an argument (an object's field, an array's item), in the validator's own words.
        foreach (var (location, keywords) in failed.Where(f => f.Key.Count(c => c == '/') > 1).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            problems.AddRange(keywords.Select(k => $"arguments{DottedPath(location)}: {k.Value}"));
        }

        // The flag said invalid: a call is never let through because no message could be made.
        if (problems.Count == 0)
        {
            problems.Add("arguments: do not match the tool's schema");
        }

        return problems;
    }

    /// <summary>"/config/role_specs/0/name" as ".config.role_specs[0].name".</summary>
    private static string DottedPath(string pointer) => string.Concat(pointer.Split('/').Skip(1)
        .Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
        .Select(t => int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) ? $"[{t}]" : "." + t));

    private static IEnumerable<string> Describe(string name, JsonElement value, JsonObject schema, List<KeyValuePair<string, string>> keywords)
    {
        // A value of the wrong type breaks every other rule too; the type is the one to fix.
        if (keywords.Exists(k => k.Key == "type"))
        {
            yield return $"arguments.{name}: expected {string.Join(" or ", TypeNames(schema["type"]))}, got {KindName(value.ValueKind)}";
            yield break;
        }

        foreach (var (keyword, message) in keywords)
        {
            yield return $"arguments.{name}: " + keyword switch
            {
                "maxLength" => $"longer than {Number(schema[keyword])} characters",
                "enum" => $"must be one of {string.Join(", ", schema[keyword]!.AsArray().Select(v => v!.ToString()))}",
                "minimum" => $"must be at least {Number(schema[keyword])}",
                "maximum" => $"must be at most {Number(schema[keyword])}",
                _ => message,
            };
        }
    }

    private static string Required(string name) => $"arguments.{name}: required";

    // JSON Pointer escaping (RFC 6901), as JsonSchema.Net writes instance locations.
    private static string Pointer(string name) => "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Number(JsonNode? node) => node!.ToJsonString();

    private static IEnumerable<string> TypeNames(JsonNode? type) =>
        type is JsonArray types ? types.Select(t => t!.GetValue<string>()) : [type!.GetValue<string>()];

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

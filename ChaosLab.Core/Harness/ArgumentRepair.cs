using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// h2's repairs of a call's arguments: reading them when they are not a plain JSON object
/// (a string holding the object, a code fence around it, trailing commas, single quotes), and fitting them to the tool's
/// schema (keys off by case or separators, scalars written in the wrong JSON type, an enum value
/// off by case). It never invents a value: every repair re-reads something the model wrote.
/// </summary>
public static class ArgumentRepair
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = StrictJson.MaxDepth };

    /// <summary>The arguments object <paramref name="text"/> holds, with the repair it took; <see cref="ReadArguments.Problem"/> when it holds none.</summary>
    public static ReadArguments Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "null")
        {
            return new ReadArguments([], null, null);
        }

        if (StrictJson.TryParseNode(text, out var node, out _))
        {
            return node switch
            {
                JsonObject obj => new ReadArguments(obj, null, null),
                JsonValue value when value.GetValueKind() == JsonValueKind.String && ParseObject(value.GetValue<string>()) is { } inner =>
                    new ReadArguments(inner, "arguments double-encoded as a JSON string", null),
                _ => new ReadArguments(null, null, $"the arguments must be a JSON object, got {Describe(node)}"),
            };
        }

        if (Unfenced(text) is { } unfenced && ParseObject(unfenced) is { } fenced)
        {
            return new ReadArguments(fenced, "arguments wrapped in a code fence", null);
        }

        if (ParseLenient(text) is { } withCommas)
        {
            return new ReadArguments(withCommas, "arguments with trailing commas or comments", null);
        }

        // Only when the text has no double quote at all, so no quote inside a value is touched.
        if (!text.Contains('"', StringComparison.Ordinal) && ParseLenient(text.Replace('\'', '"')) is { } singleQuoted)
        {
            return new ReadArguments(singleQuoted, "arguments written with single quotes", null);
        }

        return new ReadArguments(null, null, "the arguments are not valid JSON");
    }

    /// <summary>A JSON object in <paramref name="text"/>, strictly parsed, or null.</summary>
    public static JsonObject? ParseObject(string text) =>
        StrictJson.TryParseNode(text, out var node, out _) ? node as JsonObject : null;

    /// <summary>
    /// Fits <paramref name="arguments"/> to <paramref name="inputSchema"/> in place and says what
    /// changed, each as (trigger, change).
    /// </summary>
    public static IReadOnlyList<(string Trigger, string Change)> Fit(JsonObject arguments, JsonObject inputSchema)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var repairs = new List<(string, string)>();
        if (inputSchema["properties"] is not JsonObject properties || properties.Count == 0)
        {
            return repairs;
        }

        var byNormalized = properties.GroupBy(p => ToolNameResolver.Normalize(p.Key), StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Key, StringComparer.Ordinal);
        foreach (var key in arguments.Select(a => a.Key).ToList())
        {
            if (properties.ContainsKey(key) || !byNormalized.TryGetValue(ToolNameResolver.Normalize(key), out var name) || arguments.ContainsKey(name))
            {
                continue;
            }

            var value = arguments[key];
            arguments.Remove(key);
            arguments[name] = value;
            repairs.Add(("argument name off by case or separators", $"{key} -> {name}"));
        }

        foreach (var (name, schema) in properties)
        {
            if (schema is JsonObject propertySchema && arguments[name] is { } value && Coerce(value, propertySchema) is { } coerced)
            {
                arguments[name] = coerced.Value;
                repairs.Add((coerced.Trigger, $"{name}: {Short(value)} -> {Short(coerced.Value)}"));
            }
        }

        return repairs;
    }

    private static (JsonNode Value, string Trigger)? Coerce(JsonNode value, JsonObject schema)
    {
        var types = Types(schema);
        var kind = value.GetValueKind();
        if (types.Count == 0 || Accepts(types, value))
        {
            return EnumCase(value, schema);
        }

        if (kind == JsonValueKind.Number && types.Contains("string"))
        {
            return (JsonValue.Create(value.ToJsonString()), "number given where text is expected");
        }

        if (kind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetValue<string>().Trim();
        if (types.Contains("integer") && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return (JsonValue.Create(integer), "number written as text");
        }

        if (types.Contains("number") && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return (JsonValue.Create(number), "number written as text");
        }

        if (types.Contains("boolean") && bool.TryParse(text, out var flag))
        {
            return (JsonValue.Create(flag), "true/false written as text");
        }

        if ((types.Contains("object") || types.Contains("array")) && StrictJson.TryParseNode(text, out var inner, out _) && inner is not null && Accepts(types, inner))
        {
            return (inner, "argument holds JSON as text");
        }

        return null;
    }

    /// <summary>"get" for an enum of GET, POST: the one value it matches ignoring case.</summary>
    private static (JsonNode Value, string Trigger)? EnumCase(JsonNode value, JsonObject schema)
    {
        if (schema["enum"] is not JsonArray values || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetValue<string>();
        var options = values.Where(v => v?.GetValueKind() == JsonValueKind.String).Select(v => v!.GetValue<string>()).ToList();
        if (options.Contains(text, StringComparer.Ordinal))
        {
            return null;
        }

        var matches = options.Where(o => string.Equals(o, text.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? (JsonValue.Create(matches[0]), "enum value off by case") : null;
    }

    private static List<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray array => [.. array.Where(t => t?.GetValueKind() == JsonValueKind.String).Select(t => t!.GetValue<string>())],
        JsonValue single when single.GetValueKind() == JsonValueKind.String => [single.GetValue<string>()],
        _ => [],
    };

    private static bool Accepts(List<string> types, JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => types.Contains("string"),
        JsonValueKind.Number => types.Contains("number") || (types.Contains("integer") && value.AsValue().TryGetValue<long>(out _)),
        JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
        JsonValueKind.Object => types.Contains("object"),
        JsonValueKind.Array => types.Contains("array"),
        _ => types.Contains("null"),
    };

    /// <summary>The text inside a ```json ... ``` fence that is the whole of <paramref name="text"/>, or null.</summary>
    private static string? Unfenced(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return null;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return firstLineEnd < 0 || firstLineEnd > trimmed.Length - 3 ? null : trimmed[(firstLineEnd + 1)..^3];
    }

    private static JsonObject? ParseLenient(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Lenient);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // Written back out clean, then read by the strict parser like every other input.
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.RootElement.WriteTo(writer);
            }

            return ParseObject(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant();

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 40 ? text : text[..37] + "...";
    }
}

/// <param name="Arguments">The object read, or null when there is none (see <paramref name="Problem"/>).</param>
/// <param name="Repair">How it had to be read (a short trigger), or null when it was a plain object.</param>
/// <param name="Problem">Why no object could be read, for the message to the model.</param>
public sealed record ReadArguments(JsonObject? Arguments, string? Repair, string? Problem);

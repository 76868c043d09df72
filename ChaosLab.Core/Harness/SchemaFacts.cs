using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Harness;

/// <summary>
/// A tool's argument format in words, read from its JSON Schema: each argument's type, whether
/// it is required, its enum, range, length limit and default. Shared by h3's contract and h2's
/// block messages, so the model is told the same thing both ways.
/// </summary>
public static class SchemaFacts
{
    /// <summary>"query (string, required, at most 300 characters); method (string, one of GET, POST)", or "none".</summary>
    public static string Describe(JsonObject inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (inputSchema["properties"] is not JsonObject properties || properties.Count == 0)
        {
            return "none";
        }

        var required = Required(inputSchema);
        return string.Join("; ", properties.Select(p => Argument(p.Key, p.Value as JsonObject ?? [], required.Contains(p.Key))));
    }

    /// <summary>The names of the required arguments, in the schema's order.</summary>
    public static IReadOnlyList<string> Required(JsonObject inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return inputSchema["required"] is JsonArray names
            ? [.. names.Where(n => n?.GetValueKind() == JsonValueKind.String).Select(n => n!.GetValue<string>())]
            : [];
    }

    private static string Argument(string name, JsonObject schema, bool required)
    {
        var facts = new List<string> { TypeOf(schema), required ? "required" : "optional" };
        if (schema["enum"] is JsonArray values)
        {
            facts.Add("one of " + string.Join(", ", values.Select(v => v?.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v?.ToJsonString() ?? "null")));
        }

        if (schema["minimum"] is { } min && schema["maximum"] is { } max)
        {
            facts.Add($"from {min.ToJsonString()} to {max.ToJsonString()}");
        }
        else if (schema["minimum"] is { } lower)
        {
            facts.Add($"at least {lower.ToJsonString()}");
        }
        else if (schema["maximum"] is { } upper)
        {
            facts.Add($"at most {upper.ToJsonString()}");
        }

        if (schema["minLength"] is { } minLength && minLength.ToJsonString() != "0")
        {
            facts.Add($"at least {minLength.ToJsonString()} character(s)");
        }

        if (schema["maxLength"] is { } maxLength)
        {
            facts.Add($"at most {maxLength.ToJsonString()} characters");
        }

        if (schema["default"] is { } defaultValue)
        {
            facts.Add($"default {defaultValue.ToJsonString()}");
        }

        return $"{name} ({string.Join(", ", facts)})";
    }

    private static string TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => string.Join(" or ", types.Select(t => t?.ToString())),
        JsonValue type => type.ToString(),
        _ => "any JSON value",
    };
}

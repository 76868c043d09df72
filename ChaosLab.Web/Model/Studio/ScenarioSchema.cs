using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// What the editor reads out of a suite's JSON Schema for a document location: the values a field
/// may take (its <c>enum</c>) and whether it must be present, so dropdowns follow the suite.
/// </summary>
public sealed class ScenarioSchema(JsonObject? schema)
{
    /// <summary>The allowed strings at a document path (array indices and map keys included), in the schema's order; empty when free.</summary>
    public IReadOnlyList<string> Choices(string path) =>
        Find(path)?["enum"] is JsonArray values
            ? [.. values.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()]
            : [];

    /// <summary>Whether the value at <paramref name="path"/> may be null (a nullable type, or null among its allowed values).</summary>
    public bool AllowsNull(string path)
    {
        var node = Find(path);
        return node?["enum"] is JsonArray values && values.Any(v => v is null)
            || node?["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
    }

    /// <summary>Whether the property at <paramref name="path"/> is required by its object (false when the schema does not know it).</summary>
    public bool IsRequired(string path)
    {
        var segments = JsonPointer.Segments(path);
        if (segments.Count == 0)
        {
            return true;
        }

        var parent = Walk(segments.Take(segments.Count - 1));
        return parent?["required"] is JsonArray required && required.Any(r => r?.GetValue<string>() == segments[^1]);
    }

    private JsonObject? Find(string path) => Walk(JsonPointer.Segments(path));

    private JsonObject? Walk(IEnumerable<string> segments)
    {
        var node = schema;
        foreach (var segment in segments)
        {
            if (node is null)
            {
                return null;
            }

            node = node["properties"] is JsonObject properties && properties[segment] is JsonObject property ? property
                : node["items"] is JsonObject items && int.TryParse(segment, out _) ? items
                : node["additionalProperties"] as JsonObject;
        }

        return node;
    }
}

using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Studio;

/// <summary>
/// Which parts of a scenario document a suite's JSON Schema describes, so the studio's form
/// shows only the fields the suite really has (the form's layout was drawn for the tools suite)
/// and names the rest, which an author edits in the JSON tab.
/// </summary>
public static class SchemaCoverage
{
    /// <summary>
    /// Whether the schema describes the path (a JSON Pointer) through <c>properties</c> (and <c>items</c>
    /// for array indexes), following local <c>$ref</c>s. Without a schema every path counts as
    /// described, as the form always showed it.
    /// </summary>
    public static bool Describes(JsonObject? schema, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (schema is null)
        {
            return true;
        }

        var node = Resolve(schema, schema);
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            var next = node?["properties"]?[name] as JsonObject
                ?? (int.TryParse(name, out _) ? node?["items"] as JsonObject : null);
            if (next is null)
            {
                return false;
            }

            node = Resolve(schema, next);
        }

        return true;
    }

    /// <summary>The schema's top-level properties the form has no field for, in the schema's order.</summary>
    public static IReadOnlyList<string> LeftToJson(JsonObject? schema, IEnumerable<string> formPointers)
    {
        ArgumentNullException.ThrowIfNull(formPointers);
        if (Resolve(schema, schema)?["properties"] is not JsonObject properties)
        {
            return [];
        }

        var covered = formPointers.Select(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()).ToHashSet(StringComparer.Ordinal);

        // The document's identity is shown above the form and is not edited there.
        covered.UnionWith(["id", "version", "suite"]);
        return [.. properties.Select(p => p.Key).Where(k => !covered.Contains(k))];
    }

    private static JsonObject? Resolve(JsonObject? root, JsonObject? node)
    {
        for (var depth = 0; depth < 16 && node?["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target) && target.StartsWith("#/", StringComparison.Ordinal); depth++)
        {
            JsonNode? found = root;
            foreach (var segment in target[2..].Split('/'))
            {
                found = found?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            node = found as JsonObject;
        }

        return node;
    }
}

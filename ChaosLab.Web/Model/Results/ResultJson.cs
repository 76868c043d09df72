using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Results;

/// <summary>
/// Lenient reads of a step result's JSON: the result is whatever a suite (or a fault) produced,
/// so every read returns null for a missing or mistyped value instead of throwing.
/// </summary>
internal static class ResultJson
{
    /// <summary>How deep <see cref="FindAll"/> looks: a convention's object sits at the top of a result or a few levels in.</summary>
    public const int MaxDepth = 4;

    /// <summary>The result as a JSON object, or null when it is not one (plain text, cut off by a fault).</summary>
    public static JsonObject? ParseObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.AsSpan().TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The values of every property named <paramref name="name"/>, breadth first (the top level
    /// first), down to <see cref="MaxDepth"/> levels, not looking inside a match.
    /// </summary>
    public static IReadOnlyList<JsonNode> FindAll(JsonNode? root, string name) => FindAll(root, (key, _) => key == name);

    /// <summary>The property values <paramref name="match"/> accepts (given the property's name and value), searched as above.</summary>
    public static IReadOnlyList<JsonNode> FindAll(JsonNode? root, Func<string, JsonNode, bool> match)
    {
        var found = new List<JsonNode>();
        var level = new List<JsonNode>();
        if (root is not null)
        {
            level.Add(root);
        }

        for (var depth = 0; depth <= MaxDepth && level.Count > 0; depth++)
        {
            var next = new List<JsonNode>();
            foreach (var node in level)
            {
                if (node is JsonObject obj)
                {
                    foreach (var (key, value) in obj)
                    {
                        if (value is null)
                        {
                            continue;
                        }

                        if (match(key, value))
                        {
                            found.Add(value);
                        }
                        else
                        {
                            next.Add(value);
                        }
                    }
                }
                else if (node is JsonArray array)
                {
                    next.AddRange(array.OfType<JsonNode>());
                }
            }

            level = next;
        }

        return found;
    }

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A number that fits an int (a whole double too, e.g. 1200.0), else null.</summary>
    public static int? Int(JsonNode? node) =>
        Number(node) is { } number && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue ? (int)number : null;

    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && double.IsFinite(number)
            ? number
            : null;

    public static bool? Bool(JsonNode? node) => node is JsonValue value ? value.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    } : null;

    /// <summary>A value as a person reads it: strings bare, everything else as compact JSON.</summary>
    public static string Text(JsonNode? node) => String(node) ?? node?.ToJsonString() ?? "null";
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Studio;

/// <summary>Reading and writing a JSON document at a path, the way the form edits it.</summary>
public static class ScenarioDocumentEdits
{
    /// <summary>The node at <paramref name="path"/>, or null when the document has none there.</summary>
    public static JsonNode? Find(JsonNode? document, string path)
    {
        var node = document;
        foreach (var segment in JsonPointer.Segments(path))
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>The string at <paramref name="path"/>, or null when there is none (or it is not a string).</summary>
    public static string? ReadString(JsonNode? document, string path) =>
        Find(document, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>
    /// Puts <paramref name="value"/> at <paramref name="path"/>, creating the objects on the way;
    /// a null value removes the property (array items are set, never removed, so rows keep their place).
    /// </summary>
    public static void Set(JsonObject document, string path, JsonNode? value)
    {
        var segments = JsonPointer.Segments(path);
        if (segments.Count == 0)
        {
            throw new ArgumentException("The whole document is not a field.", nameof(path));
        }

        JsonNode parent = document;
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            var next = Child(parent, segment);
            if (next is null)
            {
                if (value is null || parent is not JsonObject parentObject)
                {
                    return;
                }

                next = parentObject[segment] = new JsonObject();
            }

            parent = next;
        }

        var last = segments[^1];
        switch (parent)
        {
            case JsonObject o when value is null:
                o.Remove(last);
                break;
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                a[i] = value;
                break;
        }
    }

    private static JsonNode? Child(JsonNode parent, string segment) => parent switch
    {
        JsonObject o => o[segment],
        JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };
}

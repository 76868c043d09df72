using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

/// <summary>
/// Compares an actual reply with the documented one as a shape: every documented key exists with
/// the same JSON kind, literals are equal (numbers by value), placeholders match as
/// <see cref="Placeholders"/> says, objects may document a subset of their keys and arrays their
/// first elements. A client must ignore fields it does not know, so the document may too.
/// </summary>
public static class JsonShape
{
    // Messages quote JSON as the document writes it: "<episode_id>", not "\u003Cepisode_id\u003E".
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <returns>One line per difference, each naming its JSON path; empty when the reply fits.</returns>
    public static IReadOnlyList<string> Compare(JsonNode? documented, JsonNode? actual, Placeholders placeholders)
    {
        var differences = new List<string>();
        Compare(documented, actual, placeholders, "$", differences);
        return differences;
    }

    private static void Compare(JsonNode? documented, JsonNode? actual, Placeholders placeholders, string path, List<string> differences)
    {
        if (documented is JsonValue text && text.GetValueKind() == JsonValueKind.String && placeholders.Match(text.GetValue<string>(), actual) is { } matched)
        {
            if (!matched)
            {
                differences.Add($"{path}: {documented.ToJsonString(Readable)} was bound to another value, got {Show(actual)}");
            }

            return;
        }

        var kind = Kind(documented);
        if (kind != Kind(actual))
        {
            differences.Add($"{path}: documented a {Name(kind)}, got {Show(actual)}");
            return;
        }

        switch (documented)
        {
            case JsonObject expectedObject:
                var actualObject = actual!.AsObject();
                foreach (var (key, value) in expectedObject)
                {
                    if (actualObject.TryGetPropertyValue(key, out var actualValue))
                    {
                        Compare(value, actualValue, placeholders, $"{path}.{key}", differences);
                    }
                    else
                    {
                        differences.Add($"{path}: documented key '{key}' is missing");
                    }
                }

                break;
            case JsonArray expectedArray:
                var actualArray = actual!.AsArray();
                if (actualArray.Count < expectedArray.Count)
                {
                    differences.Add($"{path}: documented {expectedArray.Count} elements, got {actualArray.Count}");
                    return;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Compare(expectedArray[i], actualArray[i], placeholders, $"{path}[{i}]", differences);
                }

                break;
            case JsonValue when kind == JsonValueKind.Number:
                if (documented.GetValue<decimal>() != actual!.GetValue<decimal>())
                {
                    differences.Add($"{path}: documented {documented.ToJsonString(Readable)}, got {Show(actual)}");
                }

                break;
            case JsonValue when !JsonNode.DeepEquals(documented, actual):
                differences.Add($"{path}: documented {documented.ToJsonString(Readable)}, got {Show(actual)}");
                break;
        }
    }

    // true and false are one kind, so a flipped flag reads as a wrong literal.
    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.False => JsonValueKind.True,
        var kind => kind.Value,
    };

    private static string Name(JsonValueKind kind) => kind == JsonValueKind.True ? "boolean" : kind.ToString().ToLowerInvariant();

    private static string Show(JsonNode? node)
    {
        var json = node?.ToJsonString(Readable) ?? "null";
        return json.Length > 200 ? json[..200] + "…" : json;
    }
}

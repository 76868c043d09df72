using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Studio;

/// <summary>Converts between a field's JSON value and what its input shows and takes.</summary>
public static class FormValue
{
    /// <summary>Text of a string, or of any other value as JSON (so a wrong type stays visible, not blanked).</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>A list shown comma-separated (items that are not strings as JSON).</summary>
    public static string ListText(JsonNode? node) =>
        node is JsonArray items ? string.Join(", ", items.Select(Text)) : Text(node);

    /// <summary>
    /// A comma-separated list as JSON: null when empty; whole numbers for an integer list, where a
    /// token that is not one is kept as a string so the schema names it rather than it vanishing.
    /// </summary>
    public static JsonArray? ParseList(string? text, FieldKind kind)
    {
        var tokens = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return null;
        }

        return [.. tokens.Select(t => kind == FieldKind.WholeNumberList && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? JsonValue.Create(n)
            : (JsonNode)JsonValue.Create(t))];
    }

    // Read from the JSON text: a value the form created holds an int or a double, one parsed holds
    // an element, and TryGetValue only converts between some of them.
    public static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static long? WholeNumber(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static bool Boolean(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}

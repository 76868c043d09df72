using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Web.Model;

/// <summary>How a tool parameter is edited, chosen from its JSON Schema.</summary>
public enum ToolFieldKind
{
    Text,
    TextArea,
    Number,
    WholeNumber,
    Boolean,
    Choice,

    /// <summary>Free text that is sent as a number when it reads as one (schema type number|string).</summary>
    NumberOrText,

    /// <summary>A JSON textarea for objects and arrays, validated before anything is sent.</summary>
    Json,
}

/// <summary>One parameter of a tool as a form field: the schema facts and the value being typed.</summary>
public sealed class ToolFormField
{
    /// <summary>Strings longer than this get a textarea.</summary>
    public const int TextAreaThreshold = 500;

    public required string Name { get; init; }

    public required ToolFieldKind Kind { get; init; }

    public bool Required { get; init; }

    public string? Description { get; init; }

    /// <summary>The JSON types the schema allows, e.g. <c>["string", "object"]</c>.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    public IReadOnlyList<string> Choices { get; init; } = [];

    public int? MaxLength { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>What the user typed (every kind but <see cref="ToolFieldKind.Boolean"/>).</summary>
    public string Value { get; set; } = "";

    public bool Checked { get; set; }

    /// <summary>Why the value cannot be sent; set by <see cref="ToolForm.TryBuildArguments"/>.</summary>
    public string? Error { get; set; }

    public bool AllowsText => Types.Contains("string");

    /// <summary>A hint under the field: the description plus what the field accepts.</summary>
    public string Help
    {
        get
        {
            var parts = new List<string>();
            if (!string.IsNullOrWhiteSpace(Description))
            {
                parts.Add(Description);
            }

            if (Kind == ToolFieldKind.Json)
            {
                // Text is sent as text, but text that opens like JSON must be JSON: the form does not
                // guess what a broken object meant (json_query reads its text as JSON, data_transform as numbers).
                var json = string.Join(" or ", Types.Where(t => t is "object" or "array").Select(t => "a JSON " + t));
                parts.Add(AllowsText ? $"{json}, or text (text starting with {{ or [ must be valid JSON)" : json);
            }
            else if (Kind == ToolFieldKind.NumberOrText)
            {
                parts.Add("a number, or text holding one");
            }

            if (Minimum is not null || Maximum is not null)
            {
                parts.Add($"{(Minimum is { } min ? min.ToString(CultureInfo.InvariantCulture) : "…")} to {(Maximum is { } max ? max.ToString(CultureInfo.InvariantCulture) : "…")}");
            }

            return string.Join("; ", parts);
        }
    }
}

/// <summary>A form generated from a tool's JSON-Schema <c>InputSchema</c>, and the arguments object it builds.</summary>
public sealed class ToolForm
{
    private ToolForm(IReadOnlyList<ToolFormField> fields) => Fields = fields;

    public IReadOnlyList<ToolFormField> Fields { get; }

    public static ToolForm FromSchema(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var required = schema["required"] is JsonArray names
            ? names.Select(n => n?.ToString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var fields = new List<ToolFormField>();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, node) in properties)
            {
                if (node is JsonObject property)
                {
                    fields.Add(Field(name, property, required.Contains(name)));
                }
            }
        }

        // Required fields first, in schema order: what must be filled is at the top.
        return new ToolForm([.. fields.OrderBy(f => f.Required ? 0 : 1)]);
    }

    /// <summary>
    /// Converts every field to its JSON value. Empty optional fields are left out. On any error the
    /// fields carry their messages and nothing should be sent.
    /// </summary>
    public bool TryBuildArguments(out JsonObject arguments)
    {
        arguments = [];
        var ok = true;
        foreach (var field in Fields)
        {
            field.Error = null;
            if (field.Kind == ToolFieldKind.Boolean)
            {
                if (field.Required || field.Checked)
                {
                    arguments[field.Name] = field.Checked;
                }

                continue;
            }

            var text = field.Value;
            if (string.IsNullOrWhiteSpace(text))
            {
                if (field.Required)
                {
                    field.Error = "Required.";
                    ok = false;
                }

                continue;
            }

            if (Convert(field, text) is { } value)
            {
                arguments[field.Name] = value;
            }
            else
            {
                ok = false;
            }
        }

        if (!ok)
        {
            arguments = [];
        }

        return ok;
    }

    private static JsonNode? Convert(ToolFormField field, string text)
    {
        var trimmed = text.Trim();
        switch (field.Kind)
        {
            case ToolFieldKind.Number:
                if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    return InRange(field, number) ? JsonValue.Create(number) : null;
                }

                field.Error = "Enter a number, e.g. 0.02.";
                return null;
            case ToolFieldKind.WholeNumber:
                if (long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
                {
                    return InRange(field, integer) ? JsonValue.Create(integer) : null;
                }

                field.Error = "Enter a whole number.";
                return null;
            case ToolFieldKind.NumberOrText:
                return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var asNumber) && double.IsFinite(asNumber)
                    ? JsonValue.Create(asNumber)
                    : JsonValue.Create(text);
            case ToolFieldKind.Choice:
                if (field.Choices.Count > 0 && !field.Choices.Contains(trimmed))
                {
                    field.Error = "Pick one of: " + string.Join(", ", field.Choices) + ".";
                    return null;
                }

                return JsonValue.Create(trimmed);
            case ToolFieldKind.Json:
                return ConvertJson(field, text, trimmed);
            default:
                return JsonValue.Create(text);
        }
    }

    private static JsonNode? ConvertJson(ToolFormField field, string text, string trimmed)
    {
        var looksLikeJson = trimmed.StartsWith('{') || trimmed.StartsWith('[');
        if (!looksLikeJson)
        {
            if (field.AllowsText)
            {
                return JsonValue.Create(text);
            }

            field.Error = "Enter " + ExpectedJson(field) + ".";
            return null;
        }

        if (!StrictJson.TryParseNode(trimmed, out var parsed, out _))
        {
            // The parser's own message ("'n' is an invalid start of a property name. LineNumber: 0 | ...")
            // is for programmers; say what to check instead.
            field.Error = "Not valid JSON: check that names and text are in double quotes, items are separated by commas and every { or [ is closed.";
            return null;
        }

        var kind = parsed switch
        {
            JsonObject => "object",
            JsonArray => "array",
            _ => "value",
        };
        if (!field.Types.Contains(kind))
        {
            field.Error = $"Expected {ExpectedJson(field)}, got a JSON {kind}.";
            return null;
        }

        return parsed;
    }

    private static string ExpectedJson(ToolFormField field) =>
        string.Join(" or ", field.Types.Where(t => t is "object" or "array").Select(t => t == "object" ? "a JSON object {…}" : "a JSON array […]"));

    private static bool InRange(ToolFormField field, double value)
    {
        if ((field.Minimum is { } min && value < min) || (field.Maximum is { } max && value > max))
        {
            field.Error = $"Must be between {field.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "…"} and {field.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "…"}.";
            return false;
        }

        return true;
    }

    private static ToolFormField Field(string name, JsonObject property, bool required)
    {
        var types = property["type"] switch
        {
            JsonArray many => [.. many.Select(t => t?.ToString()).OfType<string>()],
            JsonValue one => new List<string> { one.ToString() },
            _ => ["string"],
        };
        var choices = property["enum"] is JsonArray values ? values.Select(v => v?.ToString()).OfType<string>().ToList() : [];
        var maxLength = Number(property["maxLength"]) is { } ml ? (int)Math.Min(ml, int.MaxValue) : (int?)null;
        var kind = choices.Count > 0 ? ToolFieldKind.Choice
            : types.Contains("object") || types.Contains("array") ? ToolFieldKind.Json
            : types.Contains("boolean") && types.Count == 1 ? ToolFieldKind.Boolean
            : types.Contains("integer") && types.Count == 1 ? ToolFieldKind.WholeNumber
            : types.Contains("number") && types.Count == 1 ? ToolFieldKind.Number
            : (types.Contains("number") || types.Contains("integer")) && types.Contains("string") ? ToolFieldKind.NumberOrText
            : maxLength > ToolFormField.TextAreaThreshold ? ToolFieldKind.TextArea
            : ToolFieldKind.Text;
        return new ToolFormField
        {
            Name = name,
            Kind = kind,
            Required = required,
            Description = property["description"]?.ToString(),
            Types = types,
            Choices = choices,
            MaxLength = maxLength,
            Minimum = Number(property["minimum"]),
            Maximum = Number(property["maximum"]),
            Value = property["default"] is JsonValue d ? d.ToString() : kind == ToolFieldKind.Choice && required && choices.Count > 0 ? choices[0] : "",
            Checked = property["default"] is JsonValue b && b.TryGetValue<bool>(out var on) && on,
        };
    }

    // Through the JSON text: a schema built in code holds ints, longs or doubles alike.
    private static double? Number(JsonNode? node) =>
        node is JsonValue value && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}

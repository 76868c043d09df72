using System.Globalization;
using System.Text.Json;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Checks arguments against a tool's schema: an object, every required parameter present, no
/// unknown ones, the right JSON type, enum membership, numeric bounds and length caps. Returns
/// every problem at once, each as "arguments.name: what is wrong".
/// </summary>
public static class ToolArgumentValidator
{
    public static IReadOnlyList<string> Validate(ToolDefinition tool, JsonElement? arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var problems = new List<string>();
        if (arguments is not { } args || args.ValueKind == JsonValueKind.Null || args.ValueKind == JsonValueKind.Undefined)
        {
            foreach (var p in tool.Parameters.Where(p => p.Required))
            {
                problems.Add($"arguments.{p.Name}: required");
            }

            return problems;
        }

        if (args.ValueKind != JsonValueKind.Object)
        {
            problems.Add("arguments: must be an object");
            return problems;
        }

        foreach (var property in args.EnumerateObject())
        {
            if (!tool.ParametersByName.TryGetValue(property.Name, out var parameter))
            {
                problems.Add($"arguments.{property.Name}: unknown argument (valid: {string.Join(", ", tool.Parameters.Select(p => p.Name))})");
                continue;
            }

            CheckValue(parameter, property.Value, problems);
        }

        foreach (var p in tool.Parameters)
        {
            if (p.Required && !args.TryGetProperty(p.Name, out _))
            {
                problems.Add($"arguments.{p.Name}: required");
            }
        }

        return problems;
    }

    private static void CheckValue(ToolParameter p, JsonElement value, List<string> problems)
    {
        var kind = value.ValueKind;
        var ok = kind switch
        {
            JsonValueKind.String => p.Types.HasFlag(JsonTypes.String),
            JsonValueKind.Number => p.Types.HasFlag(JsonTypes.Number) || (p.Types.HasFlag(JsonTypes.Integer) && value.TryGetInt64(out _)),
            JsonValueKind.True or JsonValueKind.False => p.Types.HasFlag(JsonTypes.Boolean),
            JsonValueKind.Object => p.Types.HasFlag(JsonTypes.Object),
            JsonValueKind.Array => p.Types.HasFlag(JsonTypes.Array),
            _ => false,
        };
        if (!ok)
        {
            problems.Add($"arguments.{p.Name}: expected {string.Join(" or ", ToolDefinition.TypeNames(p.Types))}, got {KindName(kind)}");
            return;
        }

        if (kind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (text.Length > p.MaxLength)
            {
                problems.Add($"arguments.{p.Name}: longer than {p.MaxLength.ToString(CultureInfo.InvariantCulture)} characters");
            }

            if (p.Enum is { } values && !values.Contains(text, StringComparer.Ordinal))
            {
                problems.Add($"arguments.{p.Name}: must be one of {string.Join(", ", values)}");
            }
        }
        else if (kind is JsonValueKind.Object or JsonValueKind.Array && value.GetRawText().Length > p.MaxLength)
        {
            problems.Add($"arguments.{p.Name}: larger than {p.MaxLength.ToString(CultureInfo.InvariantCulture)} characters of JSON");
        }
        else if (kind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (p.Minimum is { } min && number < min)
            {
                problems.Add($"arguments.{p.Name}: must be at least {min.ToString(CultureInfo.InvariantCulture)}");
            }

            if (p.Maximum is { } max && number > max)
            {
                problems.Add($"arguments.{p.Name}: must be at most {max.ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

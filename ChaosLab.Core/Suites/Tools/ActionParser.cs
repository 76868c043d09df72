using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Reads the action envelope. Envelope problems (not an object, missing or unknown type,
/// missing tool_name, non-object arguments, missing answer) are refused with a path; the
/// tool's own arguments are checked later, as a step.
/// </summary>
internal static class ActionParser
{
    public static IReadOnlyList<string> Types { get; } = ["call_tool", "submit_answer", "list_tools"];

    public readonly record struct Parsed(string? Type, string? ToolName, JsonElement? Arguments, JsonNode? Answer, string? Reasoning, ValidationError? Error);

    public static Parsed Parse(JsonElement action)
    {
        if (action.ValueKind != JsonValueKind.Object)
        {
            return Fail("", $"the action must be a JSON object, got {action.ValueKind.ToString().ToLowerInvariant()}");
        }

        if (!action.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return Fail("type", "required: a string, one of " + string.Join(", ", Types), Types);
        }

        var type = typeElement.GetString()!;
        switch (type)
        {
            case "list_tools":
                return new Parsed(type, null, null, null, null, null);
            case "call_tool":
                if (!action.TryGetProperty("tool_name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
                {
                    return Fail("tool_name", "required: the name of the tool to call", [.. ToolRegistry.Definitions.Select(d => d.Name)]);
                }

                if (name.GetString()!.Length > 100)
                {
                    return Fail("tool_name", "longer than 100 characters");
                }

                JsonElement? arguments = null;
                if (action.TryGetProperty("arguments", out var args) && args.ValueKind != JsonValueKind.Null)
                {
                    if (args.ValueKind != JsonValueKind.Object)
                    {
                        return Fail("arguments", $"must be an object, got {args.ValueKind.ToString().ToLowerInvariant()}");
                    }

                    arguments = args;
                }

                return new Parsed(type, name.GetString(), arguments, null, null, null);
            case "submit_answer":
                if (!action.TryGetProperty("answer", out var answer) || answer.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    return Fail("answer", "required: the answer as a string (or an object keyed by what the question asks)");
                }

                if (answer.GetRawText().Length > 10_000)
                {
                    return Fail("answer", "longer than 10,000 characters");
                }

                string? reasoning = null;
                if (action.TryGetProperty("reasoning", out var r) && r.ValueKind != JsonValueKind.Null)
                {
                    if (r.ValueKind != JsonValueKind.String)
                    {
                        return Fail("reasoning", "must be a string");
                    }

                    reasoning = r.GetString();
                }

                return new Parsed(type, null, null, JsonNode.Parse(answer.GetRawText()), reasoning, null);
            default:
                return Fail("type", $"unknown action type '{type}'", Types);
        }
    }

    private static Parsed Fail(string path, string message, IReadOnlyList<string>? valid = null) => new(null, null, null, null, null, new ValidationError(path, message, valid));
}

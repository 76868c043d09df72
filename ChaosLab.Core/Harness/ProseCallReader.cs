using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Harness;

/// <summary>
/// h2's rescue of a tool call the model wrote in its text instead of calling the tool: a JSON
/// envelope in prose or in a ```json fence (<c>{"tool_name":..,"arguments":..}</c>,
/// <c>{"name":..,"parameters":..}</c>, <c>{"tool":..,"input":..}</c>, <c>{"action":..,"action_input":..}</c>,
/// OpenAI's <c>{"function":{"name":..,"arguments":".."}}</c>, the wire's own actions) or a call
/// written as <c>tool_name({...})</c>. It only reads; which candidate names a real tool is the
/// realizer's business.
/// </summary>
public static partial class ProseCallReader
{
    /// <summary>Text beyond this is not searched: a call is written near the start of a reply, and scanning is quadratic in braces.</summary>
    public const int MaxScannedLength = 20_000;

    private const int MaxObjectsTried = 64;

    // The field names models use for the tool and for its arguments, preferred first.
    private static readonly string[] NameFields = ["tool_name", "name", "tool", "function", "action", "tool_call", "command"];
    private static readonly string[] ArgumentFields = ["arguments", "args", "params", "parameters", "input", "action_input", "tool_input", "kwargs"];
    private static readonly string[] EnvelopeOnlyFields = ["type", "id", "call_id"];

    /// <summary>The calls <paramref name="text"/> seems to hold, in the order they appear.</summary>
    public static IReadOnlyList<RescuedCall> Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (text.Length > MaxScannedLength)
        {
            text = text[..MaxScannedLength];
        }

        var fences = Fences(text);
        var found = new List<(int Position, RescuedCall Call)>();
        foreach (Match match in CallSyntax().Matches(text))
        {
            var open = match.Index + match.Length - 1;
            if (EmbeddedJson.ClosingBrace(text, open) is { } end && FollowedByClose(text, end + 1) && ArgumentRepair.Read(text[open..(end + 1)]).Arguments is { } args)
            {
                found.Add((match.Index, new RescuedCall(match.Groups["name"].Value, args, $"{match.Groups["name"].Value}(...) in the reply text", [])));
            }
        }

        var tried = 0;
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0 && tried < MaxObjectsTried; tried++)
        {
            var end = EmbeddedJson.ClosingBrace(text, start);
            var obj = end is null ? null : ArgumentRepair.Read(text[start..(end.Value + 1)]).Arguments;
            if (obj is not null && Envelope(obj) is { } call)
            {
                var where = fences.Any(f => f.Start <= start && end <= f.End) ? "a ```json fence" : "the reply text";
                found.Add((start, call with { Where = where }));
            }

            // After an object that parsed, skip its inside; otherwise an inner object may be the call.
            var next = obj is not null && end is not null ? end.Value + 1 : start + 1;
            start = next < text.Length ? text.IndexOf('{', next) : -1;
        }

        return [.. found.OrderBy(f => f.Position).Select(f => f.Call)];
    }

    /// <summary>The call an object describes, or null when it names no tool.</summary>
    internal static RescuedCall? Envelope(JsonObject obj)
    {
        // OpenAI's own shapes: {"tool_calls":[{...}]} and {"type":"function","function":{"name":..,"arguments":".."}}.
        if (obj["tool_calls"] is JsonArray { Count: > 0 } calls && calls[0] is JsonObject first)
        {
            return Envelope(first);
        }

        if (obj["function"] is JsonObject function)
        {
            return Envelope(function);
        }

        var renamed = new List<string>();
        string? name = null;
        string? nameField = null;
        if (obj["type"]?.GetValueKind() == JsonValueKind.String && obj["type"]!.GetValue<string>() == Environment.AgentAction.SubmitType)
        {
            name = Environment.AgentAction.SubmitType;
            nameField = "type";
        }
        else
        {
            nameField = NameFields.FirstOrDefault(f => obj[f]?.GetValueKind() == JsonValueKind.String);
            name = nameField is null ? null : obj[nameField]!.GetValue<string>();
        }

        if (string.IsNullOrWhiteSpace(name) || nameField is null)
        {
            return null;
        }

        if (nameField is not ("tool_name" or "type"))
        {
            renamed.Add($"{nameField} -> tool_name");
        }

        JsonObject arguments;
        var argumentField = ArgumentFields.FirstOrDefault(obj.ContainsKey);
        if (argumentField is not null)
        {
            var read = obj[argumentField] switch
            {
                JsonObject inner => inner.DeepClone().AsObject(),
                JsonValue text when text.GetValueKind() == JsonValueKind.String => ArgumentRepair.ParseObject(text.GetValue<string>()),
                null => [],
                _ => null,
            };
            if (read is null)
            {
                return null;
            }

            arguments = read;
            if (argumentField != "arguments")
            {
                renamed.Add($"{argumentField} -> arguments");
            }
        }
        else
        {
            // {"tool": "web_search", "query": "x"}: the other fields are the arguments.
            arguments = [];
            foreach (var (key, value) in obj)
            {
                if (key != nameField && !EnvelopeOnlyFields.Contains(key, StringComparer.Ordinal))
                {
                    arguments[key] = value?.DeepClone();
                }
            }
        }

        return new RescuedCall(name.Trim(), arguments, "", renamed);
    }

    private static bool FollowedByClose(string text, int from)
    {
        var i = from;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i < text.Length && text[i] == ')';
    }

    private static List<(int Start, int End)> Fences(string text) =>
        [.. FenceSyntax().Matches(text).Select(m => (m.Index, m.Index + m.Length))];

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)\s*\(\s*\{", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CallSyntax();

    [GeneratedRegex(@"```[A-Za-z]*\s*\n.*?```", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FenceSyntax();
}

/// <param name="Name">The tool name as written.</param>
/// <param name="Where">Where in the reply it was found, e.g. "a ```json fence".</param>
/// <param name="RenamedFields">Envelope fields read under another name, e.g. "input -> arguments".</param>
public sealed record RescuedCall(string Name, JsonObject Arguments, string Where, IReadOnlyList<string> RenamedFields);

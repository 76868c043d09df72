using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Grading;

/// <summary>A value an answer gave for a slot by name, before typed parsing.</summary>
internal sealed record StructuredValue(string Text, double? Number = null, bool? Boolean = null);

/// <summary>
/// An answer split into structured values by slot (JSON keys, <c>key: value</c> lines) and the
/// free text left over, with questions removed.
/// </summary>
/// <remarks>
/// Structured parts are blanked from the free text so their values are not read twice, and a
/// sentence ending in '?' is blanked because asking is not answering: an echoed question
/// ("Is the claim accurate?") must commit to nothing.
/// </remarks>
internal sealed class PreparedAnswer
{
    private const int MaxJsonAttempts = 32;
    private const int MaxJsonDepth = 4;
    private const int MaxKeyLength = 48;

    private readonly Dictionary<string, List<StructuredValue>> _values = new(StringComparer.Ordinal);
    private WordTokens? _tokens;

    private PreparedAnswer(string freeText) => FreeText = freeText;

    public string FreeText { get; }

    public WordTokens Tokens => _tokens ??= WordTokens.Tokenize(FreeText);

    public static PreparedAnswer Parse(string answer, IReadOnlyList<AnswerSlot> slots)
    {
        var keys = new SlotKeys(slots);
        var values = new Dictionary<string, List<StructuredValue>>(StringComparer.Ordinal);
        var text = new StringBuilder(answer);
        var extraText = new StringBuilder();
        ReadJsonObjects(answer, text, keys, values, extraText);
        ReadKeyValueLines(text, keys, values);
        text.Append('\n').Append(extraText);
        BlankQuestions(text);
        var prepared = new PreparedAnswer(text.ToString());
        foreach (var (slot, list) in values)
        {
            prepared._values[slot] = list;
        }

        return prepared;
    }

    public IReadOnlyList<StructuredValue>? StructuredValues(AnswerSlot slot) =>
        _values.TryGetValue(slot.Name, out var list) ? list : null;

    private static void ReadJsonObjects(
        string answer, StringBuilder text, SlotKeys keys, Dictionary<string, List<StructuredValue>> values, StringBuilder extraText)
    {
        var attempts = 0;
        var i = answer.IndexOf('{', StringComparison.Ordinal);
        while (i >= 0 && attempts < MaxJsonAttempts)
        {
            attempts++;
            if (EmbeddedJson.ClosingBrace(answer, i) is { } end && TryParseObject(answer[i..(end + 1)]) is { } json)
            {
                Collect(json, keys, values, extraText, depth: 0);
                Blank(text, i, end + 1);
                i = answer.IndexOf('{', end + 1);
            }
            else
            {
                i = answer.IndexOf('{', i + 1);
            }
        }
    }

    // Braces that are not JSON ("{n}" in prose), or JSON with duplicate keys, are just text.
    private static JsonObject? TryParseObject(string candidate) =>
        StrictJson.TryParseNode(candidate, out var node, out _) ? node as JsonObject : null;

    private static void Collect(JsonObject json, SlotKeys keys, Dictionary<string, List<StructuredValue>> values, StringBuilder extraText, int depth)
    {
        foreach (var (key, node) in json)
        {
            var slots = keys.Match(key);
            if (slots.Count > 0)
            {
                foreach (var value in ToValues(node))
                {
                    foreach (var slot in slots)
                    {
                        Add(values, slot, value);
                    }
                }
            }
            else if (node is JsonObject inner && depth < MaxJsonDepth)
            {
                Collect(inner, keys, values, extraText, depth + 1);
            }
            else if (node is JsonValue prose && prose.GetValueKind() == JsonValueKind.String)
            {
                // {"answer": "The population is 12.3 million", "reasoning": ...}: prose to read as free text.
                extraText.Append(prose.GetValue<string>()).Append('\n');
            }
        }
    }

    private static IEnumerable<StructuredValue> ToValues(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var value in ToValues(item))
                    {
                        yield return value;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var number = value.GetValue<double>();
                yield return new StructuredValue(ValueFormat.Number(number), Number: number);
                break;
            case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                var boolean = value.GetValue<bool>();
                yield return new StructuredValue(ValueFormat.Boolean(boolean), Boolean: boolean);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                yield return new StructuredValue(value.GetValue<string>());
                break;
            case JsonObject inner:
                yield return new StructuredValue(inner.ToJsonString());
                break;
            default:
                // null: the slot was left open.
                break;
        }
    }

    private static void ReadKeyValueLines(StringBuilder text, SlotKeys keys, Dictionary<string, List<StructuredValue>> values)
    {
        var lineStart = 0;
        var snapshot = text.ToString();
        while (lineStart <= snapshot.Length)
        {
            var lineEnd = snapshot.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = snapshot.Length;
            }

            var line = snapshot.AsSpan(lineStart, lineEnd - lineStart);
            var separator = line.IndexOfAny(':', '=');
            if (separator > 0 && separator <= MaxKeyLength)
            {
                var key = line[..separator].Trim().TrimStart("-*•#>").Trim().Trim("*_`\"'").ToString();
                var value = line[(separator + 1)..].Trim().Trim("*`\"'").TrimEnd(".,;").ToString();
                var slots = keys.Match(key);
                if (slots.Count > 0 && value.Length > 0)
                {
                    foreach (var slot in slots)
                    {
                        Add(values, slot, new StructuredValue(value));
                    }

                    Blank(text, lineStart, lineEnd);
                }
            }

            lineStart = lineEnd + 1;
        }
    }

    private static void BlankQuestions(StringBuilder text)
    {
        var sentenceStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ends = c is '?' or '!' or '\n' || (c == '.' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
            if (!ends)
            {
                continue;
            }

            if (c == '?')
            {
                Blank(text, sentenceStart, i + 1);
            }

            sentenceStart = i + 1;
        }
    }

    private static void Add(Dictionary<string, List<StructuredValue>> values, string slot, StructuredValue value)
    {
        if (!values.TryGetValue(slot, out var list))
        {
            values[slot] = list = [];
        }

        list.Add(value);
    }

    // Blank with spaces, keeping line breaks and offsets, so nothing left joins across the gap.
    private static void Blank(StringBuilder text, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (text[i] != '\n')
            {
                text[i] = ' ';
            }
        }
    }

    /// <summary>Which slots a key names: a slot's name ("real_revenue" = "Real revenue"), else its cues.</summary>
    private sealed class SlotKeys(IReadOnlyList<AnswerSlot> slots)
    {
        private readonly List<(string Slot, string Name, string[] Cues)> _slots =
            [.. slots.Select(s => (s.Name, Normalize(s.Name), (s.Cues ?? []).Select(Normalize).ToArray()))];

        public List<string> Match(string key)
        {
            var normalized = Normalize(key);
            if (normalized.Length == 0)
            {
                return [];
            }

            var byName = _slots.Where(s => s.Name == normalized).Select(s => s.Slot).ToList();
            return byName.Count > 0 ? byName : [.. _slots.Where(s => s.Cues.Contains(normalized)).Select(s => s.Slot)];
        }

        private static string Normalize(string key) => string.Join(' ', WordTokens.Phrase(key.Replace('_', ' ')));
    }
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model;

/// <summary>JSON made readable for people: indented, and tolerant of JSON that a fault cut off.</summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Indented JSON of a node ("null" for null).</summary>
    public static string Pretty(JsonNode? node) => node is null ? "null" : node.ToJsonString(Indented);

    /// <summary>
    /// Indents text that looks like JSON (starts with <c>{</c> or <c>[</c>) by its brackets, without
    /// parsing it, so a truncated or otherwise broken body is laid out like the intact one and the
    /// two diff line by line. Other text is returned as is.
    /// </summary>
    public static string Format(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
        {
            return text;
        }

        var output = new StringBuilder(text.Length * 2);
        var depth = 0;
        var inString = false;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                // The recorder escapes characters like '+' and '<' as \u002B; show them as themselves.
                if (!escaped && c == '\\' && TryReadUnicodeEscape(text, i, out var decoded))
                {
                    output.Append(decoded);
                    i += 5;
                    continue;
                }

                output.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    output.Append(c);
                    break;
                case '{' or '[':
                    output.Append(c);
                    if (NextSignificant(text, i + 1) is '}' or ']')
                    {
                        // An empty object or array stays on one line.
                        var close = text.IndexOfAny(['}', ']'], i + 1);
                        output.Append(text[close]);
                        i = close;
                    }
                    else
                    {
                        depth++;
                        NewLine(output, depth);
                    }

                    break;
                case '}' or ']':
                    depth = Math.Max(0, depth - 1);
                    NewLine(output, depth);
                    output.Append(c);
                    break;
                case ',':
                    output.Append(c);
                    NewLine(output, depth);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static bool TryReadUnicodeEscape(string text, int at, out char decoded)
    {
        decoded = default;
        if (at + 5 >= text.Length || text[at + 1] != 'u'
            || !ushort.TryParse(text.AsSpan(at + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            return false;
        }

        decoded = (char)code;
        return decoded >= ' ' && decoded is not ('"' or '\\') && !char.IsSurrogate(decoded) && !char.IsControl(decoded);
    }

    private static char? NextSignificant(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return text[i];
            }
        }

        return null;
    }

    private static void NewLine(StringBuilder output, int depth) => output.Append('\n').Append(' ', depth * 2);
}

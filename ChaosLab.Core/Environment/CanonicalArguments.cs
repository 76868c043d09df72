using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Environment;

/// <summary>How a string argument is normalised before two calls are compared.</summary>
public enum TextForm
{
    /// <summary>Trimmed, runs of whitespace collapsed to one space.</summary>
    Collapsed,

    /// <summary>As <see cref="Collapsed"/>, and lower-cased (names and search terms).</summary>
    CaseInsensitive,

    /// <summary>SQL: see <see cref="SqlNormalizer"/>.</summary>
    Sql,

    /// <summary>Byte for byte (code, where whitespace can matter).</summary>
    Exact,
}

/// <summary>
/// "The same call", decided on canonical arguments: JSON key order and formatting never matter
/// (<see cref="CanonicalJson"/>), and string arguments are normalised per field. Used by the
/// repeat tracker and as input to fault decisions, so whitespace never changes either.
/// </summary>
public static class CanonicalArguments
{
    public static string Canonicalize(JsonNode? arguments, Func<string, TextForm>? formOf = null)
    {
        if (arguments is not JsonObject obj)
        {
            return CanonicalJson.Serialize(arguments);
        }

        var normalized = new JsonObject();
        foreach (var (name, value) in obj)
        {
            var form = formOf?.Invoke(name) ?? TextForm.Collapsed;
            normalized[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? Normalize(v.GetValue<string>(), form)
                : Normalize(value?.DeepClone());
        }

        return CanonicalJson.Serialize(normalized);
    }

    public static string Normalize(string text, TextForm form)
    {
        ArgumentNullException.ThrowIfNull(text);
        return form switch
        {
            TextForm.Exact => text,
            TextForm.Sql => SqlNormalizer.Normalize(text),
            TextForm.CaseInsensitive => Collapse(text).ToLowerInvariant(),
            _ => Collapse(text),
        };
    }

    /// <summary>Nested strings (inside objects and arrays) are collapsed too.</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    o[key] = Normalize(o[key]?.DeepClone());
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Normalize(a[i]?.DeepClone());
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return Collapse(v.GetValue<string>());
            default:
                return node;
        }
    }

    public static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(ch))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(ch);
        }

        return builder.ToString();
    }
}

/// <summary>
/// One spelling per SQL statement: comments dropped, keywords and identifiers lower-cased
/// (SQLite treats them case-insensitively), whitespace collapsed, no space around punctuation,
/// trailing semicolons removed. String literals and quoted identifiers are kept exactly.
/// </summary>
public static class SqlNormalizer
{
    public static string Normalize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var output = new StringBuilder(sql.Length);
        var previousWasWord = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }

            if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var start = i++;
                while (i < sql.Length)
                {
                    if (sql[i] == close)
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == close && close != ']')
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                if (previousWasWord)
                {
                    output.Append(' ');
                }

                output.Append(sql, start, i - start);
                previousWasWord = true;
                continue;
            }

            if (char.IsLetterOrDigit(c) || c is '_' or '.' or '$' or '@' or ':')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '.' or '$' or '@' or ':'))
                {
                    i++;
                }

                if (previousWasWord)
                {
                    output.Append(' ');
                }

                output.Append(sql.AsSpan(start, i - start).ToString().ToLowerInvariant());
                previousWasWord = true;
                continue;
            }

            output.Append(c);
            previousWasWord = false;
            i++;
        }

        var text = output.ToString();
        return text.TrimEnd(';');
    }
}

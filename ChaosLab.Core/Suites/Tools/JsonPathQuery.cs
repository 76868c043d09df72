using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A small JSONPath subset: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[index]</c> (negative from the end),
/// <c>[*]</c> and <c>.*</c>, and a trailing <c>.length()</c>. A leading <c>$</c> is optional.
/// Work is bounded: at most <see cref="MaxSteps"/> steps, and no step may select more than
/// <see cref="MaxResults"/> values (each step is linear in the values it selects).
/// </summary>
public static class JsonPathQuery
{
    public const int MaxSteps = 32;
    public const int MaxResults = 1_000;

    private static readonly string TooManyResults = $"the query selects more than {MaxResults.ToString(CultureInfo.InvariantCulture)} values; narrow it with an index or a name";

    public static (JsonNode? Result, string? Error) Evaluate(JsonNode? data, string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Trim();
        if (q.StartsWith('$'))
        {
            q = q[1..];
        }

        var length = false;
        if (q.EndsWith(".length()", StringComparison.Ordinal))
        {
            length = true;
            q = q[..^".length()".Length];
        }

        List<JsonNode?> current = [data];
        var wildcard = false;
        var i = 0;
        var steps = 0;
        while (i < q.Length)
        {
            if (current.Count > MaxResults)
            {
                return (null, TooManyResults);
            }

            if (++steps > MaxSteps)
            {
                return (null, $"the query has more than {MaxSteps} steps");
            }

            if (q[i] == '.')
            {
                i++;
                if (i < q.Length && q[i] == '*')
                {
                    i++;
                    current = Children(current);
                    wildcard = true;
                    continue;
                }

                var start = i;
                while (i < q.Length && q[i] != '.' && q[i] != '[')
                {
                    i++;
                }

                var name = q[start..i];
                if (name.Length == 0)
                {
                    return (null, $"invalid query at position {start}: expected a property name");
                }

                current = [.. current.Select(n => n is JsonObject o ? o[name] : null)];
            }
            else if (q[i] == '[')
            {
                var end = q.IndexOf(']', i);
                if (end < 0)
                {
                    return (null, $"invalid query at position {i}: missing ']'");
                }

                var inner = q[(i + 1)..end].Trim();
                i = end + 1;
                if (inner == "*")
                {
                    current = Children(current);
                    wildcard = true;
                }
                else if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"'))
                {
                    var name = inner[1..^1];
                    current = [.. current.Select(n => n is JsonObject o ? o[name] : null)];
                }
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    current = [.. current.Select(n => n is JsonArray a && (index < 0 ? a.Count + index : index) is var k && k >= 0 && k < a.Count ? a[k] : null)];
                }
                else
                {
                    return (null, $"invalid query: '[{inner}]' is not an index, * or a quoted name");
                }
            }
            else if (i == 0)
            {
                q = "." + q;
            }
            else
            {
                return (null, $"invalid query at position {i}: unexpected '{q[i]}'");
            }
        }

        if (current.Count > MaxResults)
        {
            return (null, TooManyResults);
        }

        if (length)
        {
            var counts = current.Select(n => n switch { JsonArray a => a.Count, JsonObject o => o.Count, JsonValue v when v.TryGetValue<string>(out var s) => s.Length, _ => 0 }).ToList();
            return wildcard ? (new JsonArray([.. counts.Select(c => (JsonNode)c)]), null) : (counts[0], null);
        }

        return wildcard ? (new JsonArray([.. current.Select(n => n?.DeepClone())]), null) : (current[0]?.DeepClone(), null);
    }

    private static List<JsonNode?> Children(List<JsonNode?> nodes) =>
        [.. nodes.SelectMany(n => n switch
        {
            JsonArray a => a.AsEnumerable(),
            JsonObject o => o.Select(p => p.Value),
            _ => [],
        })];
}

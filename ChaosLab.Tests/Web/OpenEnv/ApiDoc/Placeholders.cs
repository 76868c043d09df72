using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

/// <summary>
/// The values a section's replies have bound. A documented value <c>"&lt;name&gt;"</c> matches
/// any value the first time and binds it; afterwards it must be that same value, and requests
/// below it in the section get it filled in. <c>"…"</c> matches any value and binds nothing.
/// </summary>
/// <param name="given">
/// Values the reader supplies rather than a reply, bound from the start, such as the operator's
/// admin key in <c>Authorization: Bearer &lt;admin_key&gt;</c>.
/// </param>
public sealed partial class Placeholders(IReadOnlyDictionary<string, string>? given = null)
{
    public const string AnyValue = "…";

    private readonly Dictionary<string, string> _values = given is null ? [] : new(given);

    /// <returns>Null when <paramref name="documented"/> is a literal, else whether <paramref name="actual"/> matches it.</returns>
    public bool? Match(string documented, JsonNode? actual) => Match(documented, Text(actual));

    /// <inheritdoc cref="Match(string, JsonNode?)"/>
    public bool? Match(string documented, string actual)
    {
        if (documented == AnyValue)
        {
            return true;
        }

        if (Whole().Match(documented) is not { Success: true } placeholder)
        {
            return null;
        }

        var name = placeholder.Groups[1].Value;
        if (_values.TryGetValue(name, out var bound))
        {
            return bound == actual;
        }

        _values[name] = actual;
        return true;
    }

    /// <summary>Replaces every <c>&lt;name&gt;</c> in a request with its bound value.</summary>
    /// <exception cref="InvalidOperationException">No reply above the request bound the name.</exception>
    public string Fill(string request) =>
        Anywhere().Replace(request, m => _values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"{m.Value} is used before any reply in this section bound it"));

    // Strings bind as their text (tokens go into headers and query strings), anything else as JSON.
    private static string Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString() ?? "null";

    [GeneratedRegex("^<([a-z][a-z0-9_]*)>$")]
    private static partial Regex Whole();

    [GeneratedRegex("<([a-z][a-z0-9_]*)>")]
    private static partial Regex Anywhere();
}

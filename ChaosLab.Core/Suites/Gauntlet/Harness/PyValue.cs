using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Gauntlet.Harness;

/// <summary>
/// Python values as JSON, the form the harness speaks both ways: plain JSON for None, bools,
/// numbers, strings, lists and string-keyed dicts, and tagged objects for what JSON cannot say:
/// <c>{"$float":"nan"|"inf"|"-inf"}</c>, <c>{"$int":"…"}</c> (beyond 2^53), <c>{"$deque":[…],"maxlen":n}</c>,
/// <c>{"$set":[…]}</c>, <c>{"$dict":[[k,v],…]}</c> (keys that are not strings, or start with <c>$</c>),
/// and <c>{"$repr":"…","$type":"…"}</c> for anything else (not decodable).
/// </summary>
public static class PyValue
{
    public static JsonNode Real(double value) =>
        double.IsNaN(value) ? new JsonObject { ["$float"] = "nan" }
        : double.IsPositiveInfinity(value) ? new JsonObject { ["$float"] = "inf" }
        : double.IsNegativeInfinity(value) ? new JsonObject { ["$float"] = "-inf" }
        : JsonValue.Create(value);

    public static JsonNode NaN => Real(double.NaN);

    /// <summary>
    /// The value as a float when Python would call it a real number: an int or a float (tagged
    /// NaN and infinities included), never a bool or a numeric string.
    /// </summary>
    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        switch (node)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                // Parsed numbers read as double; numbers built in C# only as the type they were made from.
                value = v.TryGetValue<double>(out var d) ? d : v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var n) ? n : v.TryGetValue<decimal>(out var m) ? (double)m : double.NaN;
                return true;
            case JsonObject o when o.Count == 1 && o["$float"] is JsonValue f && f.GetValueKind() == JsonValueKind.String:
                value = f.GetValue<string>() switch
                {
                    "nan" => double.NaN,
                    "inf" => double.PositiveInfinity,
                    "-inf" => double.NegativeInfinity,
                    _ => double.NaN,
                };
                return true;
            case JsonObject o when o.Count == 1 && o["$int"] is JsonValue i && double.TryParse(i.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var big):
                value = big;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A finite real number (what a numeric output must be).</summary>
    public static bool TryFinite(JsonNode? node, out double value) => TryNumber(node, out value) && double.IsFinite(value);

    /// <summary>The items of a list, tuple, deque or set; null for anything else.</summary>
    public static IReadOnlyList<JsonNode?>? Items(JsonNode? node) => node switch
    {
        JsonArray array => [.. array],
        JsonObject o when o["$deque"] is JsonArray items => [.. items],
        JsonObject o when o["$set"] is JsonArray items => [.. items],
        _ => null,
    };

    /// <summary>A dict with string keys as (key, value) pairs (tagged <c>$dict</c> ones included when their keys are strings); null for anything else.</summary>
    public static IReadOnlyList<KeyValuePair<string, JsonNode?>>? Entries(JsonNode? node) => node switch
    {
        JsonObject o when IsTagged(o) && o["$dict"] is JsonArray pairs => [.. pairs.OfType<JsonArray>()
            .Where(p => p.Count == 2 && p[0] is JsonValue k && k.GetValueKind() == JsonValueKind.String)
            .Select(p => KeyValuePair.Create(p[0]!.GetValue<string>(), p[1]))],
        JsonObject o when !IsTagged(o) => [.. o],
        _ => null,
    };

    /// <summary>A dict's value by key, or null (also when the node is not a dict).</summary>
    public static JsonNode? Get(JsonNode? dict, string key) =>
        Entries(dict)?.FirstOrDefault(e => e.Key == key).Value;

    public static bool IsDict(JsonNode? node) => Entries(node) is not null;

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static bool IsBool(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary>
    /// The largest number of items any one container inside the value holds (lists, deques,
    /// sets, dicts at any depth): how a grader sees an unbounded buffer in a state.
    /// </summary>
    public static int LargestContainer(JsonNode? node) => node switch
    {
        JsonArray array => Math.Max(array.Count, array.Select(LargestContainer).DefaultIfEmpty(0).Max()),
        JsonObject o when o["$deque"] is JsonArray items => Math.Max(items.Count, items.Select(LargestContainer).DefaultIfEmpty(0).Max()),
        JsonObject o when o["$set"] is JsonArray items => Math.Max(items.Count, items.Select(LargestContainer).DefaultIfEmpty(0).Max()),
        JsonObject o when o["$dict"] is JsonArray pairs => Math.Max(pairs.Count, pairs.Select(LargestContainer).DefaultIfEmpty(0).Max()),
        JsonObject o when !IsTagged(o) => Math.Max(o.Count, o.Select(p => LargestContainer(p.Value)).DefaultIfEmpty(0).Max()),
        _ => 0,
    };

    /// <summary>A short Python-like rendering for messages ("'ERR'", "nan", "None").</summary>
    public static string Show(JsonNode? node, int maxLength = 60)
    {
        var text = node switch
        {
            null => "None",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => "'" + v.GetValue<string>() + "'",
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
            JsonObject o when o["$float"] is JsonValue f => f.GetValue<string>(),
            JsonObject o when o["$repr"] is JsonValue r => r.GetValue<string>(),
            _ => node.ToJsonString(),
        };
        return text.Length <= maxLength ? text : text[..(maxLength - 1)] + "…";
    }

    private static bool IsTagged(JsonObject o) => o.Any(p => p.Key.StartsWith('$'));
}

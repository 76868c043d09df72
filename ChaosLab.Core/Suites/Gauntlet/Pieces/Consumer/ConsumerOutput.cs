using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>Reads what one call of <c>consume</c> returned, field by field, and the evidence messages point at.</summary>
internal static class ConsumerOutput
{
    public static string CallName(int call) => "call " + (call + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The ids of a list field (<c>applied</c>, <c>dead_letter</c>), or why it is not a list of ids.</summary>
    public static (IReadOnlyList<string>? Ids, string? Problem) Ids(CallRun call, string field)
    {
        if (!PyValue.IsDict(call.Returned))
        {
            return (null, $"returned {PyValue.Show(call.Returned)}, not a dict");
        }

        var node = PyValue.Get(call.Returned, field);

        if (PyValue.Items(node) is not { } items)
        {
            return (null, node is null ? $"returned no '{field}' list" : $"returned '{field}' = {PyValue.Show(node)}, not a list of event ids");
        }

        var ids = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (!PyValue.IsString(items[i]))
            {
                return (null, $"'{field}'[{i}] is {PyValue.Show(items[i])}, not an event id");
            }

            ids.Add(items[i]!.GetValue<string>());
        }

        return (ids, null);
    }

    /// <summary>An integral count (not a bool), or null.</summary>
    public static long? Count(JsonNode? node) =>
        PyValue.TryFinite(node, out var value) && value == Math.Floor(value) ? (long)value : null;

    /// <summary>The delivery at <paramref name="index"/> of a call and two on either side, as evidence.</summary>
    public static JsonObject Excerpt(ConsumerCase c, int call, int index, string? note = null)
    {
        var deliveries = c.Calls[call];
        var from = Math.Max(0, index - 2);
        var to = Math.Min(deliveries.Count, index + 3);
        var excerpt = new JsonObject
        {
            ["call"] = call + 1,
            ["index"] = index,
            ["deliveries"] = new JsonObject(Enumerable.Range(from, to - from)
                .Select(i => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), deliveries[i].Json?.DeepClone()))),
        };
        if (note is not null)
        {
            excerpt["note"] = note;
        }

        return excerpt;
    }

    /// <summary>Evidence for an event: where its valid copy was first delivered.</summary>
    public static JsonObject Evidence(ConsumerCase c, LedgerEvent e, string? note = null) =>
        c.FirstDelivery(e) is { } at ? Excerpt(c, at.Call, at.Index, note) : new JsonObject { ["event"] = e.ToJson(), ["note"] = note };

    /// <summary>"(delivered in call 2 at index 14)".</summary>
    public static string Where(ConsumerCase c, LedgerEvent e) =>
        c.FirstDelivery(e) is { } at ? string.Create(CultureInfo.InvariantCulture, $"delivered in call {at.Call + 1} at index {at.Index}") : "never delivered";
}

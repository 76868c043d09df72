using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A last line of defence around every tool: a result holding NaN or an infinity cannot be
/// written as JSON, and the exception would surface after the step was spent, with nothing in the
/// history. Such a result becomes an ordinary tool error instead. The tools themselves check
/// their arithmetic and give more specific messages; this catches what they miss.
/// </summary>
internal static class FiniteResults
{
    public static ToolHandler Guard(ToolHandler handler) => async (context, arguments, ct) => Check(await handler(context, arguments, ct));

    internal static ToolOutput Check(ToolOutput output) => HoldsNonFinite(output.Body)
        ? ToolOutput.Fail("out_of_range", "the result holds a number beyond the range of a double (out of range)")
        : output;

    private static bool HoldsNonFinite(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => HoldsNonFinite(p.Value)),
        JsonArray a => a.Any(HoldsNonFinite),
        // A parsed literal (backed by a JsonElement) is written back as it was read, even 1e400.
        JsonValue v when v.TryGetValue<System.Text.Json.JsonElement>(out _) => false,
        JsonValue v => (v.TryGetValue<double>(out var d) && !double.IsFinite(d)) || (v.TryGetValue<float>(out var f) && !float.IsFinite(f)),
        _ => false,
    };
}

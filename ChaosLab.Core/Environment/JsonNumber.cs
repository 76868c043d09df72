using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Environment;

/// <summary>
/// Reads a JSON number as a double whatever backs the node (parsed JSON, or a long/int/decimal
/// put in by code: <c>GetValue&lt;double&gt;</c> throws for those). A literal beyond a double's
/// range (1e400, a 400-digit integer) reads as an infinity; callers that compute check
/// <see cref="double.IsFinite(double)"/>, because an infinity cannot be written back as JSON.
/// </summary>
public static class JsonNumber
{
    public static double Read(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var value = node.AsValue();
        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        return value.TryGetValue<decimal>(out var m) ? (double)m : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
    }
}

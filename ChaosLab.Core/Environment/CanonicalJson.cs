using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Environment;

/// <summary>
/// One spelling per JSON value: object keys sorted ordinally, no whitespace, numbers in their
/// shortest round-trip form (1.0, 1 and 1e0 are the same), strings as given. Used to decide
/// "the same call" and as input to seeded decisions.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    public static string Serialize(JsonElement element) => Serialize(JsonNode.Parse(element.GetRawText()));

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var pair in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, pair.Key);
                    builder.Append(':');
                    Write(builder, pair.Value);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, array[i]);
                }

                builder.Append(']');
                break;
            case JsonValue value:
                WriteValue(builder, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder builder, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(builder, value.GetValue<string>());
                break;
            case JsonValueKind.Number:
                var number = value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

                // 1e400 and 1e500 both overflow to infinity: keep beyond-range numbers as written so
                // they stay distinct calls (for repeat tracking and fault decisions).
                builder.Append(double.IsFinite(number) ? number.ToString("R", CultureInfo.InvariantCulture) : value.ToJsonString());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder builder, string text) => builder.Append(JsonSerializer.Serialize(text, CoreJsonContext.Default.String));
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// Renders structured messages as real JSON (System.Text.Json) or YAML (YamlDotNet), parses them
/// as a consumer does, and translates YAML to JSON for the format translator. A message is an
/// ordered map of strings, integers, lists and maps. YAML work and parse failures are memoised by
/// text (the same plan renders the same way in every run), so a batch pays for each distinct text
/// once; the results are the libraries' own.
/// </summary>
internal sealed class MessageCodec
{
    private const int MemoLimit = 4_096;

    private static readonly ISerializer FlowYaml = new SerializerBuilder().JsonCompatible().Build();
    private static readonly ISerializer BlockYaml = new SerializerBuilder().Build();
    private static readonly IDeserializer YamlReader = new DeserializerBuilder().Build();

    private readonly ArrayBufferWriter<byte> _buffer = new(1_024);
    private readonly Dictionary<string, string> _flowYaml = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _blockYaml = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParseResult> _jsonParses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParseResult> _yamlParses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParseResult> _translations = new(StringComparer.Ordinal);

    public string ToJson(IReadOnlyList<KeyValuePair<string, object>> message)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            WriteJson(writer, message);
        }

        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    /// <summary>YAML in flow style, which is also valid JSON (what a well-behaved YAML producer sends a JSON consumer).</summary>
    public string ToFlowYaml(IReadOnlyList<KeyValuePair<string, object>> message, string json) =>
        Memo(_flowYaml, json, () => FlowYaml.Serialize(ToYamlGraph(message)).TrimEnd());

    /// <summary>Block-style YAML: what a JSON parser cannot read.</summary>
    public string ToBlockYaml(IReadOnlyList<KeyValuePair<string, object>> message, string json) =>
        Memo(_blockYaml, json, () => BlockYaml.Serialize(ToYamlGraph(message)).TrimEnd());

    /// <summary>Parses the text as the consumer's format says; text input accepts anything.</summary>
    public ParseResult Parse(string body, string format) => format switch
    {
        "json" => Memo(_jsonParses, body, () => ParseJson(body)),
        "yaml" => Memo(_yamlParses, body, () => ParseYaml(body)),
        _ => ParseResult.Readable(body),
    };

    /// <summary>The translator: reads the text as YAML (JSON is YAML too) and writes it as JSON.</summary>
    public ParseResult TranslateToJson(string body) => Memo(_translations, body, () =>
    {
        try
        {
            var graph = YamlReader.Deserialize<object?>(body);
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                WriteYamlValue(writer, graph);
            }

            var json = Encoding.UTF8.GetString(_buffer.WrittenSpan);
            using var document = JsonDocument.Parse(json);
            return ParseResult.Readable(json);
        }
        catch (YamlException e)
        {
            return ParseResult.Unreadable(e.Message);
        }
    });

    private static ParseResult ParseJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return ParseResult.Readable(body);
        }
        catch (JsonException e)
        {
            return ParseResult.Unreadable(e.Message);
        }
    }

    private static ParseResult ParseYaml(string body)
    {
        try
        {
            YamlReader.Deserialize<object?>(body);
            return ParseResult.Readable(body);
        }
        catch (YamlException e)
        {
            return ParseResult.Unreadable(e.Message);
        }
    }

    private static T Memo<T>(Dictionary<string, T> memo, string key, Func<T> compute)
    {
        if (memo.TryGetValue(key, out var known))
        {
            return known;
        }

        if (memo.Count >= MemoLimit)
        {
            memo.Clear();
        }

        var value = compute();
        memo[key] = value;
        return value;
    }

    private static void WriteJson(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case IReadOnlyList<KeyValuePair<string, object>> map:
                writer.WriteStartObject();
                foreach (var (name, item) in map)
                {
                    writer.WritePropertyName(name);
                    WriteJson(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyList<object> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Messages hold strings, integers, lists and maps, not {value.GetType().Name}.", nameof(value));
        }
    }

    private static object ToYamlGraph(object value) => value switch
    {
        IReadOnlyList<KeyValuePair<string, object>> map => map.ToDictionary(p => p.Key, p => ToYamlGraph(p.Value), StringComparer.Ordinal),
        IReadOnlyList<object> list => list.Select(ToYamlGraph).ToList(),
        _ => value,
    };

    private static void WriteYamlValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case IDictionary<object, object?> map:
                writer.WriteStartObject();
                foreach (var (name, item) in map)
                {
                    writer.WritePropertyName(Convert.ToString(name, CultureInfo.InvariantCulture) ?? "");
                    WriteYamlValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteYamlValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case string scalar when long.TryParse(scalar, NumberStyles.None, CultureInfo.InvariantCulture, out var number):
                // YAML scalars are untyped; a plain integer is a number in the JSON a consumer expects.
                writer.WriteNumberValue(number);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}

/// <summary>What a consumer made of a message: the text it can use, or why it could not read it.</summary>
internal readonly record struct ParseResult(bool Ok, string Text, string? Error)
{
    public static ParseResult Readable(string text) => new(true, text, null);

    public static ParseResult Unreadable(string error) => new(false, "", error);
}

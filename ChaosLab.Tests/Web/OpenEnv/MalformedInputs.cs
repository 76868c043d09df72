using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// Seeded generator of the inputs an adversary sends an OpenEnv server: valid-looking requests
/// (random tools, arguments and parameters) and mutations of them that break the bytes, the
/// syntax, the encoding or the types. The same seed gives the same sequence of inputs.
/// </summary>
internal sealed class MalformedInputs(int seed)
{
    private const string ValueMarker = "__fuzz_value__";
    private const string KeyMarker = "__fuzz_key__";

    // python_execute starts a sandboxed process per call (seconds, not microseconds); the
    // sandbox has its own tests, and the fuzzer must stay fast.
    private static readonly IReadOnlyList<ToolDefinition> Tools = [.. ToolRegistry.Definitions.Where(t => t.Name != "python_execute")];

    private static readonly string[] Tasks = ["task1", "task2", "task3", "task9", ""];
    private static readonly string[] Tiers = ["warmup", "beginner", "intermediate", "expert", "legendary"];
    private static readonly string[] McpMethods = ["tools/call", "tools/call", "tools/call", "tools/list", "ping", "initialize", "openenv/session/create", "openenv/session/close", "resources/list", ""];

    // "close" is deliberately absent: a {"type":"close"} frame legitimately ends a /ws session.
    private static readonly string[] FrameTypes = ["step", "step", "step", "reset", "state", "mcp", "dance", ""];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xff], [0xfe], [0xff, 0xfe], [0x80], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] LoneSurrogates = [@"\ud800", @"\udfff", @"\ud800\u0041", @"\udc00\ud800", @"x\ud83d", @"\ud83d\ud83d\ude00"];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "18446744073709551616", "-9223372036854775809", "99999999999999999999999999999999999999", "1.7976931348623157e309",
        "0.0000000000000000000000000000000000000000001", "4.9e-325", "-0", "1E+2", "123456789012345678901234567890.5",
    ];

    private static readonly string[] WholeBodies =
    [
        "", " ", "\n\t\r ", "null", "0", "-1", "true", "\"reset\"", "[]", "[{}]", "{", "}", "{}}", "{\"a\":}", "{'seed': 1}", "{\"seed\": NaN}",
        "{\"seed\": Infinity}", "{\"a\":1,}", "[1,]", "{\"a\":1} {\"b\":2}", "{}x", "/* c */ {}", "{\"a\" 1}", "\"\\x41\"", "\"\\u12\"", "\u0000",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A <c>POST /reset</c> body.</summary>
    public byte[] ResetBody() => Mutate(ResetParameters());

    /// <summary>A <c>POST /step</c> body for the episode, carrying its credential when there is one.</summary>
    public byte[] StepBody(string episodeId, string? episodeToken)
    {
        var body = new JsonObject { ["action"] = Action(), ["episode_id"] = episodeId };
        if (episodeToken is not null)
        {
            body["episode_token"] = episodeToken;
        }

        if (Chance(4))
        {
            body["timeout_s"] = _random.Next(1, 60);
        }

        if (Chance(4))
        {
            body["request_id"] = Text(12);
        }

        return Mutate(body);
    }

    /// <summary>A JSON-RPC message for <c>/mcp</c>.</summary>
    public byte[] McpMessage() => Mutate(JsonRpc());

    /// <summary>A frame for <c>WS /ws</c>.</summary>
    public byte[] EpisodeFrame()
    {
        var type = Pick(FrameTypes);
        var frame = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "step":
                frame["data"] = Action();
                break;
            case "reset" when Chance(2):
                frame["data"] = ResetParameters();
                break;
            case "mcp":
                frame["data"] = JsonRpc();
                break;
        }

        return Mutate(frame);
    }

    /// <summary>A query string for <c>GET /state</c> (starting with <c>?</c>, or empty).</summary>
    public string StateQuery(string episodeId)
    {
        var parameters = new List<string>();
        for (var i = _random.Next(4); i > 0; i--)
        {
            var name = Pick(["episode_id", "episode_id", "episode_token", "x", "", "%ff", "episode%5Fid"]);
            var value = _random.Next(6) switch
            {
                0 => episodeId,
                1 => Uri.EscapeDataString(Text(_random.Next(0, 100))),
                2 => string.Concat(Enumerable.Range(0, _random.Next(1, 20)).Select(_ => $"%{_random.Next(256):x2}")),
                3 => "%ed%a0%80",
                4 => new string('a', _random.Next(1, 2000)),
                _ => "",
            };
            parameters.Add(Chance(8) ? name : $"{name}={value}");
        }

        return parameters.Count == 0 ? "" : "?" + string.Join('&', parameters);
    }

    /// <summary>An ASCII header value for <c>X-Episode-Id</c> and friends.</summary>
    public string HeaderValue(string episodeId) => Chance(3)
        ? episodeId
        : new string([.. Enumerable.Range(0, _random.Next(0, 500)).Select(_ => (char)_random.Next(0x20, 0x7f))]);

    private JsonObject ResetParameters()
    {
        var parameters = new JsonObject();
        if (Chance(2))
        {
            parameters["seed"] = _random.Next();
        }

        if (Chance(2))
        {
            parameters["task_id"] = Pick(Tasks);
        }

        if (Chance(2))
        {
            parameters["tier"] = Pick(Tiers);
        }

        if (Chance(4))
        {
            parameters["agent"] = "fuzzer";
        }

        return parameters;
    }

    private JsonObject JsonRpc()
    {
        var method = Pick(McpMethods);
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Chance(3) ? Text(6) : _random.Next(1000), ["method"] = method };
        message["params"] = method switch
        {
            "tools/call" => ToolCall(),
            "openenv/session/create" => ResetParameters(),
            "openenv/session/close" => new JsonObject { ["session_id"] = Text(32) },
            "initialize" => new JsonObject { ["protocolVersion"] = "2025-06-18", ["capabilities"] = new JsonObject() },
            _ => null,
        };
        return message;
    }

    private JsonObject ToolCall()
    {
        var action = CallTool();
        return new JsonObject { ["name"] = action["tool_name"]!.DeepClone(), ["arguments"] = action["arguments"]!.DeepClone() };
    }

    /// <summary>A valid-looking action; a few submit answers, which end the episode.</summary>
    private JsonObject Action() => _random.Next(20) switch
    {
        0 => new JsonObject { ["type"] = "list_tools" },
        1 => new JsonObject { ["type"] = "teleport", ["where"] = "moon" },
        2 => new JsonObject
        {
            ["type"] = "submit_answer",
            // Answers an agent writes: prose, numbers, and JSON inside the text (duplicate keys included).
            ["answer"] = Pick(["42", "about 1.2 million", """{"population":1,"population":2}""", """{"value": "\ud800"}""", Text(40)]),
            ["reasoning"] = Text(20),
        },
        _ => CallTool(),
    };

    private JsonObject CallTool()
    {
        if (Chance(8))
        {
            return new JsonObject { ["type"] = "call_tool", ["tool_name"] = Pick(["rm_rf", "", "Calculator", "calculator ", "../etc/passwd"]), ["arguments"] = new JsonObject() };
        }

        var tool = Pick(Tools);
        var arguments = new JsonObject();
        if (tool.ParameterSchema["properties"] is JsonObject properties)
        {
            foreach (var (name, schema) in properties)
            {
                if (Chance(5))
                {
                    continue;
                }

                var declared = schema?["type"] is JsonValue type && type.TryGetValue<string>(out var single) ? single : null;
                arguments[name] = Chance(4) ? RandomValue() : ValueFor(declared);
            }
        }

        if (Chance(6))
        {
            arguments[Text(6)] = RandomValue();
        }

        return new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool.Name, ["arguments"] = arguments };
    }

    private JsonNode? ValueFor(string? type) => type switch
    {
        "string" => Pick(["SELECT 1", "population of Ceesh", "https://example.test/a", "2+2*3", "$.a", "{\"a\":1}", "tickets", Text(10)]),
        "integer" => _random.Next(-5, 100),
        "number" => _random.NextDouble() * 1000,
        "boolean" => Chance(2),
        "array" => new JsonArray("a", 1),
        "object" => new JsonObject { ["a"] = 1 },
        _ => RandomValue(),
    };

    private JsonNode? RandomValue() => _random.Next(12) switch
    {
        0 => null,
        1 => true,
        2 => 0,
        3 => -1,
        4 => 1.5,
        5 => "",
        6 => Text(8),
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 => new JsonArray(1, "a", null),
        10 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray() } },
        _ => long.MaxValue,
    };

    // ---- mutations ----

    private byte[] Mutate(JsonObject valid) => _random.Next(16) switch
    {
        // Valid-looking inputs still reach the environment: random tools and bad arguments.
        0 or 1 or 2 => Serialize(valid),
        3 => Truncate(Serialize(valid)),
        4 => FlipBytes(Serialize(valid)),
        5 => SpliceIntoString(valid, Pick(InvalidUtf8)),
        6 => SpliceIntoString(valid, Encoding.ASCII.GetBytes(Pick(LoneSurrogates))),
        7 => DuplicateKey(valid),
        8 => ReplaceValue(valid, DeepNesting()),
        9 => ReplaceValue(valid, Pick(HugeNumbers)),
        10 => ReplaceValue(valid, JsonSerializer.Serialize(RandomValue())),
        11 => ReplaceValue(valid, JsonSerializer.Serialize(new string('x', Chance(10) ? _random.Next(100_000, 1_000_000) : _random.Next(1000, 20_000)))),
        12 => AddUnknownField(valid),
        13 => RemoveField(valid),
        14 => Encoding.UTF8.GetBytes(Pick(WholeBodies)),
        _ => Chance(2) ? [.. Encoding.UTF8.Preamble, .. Serialize(valid)] : Encoding.UTF8.GetBytes(DeepNesting()),
    };

    private static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private byte[] Truncate(byte[] bytes) => bytes[.._random.Next(bytes.Length)];

    private byte[] FlipBytes(byte[] bytes)
    {
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
        }

        return bytes;
    }

    private string DeepNesting()
    {
        var depth = Chance(2) ? 10_000 : _random.Next(60, 200);
        return Chance(2)
            ? new string('[', depth) + (Chance(2) ? new string(']', depth) : "")
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    /// <summary>Puts raw bytes inside a string value or a property name somewhere in the tree.</summary>
    private byte[] SpliceIntoString(JsonObject valid, byte[] raw)
    {
        var copy = valid.DeepClone().AsObject();
        var target = Pick(Objects(copy));
        if (Chance(2))
        {
            target[KeyMarker] = 1;
        }
        else
        {
            target[Pick([.. target.Select(p => p.Key).DefaultIfEmpty("extra")])] = ValueMarker;
        }

        var text = copy.ToJsonString();
        var marker = text.Contains(KeyMarker, StringComparison.Ordinal) ? KeyMarker : ValueMarker;
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. Encoding.UTF8.GetBytes(Text(_random.Next(3))), .. raw, .. Encoding.UTF8.GetBytes(text[(at + marker.Length)..])];
    }

    /// <summary>Repeats a property of some object in the tree (e.g. a second "population" in an answer).</summary>
    private byte[] DuplicateKey(JsonObject valid)
    {
        var copy = valid.DeepClone().AsObject();
        var target = Pick(Objects(copy));
        var name = target.Count == 0 ? "type" : target.GetAt(_random.Next(target.Count)).Key;
        target[KeyMarker] = Chance(2) && target[name] is { } same ? same.DeepClone() : RandomValue();
        return Encoding.UTF8.GetBytes(copy.ToJsonString().Replace(KeyMarker, name, StringComparison.Ordinal));
    }

    private byte[] ReplaceValue(JsonObject valid, string rawJson)
    {
        var copy = valid.DeepClone().AsObject();
        var target = Pick(Objects(copy));
        target[target.Count == 0 || Chance(5) ? Text(5) : target.GetAt(_random.Next(target.Count)).Key] = ValueMarker;
        return Encoding.UTF8.GetBytes(copy.ToJsonString().Replace($"\"{ValueMarker}\"", rawJson, StringComparison.Ordinal));
    }

    private byte[] AddUnknownField(JsonObject valid)
    {
        var copy = valid.DeepClone().AsObject();
        Pick(Objects(copy))[Pick(["max_steps", "grade", "score", "__proto__", "constructor", "$ref", Text(8)])] = RandomValue();
        return Serialize(copy);
    }

    private byte[] RemoveField(JsonObject valid)
    {
        var copy = valid.DeepClone().AsObject();
        var target = Pick(Objects(copy));
        if (target.Count > 0)
        {
            target.RemoveAt(_random.Next(target.Count));
        }

        return Serialize(copy);
    }

    private static List<JsonObject> Objects(JsonNode root)
    {
        var found = new List<JsonObject>();
        Collect(root);
        return found;

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    found.Add(o);
                    foreach (var (_, child) in o)
                    {
                        Collect(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Collect(child);
                    }

                    break;
            }
        }
    }

    private string Text(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 _-.:/\\\"'{}[]<>é漢😀";
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            var c = alphabet[_random.Next(alphabet.Length)];
            // Keep surrogate pairs whole: this is valid text; broken text is a separate mutation.
            if (char.IsHighSurrogate(c) || char.IsLowSurrogate(c))
            {
                builder.Append("😀");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private bool Chance(int oneIn) => _random.Next(oneIn) == 0;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;

namespace ChaosLab.Core.Environment;

/// <summary>
/// The moves an agent makes in any suite, as one typed union: call one of the suite's tools,
/// submit, or list the tools. Every suite exposes its own moves as tools with JSON Schemas
/// (<see cref="ISuite.Tools"/>), so MCP, the playground, the reference agents and the harness
/// speak to any suite through this one protocol. On the wire an action is a bare JSON object
/// discriminated by <c>type</c>.
/// </summary>
public abstract record AgentAction
{
    public const string CallToolType = "call_tool";
    public const string SubmitType = "submit_answer";
    public const string ListToolsType = "list_tools";

    /// <summary>Longest tool name accepted; longer ones are refused before they spend a step.</summary>
    public const int MaxToolNameLength = 100;

    /// <summary>Longest submission accepted, in characters of its JSON text.</summary>
    public const int MaxSubmissionLength = 10_000;

    public static IReadOnlyList<string> Types { get; } = [CallToolType, SubmitType, ListToolsType];

    /// <summary>
    /// Submitting, as a tool: how clients that only call tools (MCP) end an episode of a suite
    /// that does not list a submit tool of its own.
    /// </summary>
    public static ToolDescriptor SubmitTool { get; } = new(
        SubmitType,
        "Submit the answer; this ends the episode and grades it.",
        "action",
        new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["answer"] = new JsonObject { ["type"] = new JsonArray("string", "object", "number", "boolean"), ["description"] = "The answer, or an object keyed by what is asked." },
                ["reasoning"] = new JsonObject { ["type"] = "string" },
            },
            ["required"] = new JsonArray("answer"),
            ["additionalProperties"] = false,
        });

    /// <summary>The tools a tool-calling client is offered: the suite's own, and a submit tool if it has none.</summary>
    public static IReadOnlyList<ToolDescriptor> ToolsOf(ISuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return ToolsOf(suite.Tools);
    }

    /// <summary>The tools a tool-calling client is offered, from a suite's own tools.</summary>
    public static IReadOnlyList<ToolDescriptor> ToolsOf(IReadOnlyList<ToolDescriptor> suiteTools)
    {
        ArgumentNullException.ThrowIfNull(suiteTools);
        return suiteTools.Any(t => t.Name == SubmitType) ? suiteTools : [.. suiteTools, SubmitTool];
    }

    /// <summary>
    /// The action a tool call stands for: a call to <see cref="SubmitTool"/> on a suite without a
    /// submit tool of its own is a submission; anything else is a tool call.
    /// </summary>
    public static AgentAction FromToolCall(ISuite suite, string toolName, JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return FromToolCall(suite.Tools, toolName, arguments);
    }

    /// <summary>The action a tool call stands for, given the suite's own tools (see <see cref="FromToolCall(ISuite, string, JsonObject)"/>).</summary>
    public static AgentAction FromToolCall(IReadOnlyList<ToolDescriptor> suiteTools, string toolName, JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(suiteTools);
        ArgumentNullException.ThrowIfNull(arguments);
        return toolName == SubmitType && suiteTools.All(t => t.Name != SubmitType) && arguments["answer"] is { } answer
            ? new Submit(answer.DeepClone(), arguments["reasoning"]?.GetValueKind() == JsonValueKind.String ? arguments["reasoning"]!.GetValue<string>() : null)
            : new CallTool(toolName, arguments);
    }

    private AgentAction()
    {
    }

    /// <summary>The action's wire form.</summary>
    public abstract JsonObject ToJson();

    /// <summary>Calls a tool. <see cref="Arguments"/> is checked against the tool's schema as a step.</summary>
    public sealed record CallTool(string ToolName, JsonObject Arguments) : AgentAction
    {
        public override JsonObject ToJson() => new()
        {
            ["type"] = CallToolType,
            ["tool_name"] = ToolName,
            ["arguments"] = Arguments.DeepClone(),
        };
    }

    /// <summary>Ends the episode with a submission: text, or an object keyed by what is asked.</summary>
    public sealed record Submit(JsonNode Answer, string? Reasoning) : AgentAction
    {
        /// <summary>The submission as recorded: text as sent, anything else as compact JSON.</summary>
        public string Text => Answer is JsonValue value && value.TryGetValue<string>(out var text) ? text : Answer.ToJsonString();

        public override JsonObject ToJson()
        {
            var json = new JsonObject { ["type"] = SubmitType, ["answer"] = Answer.DeepClone() };
            if (Reasoning is not null)
            {
                json["reasoning"] = Reasoning;
            }

            return json;
        }
    }

    /// <summary>Asks for the tool list (which the reset observation already carries).</summary>
    public sealed record ListTools : AgentAction
    {
        public override JsonObject ToJson() => new() { ["type"] = ListToolsType };
    }

    /// <summary>
    /// Reads a wire action. Envelope problems (not an object, unknown type, no tool name,
    /// non-object arguments, no answer, a key given twice, a string that is not Unicode) are
    /// refused with their path, before they spend a step; a tool's own arguments are checked
    /// later, as a step, against its schema.
    /// </summary>
    /// <param name="toolNames">The suite's tools, listed in the error for a missing tool name.</param>
    public static EnvironmentResult<AgentAction> Parse(JsonElement action, IReadOnlyList<string>? toolNames = null)
    {
        if (action.ValueKind != JsonValueKind.Object)
        {
            return Fail("", $"the action must be a JSON object, got {Kind(action)}");
        }

        if (JsonInput.Check(action) is { } unreadable)
        {
            return EnvironmentResult<AgentAction>.Invalid(unreadable);
        }

        if (!action.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return Fail("type", "required: a string, one of " + string.Join(", ", Types), Types);
        }

        return typeElement.GetString() switch
        {
            ListToolsType => EnvironmentResult<AgentAction>.Success(new ListTools()),
            CallToolType => ParseCall(action, toolNames),
            SubmitType => ParseSubmit(action),
            var other => Fail("type", $"unknown action type '{other}'", Types),
        };
    }

    /// <summary>
    /// JSON Schemas of the three actions, a union over <c>type</c>, for <c>/schema</c>. Tool
    /// arguments are open here: each tool publishes its own schema.
    /// </summary>
    public static JsonObject Schema()
    {
        var exporterOptions = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true };
        JsonObject Export<T>(string type)
        {
            var schema = CoreJsonContext.Default.Options.GetJsonSchemaAsNode(typeof(T), exporterOptions).AsObject();
            schema["properties"]!["type"] = new JsonObject { ["const"] = type };
            return schema;
        }

        return new JsonObject
        {
            ["oneOf"] = new JsonArray(Export<CallToolWire>(CallToolType), Export<SubmitWire>(SubmitType), Export<ListToolsWire>(ListToolsType)),
            ["discriminator"] = new JsonObject { ["propertyName"] = "type" },
        };
    }

    private static EnvironmentResult<AgentAction> ParseCall(JsonElement action, IReadOnlyList<string>? toolNames)
    {
        if (!action.TryGetProperty("tool_name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
        {
            return Fail("tool_name", "required: the name of the tool to call", toolNames);
        }

        var toolName = name.GetString()!;
        if (toolName.Length > MaxToolNameLength)
        {
            return Fail("tool_name", $"longer than {MaxToolNameLength} characters");
        }

        var arguments = new JsonObject();
        if (action.TryGetProperty("arguments", out var args) && args.ValueKind != JsonValueKind.Null)
        {
            if (args.ValueKind != JsonValueKind.Object)
            {
                return Fail("arguments", $"must be an object, got {Kind(args)}");
            }

            arguments = JsonNode.Parse(args.GetRawText())!.AsObject();
        }

        return EnvironmentResult<AgentAction>.Success(new CallTool(toolName, arguments));
    }

    private static EnvironmentResult<AgentAction> ParseSubmit(JsonElement action)
    {
        if (!action.TryGetProperty("answer", out var answer) || answer.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
        {
            return Fail("answer", "required: the answer as a string (or an object keyed by what the question asks)");
        }

        if (answer.GetRawText().Length > MaxSubmissionLength)
        {
            return Fail("answer", $"longer than {MaxSubmissionLength:N0} characters");
        }

        string? reasoning = null;
        if (action.TryGetProperty("reasoning", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            if (r.ValueKind != JsonValueKind.String)
            {
                return Fail("reasoning", "must be a string");
            }

            reasoning = r.GetString();
        }

        return EnvironmentResult<AgentAction>.Success(new Submit(JsonNode.Parse(answer.GetRawText())!, reasoning));
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static EnvironmentResult<AgentAction> Fail(string path, string message, IReadOnlyList<string>? valid = null) =>
        EnvironmentResult<AgentAction>.Invalid(new ValidationError(path, message, valid));

    // The wire shapes, for the schema only: what a client sends, field by field.
    internal sealed record CallToolWire(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("tool_name")] string ToolName,
        [property: JsonPropertyName("arguments")] JsonObject? Arguments);

    internal sealed record SubmitWire(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("answer")] JsonNode Answer,
        [property: JsonPropertyName("reasoning")] string? Reasoning);

    internal sealed record ListToolsWire([property: JsonPropertyName("type")] string Type);
}

using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// The suite's tools as the reset observation lists them, which is where the LLM agent takes them
/// from: it is what any wire client is shown, every suite lists its tools there, and it keeps the
/// agent free of the suite object. Each entry has name, description, category and a JSON Schema
/// under <c>input_schema</c> (tools suite) or <c>parameters</c> (mast, gauntlet).
/// </summary>
public static class ObservedTools
{
    /// <exception cref="InvalidOperationException">The observation has no usable tool list.</exception>
    public static IReadOnlyList<ToolDescriptor> From(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation["tools"] is not JsonArray list || list.Count == 0)
        {
            throw new InvalidOperationException("the reset observation lists no tools (expected a non-empty 'tools' array), so the model cannot be offered any");
        }

        var tools = new List<ToolDescriptor>(list.Count);
        foreach (var entry in list)
        {
            if (entry is not JsonObject tool || tool["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || string.IsNullOrEmpty(name))
            {
                throw new InvalidOperationException($"the reset observation's tool list has an entry without a name: {entry?.ToJsonString()}");
            }

            var schema = (tool["input_schema"] ?? tool["parameters"]) as JsonObject ?? new JsonObject { ["type"] = "object" };
            tools.Add(new ToolDescriptor(name, Text(tool, "description"), Text(tool, "category"), (JsonObject)schema.DeepClone()));
        }

        return tools;
    }

    private static string Text(JsonObject tool, string key) => tool[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}

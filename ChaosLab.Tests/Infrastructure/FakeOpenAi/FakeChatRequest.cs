using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Infrastructure.FakeOpenAi;

/// <summary>One request the fake server received, with readers for what tests and scripted models ask of it.</summary>
/// <param name="Index">0-based, in order of arrival.</param>
/// <param name="Headers">Request headers by name (case-insensitive).</param>
public sealed record FakeChatRequest(int Index, string BodyText, JsonObject Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Model => Body["model"]?.GetValue<string>();

    public JsonArray Messages => Body["messages"] as JsonArray ?? [];

    /// <summary>The names of the function tools offered, in order.</summary>
    public IReadOnlyList<string> ToolNames =>
        [.. (Body["tools"] as JsonArray ?? []).Select(t => t?["function"]?["name"]?.GetValue<string>() ?? "")];

    /// <summary><c>tool_choice</c> as compact JSON ("\"required\"", "{\"type\":\"function\",...}"), or null if absent.</summary>
    public string? ToolChoice => Body["tool_choice"]?.ToJsonString();

    /// <summary>The content of the last <c>tool</c> message, or null if there is none.</summary>
    public string? LastToolResult => Messages.LastOrDefault(m => m?["role"]?.GetValue<string>() == "tool")?["content"] is { } content ? Text(content) : null;

    /// <summary>The content of the last message whatever its role (a tool result, a user note).</summary>
    public string? LastMessageText => Messages.LastOrDefault()?["content"] is { } content ? Text(content) : null;

    /// <summary>How many tool results the conversation holds so far (a scripted model's turn counter).</summary>
    public int ToolResultCount => Messages.Count(m => m?["role"]?.GetValue<string>() == "tool");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    // Content is a string, or an array of parts with text.
    private static string Text(JsonNode content) => content is JsonArray parts
        ? string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? ""))
        : content.GetValue<string>();
}

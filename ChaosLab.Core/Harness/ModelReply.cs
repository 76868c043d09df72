namespace ChaosLab.Core.Harness;

/// <summary>A model's reply as the harness reads it: its text and its tool calls, arguments as the raw text the model wrote.</summary>
public sealed record ModelReply(string? Text, IReadOnlyList<ModelToolCall> ToolCalls);

/// <param name="Id">The call id the endpoint gave (answered by the tool message), or null.</param>
/// <param name="ArgumentsText">The arguments exactly as written: usually a JSON object, sometimes not.</param>
public sealed record ModelToolCall(string? Id, string Name, string ArgumentsText);

using System.ClientModel.Primitives;
using System.Text.Json;
using ChaosLab.Core.Harness;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// Reads a chat response as the harness and the trace need it: tool-call arguments as the raw text
/// the model wrote (from the OpenAI completion, since the adapter's parsed arguments lose a
/// malformed one), and the reply's body as the endpoint sent it.
/// </summary>
public static class ModelReplies
{
    public static ModelReply Read(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.RawRepresentation is ChatCompletion completion)
        {
            var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
            return new ModelReply(
                text.Length == 0 ? null : text,
                [.. completion.ToolCalls.Select(c => new ModelToolCall(c.Id, c.FunctionName, c.FunctionArguments?.ToString() ?? ""))]);
        }

        // Another client (no OpenAI completion underneath): the adapter's view is all there is.
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select(c => new ModelToolCall(c.CallId, c.Name, c.Arguments is null ? "" : JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions)))
            .ToList();
        return new ModelReply(string.IsNullOrEmpty(response.Text) ? null : response.Text, calls);
    }

    /// <summary>
    /// The reply as the next request repeats it: for an OpenAI completion, the assistant message
    /// built from it (the adapter sends that as is), so tool-call arguments go back exactly as the
    /// model wrote them; the adapter's own message would send a malformed one as <c>null</c>.
    /// </summary>
    public static Microsoft.Extensions.AI.ChatMessage AssistantMessage(ChatResponse response, ModelReply reply)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(reply);
        var message = response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant) ?? new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, reply.Text);
        if (response.RawRepresentation is ChatCompletion completion)
        {
            message.RawRepresentation = new AssistantChatMessage(completion);
        }

        return message;
    }

    /// <summary>The response body as the endpoint sent it (re-serialized from the completion, which keeps every field, raw arguments included).</summary>
    public static string Raw(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RawRepresentation is ChatCompletion completion
            ? ModelReaderWriter.Write(completion, ModelReaderWriterOptions.Json).ToString()
            : JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
    }
}

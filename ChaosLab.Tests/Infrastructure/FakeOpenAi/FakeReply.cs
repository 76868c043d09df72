using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Infrastructure.FakeOpenAi;

/// <summary>
/// What the fake server answers one request with: a completion (text and/or tool calls), an HTTP
/// error in OpenAI's error shape, or either after a delay. Built with the static factories.
/// </summary>
public abstract record FakeReply
{
    private FakeReply()
    {
    }

    /// <summary>One tool call; <paramref name="argumentsText"/> is sent exactly as given (malformed JSON included).</summary>
    public static FakeReply ToolCall(string name, string argumentsText, string? content = null) =>
        new Completion(content, [new FakeToolCall(name, argumentsText)]);

    /// <summary>Several tool calls in one reply.</summary>
    public static FakeReply ToolCalls(params FakeToolCall[] calls) => new Completion(null, calls);

    /// <summary>A reply with text only (no tool call), e.g. prose around a JSON action.</summary>
    public static FakeReply Text(string content) => new Completion(content, []);

    /// <summary>An error in OpenAI's shape: <c>{"error":{"message","type","code"}}</c>.</summary>
    public static FakeReply Error(int status, string message, string? code = null, TimeSpan? retryAfter = null) =>
        new Failure(status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = code ?? "invalid_request_error", ["code"] = code },
        }, retryAfter);

    /// <summary>429 with a Retry-After header in whole seconds.</summary>
    public static FakeReply RateLimited(TimeSpan retryAfter) => Error(429, "Rate limit reached; try again later.", "rate_limit_exceeded", retryAfter);

    public static FakeReply ServerError() => Error(500, "The server had an error while processing your request.", "server_error");

    public static FakeReply Unauthorized() => Error(401, "Incorrect API key provided.", "invalid_api_key");

    public static FakeReply Forbidden() => Error(403, "You are not allowed to use this model.", "permission_denied");

    public static FakeReply ModelNotFound(string model) => Error(404, $"The model `{model}` does not exist or you do not have access to it.", "model_not_found");

    /// <summary>What a server without tool calling says when offered tools (vLLM's wording).</summary>
    public static FakeReply ToolsNotSupported() => Error(400, "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set", "BadRequestError");

    /// <summary>This reply, sent only after <paramref name="delay"/> (longer than a client's timeout to make it time out).</summary>
    public FakeReply After(TimeSpan delay) => new Delayed(delay, this);

    /// <summary>A chat completion (finish_reason tool_calls when it has calls, else stop).</summary>
    public sealed record Completion(string? Content, IReadOnlyList<FakeToolCall> Calls) : FakeReply;

    public sealed record Failure(int Status, JsonObject Body, TimeSpan? RetryAfter) : FakeReply;

    public sealed record Delayed(TimeSpan Delay, FakeReply Reply) : FakeReply;
}

/// <param name="ArgumentsText">The <c>function.arguments</c> string, exactly as sent.</param>
public sealed record FakeToolCall(string Name, string ArgumentsText);

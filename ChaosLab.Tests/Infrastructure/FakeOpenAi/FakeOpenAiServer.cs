using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosLab.Tests.Infrastructure.FakeOpenAi;

/// <summary>
/// An OpenAI-compatible chat-completions server on a real loopback port (Kestrel), for tests that
/// must not need a model or the internet. <c>POST /v1/chat/completions</c> answers each request
/// with the next queued <see cref="FakeReply"/>, else with what <see cref="Policy"/> decides for it
/// (a deterministic "model" that can read the conversation), else with a 500 saying nothing was
/// scripted. Every request is recorded (body and headers) for assertions. Dispose stops it.
/// <code>
/// await using var server = await FakeOpenAiServer.StartAsync();
/// server.Enqueue(FakeReply.ToolCall("search_docs", """{"query":"refunds"}"""), FakeReply.RateLimited(TimeSpan.FromSeconds(2)));
/// server.Policy = request => request.ToolResultCount &lt; 2 ? FakeReply.ToolCall(...) : FakeReply.ToolCall("submit_answer", ...);
/// var profile = AgentProfiles.Parse(server.ProfileYaml("fake")).Get("fake");
/// </code>
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    /// <summary>The model name <see cref="ProfileYaml"/> writes.</summary>
    public const string DefaultModel = "fake-model";

    /// <summary>The <c>created</c> stamp of every completion, so replies are byte-identical run to run.</summary>
    private const long Created = 1_767_225_600;

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Queue<FakeReply> _queue = new();
    private readonly List<FakeChatRequest> _requests = [];
    private int _unscripted;

    private FakeOpenAiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Decides the reply when the queue is empty; null means "nothing scripted" (a 500).</summary>
    public Func<FakeChatRequest, FakeReply>? Policy { get; set; }

    /// <summary>The API base a profile's url points at, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public string ChatCompletionsUrl => BaseUrl + "/chat/completions";

    /// <summary>Every request so far, in order of arrival.</summary>
    public IReadOnlyList<FakeChatRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests that found neither a queued reply nor a policy (answered with a 500).</summary>
    public int Unscripted => Volatile.Read(ref _unscripted);

    public static async Task<FakeOpenAiServer> StartAsync(Func<FakeChatRequest, FakeReply>? policy = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.Logging.ClearProviders();
        var server = new FakeOpenAiServer(builder.Build()) { Policy = policy };
        server._app.MapPost("/v1/chat/completions", server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>Queues replies, answered in order before <see cref="Policy"/> is asked.</summary>
    public void Enqueue(params FakeReply[] replies)
    {
        lock (_lock)
        {
            foreach (var reply in replies)
            {
                _queue.Enqueue(reply);
            }
        }
    }

    /// <summary>
    /// A profile file with one profile for this server. With <paramref name="keyVariable"/> it sends
    /// <c>Authorization: Bearer ${VAR}</c>, else no credential.
    /// </summary>
    public string ProfileYaml(string name = "fake", string? keyVariable = null, double timeoutSeconds = 10, int retries = 0, string model = DefaultModel)
    {
        var lines = new List<string> { $"{name}:", "  parameters:", $"    url: \"{ChatCompletionsUrl}\"" };
        if (keyVariable is not null)
        {
            lines.Add("    headers:");
            lines.Add($"      Authorization: \"Bearer ${{{keyVariable}}}\"");
        }

        lines.AddRange(["    body:", $"      model: \"{model}\"", "      max_tokens: 512", "      temperature: 0.0"]);
        lines.Add($"    timeout_seconds: {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}");
        lines.Add($"    retries: {retries}");
        return string.Join('\n', lines) + "\n";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        FakeChatRequest request;
        FakeReply? reply;
        lock (_lock)
        {
            var body = JsonNode.Parse(text) as JsonObject ?? [];
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            request = new FakeChatRequest(_requests.Count, text, body, headers);
            _requests.Add(request);
            reply = _queue.TryDequeue(out var queued) ? queued : null;
        }

        reply ??= Policy?.Invoke(request);
        if (reply is null)
        {
            Interlocked.Increment(ref _unscripted);
            reply = FakeReply.Error(500, $"fake OpenAI server: nothing scripted for request {request.Index}", "unscripted");
        }

        await WriteAsync(context, request, reply);
    }

    private static async Task WriteAsync(HttpContext context, FakeChatRequest request, FakeReply reply)
    {
        switch (reply)
        {
            case FakeReply.Delayed delayed:
                try
                {
                    await Task.Delay(delayed.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // The client gave up (its timeout): nobody reads the reply.
                }

                await WriteAsync(context, request, delayed.Reply);
                return;
            case FakeReply.Failure failure:
                context.Response.StatusCode = failure.Status;
                if (failure.RetryAfter is { } wait)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsJsonAsync(failure.Body);
                return;
            case FakeReply.Completion completion:
                await context.Response.WriteAsJsonAsync(Completion(request, completion));
                return;
        }
    }

    private static JsonObject Completion(FakeChatRequest request, FakeReply.Completion completion)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = completion.Content };
        if (completion.Calls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. completion.Calls.Select((call, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{request.Index}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsText },
            })]);
        }

        var promptTokens = (request.BodyText.Length / 4) + 1;
        var completionTokens = (((completion.Content?.Length ?? 0) + completion.Calls.Sum(c => c.Name.Length + c.ArgumentsText.Length)) / 4) + 1;
        return new JsonObject
        {
            ["id"] = $"chatcmpl-fake-{request.Index}",
            ["object"] = "chat.completion",
            ["created"] = Created,
            ["model"] = request.Model ?? DefaultModel,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = completion.Calls.Count > 0 ? "tool_calls" : "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
        };
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Tests.Infrastructure.FakeOpenAi;

/// <summary>The fake server's own contract, over plain HTTP (other tests lean on it to script models).</summary>
public sealed class FakeOpenAiServerTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Post_QueuedThenPolicy_AnsweredInThatOrderInOpenAiShape()
    {
        _server.Enqueue(FakeReply.ToolCall("search", "{\"q\": oops"));
        _server.Policy = request => FakeReply.Text($"policy saw request {request.Index}");

        var first = await PostAsync();
        var second = await PostAsync();

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var message = first.Body["choices"]![0]!["message"]!;
        Assert.Equal("tool_calls", first.Body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("""[{"id":"call_0_0","type":"function","function":{"name":"search","arguments":"{\u0022q\u0022: oops"}}]""", message["tool_calls"]!.ToJsonString());
        Assert.Equal("policy saw request 1", second.Body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", second.Body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.True(second.Body["usage"]!["total_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Post_NothingScripted_500CountedAsUnscripted()
    {
        var reply = await PostAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("fake OpenAI server: nothing scripted for request 0", reply.Body["error"]!["message"]!.GetValue<string>());
        Assert.Equal(1, _server.Unscripted);
    }

    [Fact]
    public async Task Post_ErrorReply_StatusRetryAfterAndOpenAiErrorShape()
    {
        _server.Enqueue(FakeReply.RateLimited(TimeSpan.FromSeconds(2.5)));

        using var request = new HttpRequestMessage(HttpMethod.Post, _server.ChatCompletionsUrl) { Content = JsonContent.Create(new JsonObject { ["model"] = "m" }) };
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("rate_limit_exceeded", body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_Recorded_BodyAndHeaders()
    {
        _server.Enqueue(FakeReply.Text("ok"));
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.ChatCompletionsUrl)
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "m",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "tool", ["tool_call_id"] = "c", ["content"] = "result" }),
                ["tools"] = new JsonArray(new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "t" } }),
                ["tool_choice"] = "required",
            }),
        };
        request.Headers.Add("X-Probe", "yes");

        using var response = await Http.SendAsync(request);

        var recorded = Assert.Single(_server.Requests);
        Assert.Equal("yes", recorded.Header("x-probe"));
        Assert.Equal("m", recorded.Model);
        Assert.Equal(["t"], recorded.ToolNames);
        Assert.Equal("\"required\"", recorded.ToolChoice);
        Assert.Equal("result", recorded.LastToolResult);
        Assert.Equal(1, recorded.ToolResultCount);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync()
    {
        using var response = await Http.PostAsJsonAsync(_server.ChatCompletionsUrl, new JsonObject { ["model"] = "m", ["messages"] = new JsonArray() });
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }
}

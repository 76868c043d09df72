using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using ChaosLab.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// A bounded, seeded fuzzer over every OpenEnv transport: thousands of malformed and
/// valid-looking inputs (<see cref="MalformedInputs"/>) must never produce a 5xx, a reply in the
/// wrong shape, a missing or extra WebSocket reply, or a dead session. A failure names the seed
/// and the input; set <c>CHAOSLAB_FUZZ_SEED</c> to replay or explore another sequence.
/// </summary>
public sealed class ProtocolFuzzTests(ChaosLabAppFactory app, ITestOutputHelper output) : IClassFixture<ChaosLabAppFactory>
{
    private const int HttpRounds = 400;
    private const int SocketFrames = 1500;

    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("CHAOSLAB_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : 20260408;

    private static readonly string[] AllowedErrorCodes = ["INVALID_JSON", "UNKNOWN_TYPE", "VALIDATION_ERROR", "EXECUTION_ERROR"];
    private static readonly int[] JsonRpcCodes = [-32700, -32600, -32601, -32602, -32603, -32000];

    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task HttpRoutes_SeededMalformedInputs_NoServerErrorAndOpenEnvErrorShapes()
    {
        var inputs = new MalformedInputs(Seed);
        var watch = Stopwatch.StartNew();
        var sent = 0;
        var episode = await ResetAsync();
        var mcpSession = await InitializeMcpAsync();

        for (var round = 0; round < HttpRounds; round++)
        {
            var reset = inputs.ResetBody();
            CheckValidationShape(await PostAsync("/reset", reset), reset, "POST /reset");

            var step = inputs.StepBody(episode.Id, episode.Token);
            var stepReply = await PostAsync("/step", step);
            CheckValidationShape(stepReply, step, "POST /step");
            if (stepReply.Status == HttpStatusCode.OK && stepReply.Body!["done"]!.GetValue<bool>())
            {
                episode = await ResetAsync();
            }

            var query = inputs.StateQuery(episode.Id);
            using (var request = new HttpRequestMessage(HttpMethod.Get, "/state" + query))
            {
                request.Headers.TryAddWithoutValidation("X-Episode-Id", inputs.HeaderValue(episode.Id));
                request.Headers.TryAddWithoutValidation("X-Episode-Token", inputs.HeaderValue(episode.Token ?? ""));
                CheckValidationShape(await SendAsync(request), Encoding.UTF8.GetBytes(query), "GET /state");
            }

            var mcp = inputs.McpMessage();
            CheckJsonRpcReply(await PostAsync("/mcp", mcp, mcpSession), mcp);
            sent += 4;
        }

        await AssertHealthyAsync();
        output.WriteLine($"seed {Seed}: {sent} HTTP inputs in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task EpisodeSocket_SeededMalformedFrames_OneReplyEachAndSessionSurvives()
    {
        var inputs = new MalformedInputs(Seed + 1);
        var watch = Stopwatch.StartNew();
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var started = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 5 } });
        Assert.Equal("observation", started["type"]!.GetValue<string>());

        for (var i = 0; i < SocketFrames; i++)
        {
            var frame = inputs.EpisodeFrame();
            await SendFrameAsync(client, frame);
            var reply = await client.ReceiveRawAsync() ?? throw Failure("the server closed /ws", frame, $"{client.CloseStatus}");
            var parsed = ParseObject(reply, frame);
            var type = parsed["type"]?.GetValue<string>();
            Expect(type is "observation" or "state" or "mcp" or "error", frame, reply);
            if (type == "error")
            {
                Expect(AllowedErrorCodes.Contains(parsed["data"]?["code"]?.GetValue<string>()), frame, reply);
                Expect(parsed["data"]!["message"]?.GetValue<string>() is { Length: > 0 }, frame, reply);
            }

            if (type == "observation" && parsed["data"]!["done"]!.GetValue<bool>())
            {
                // Keep an episode running, so bad frames keep landing on a live one.
                Assert.Equal("observation", (await client.RequestAsync(new JsonObject { ["type"] = "reset" }))["type"]!.GetValue<string>());
            }
        }

        // Exactly one reply per frame: an extra or missing reply would shift these answers.
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });
        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 9 } });
        var step = await client.RequestAsync(new JsonObject
        {
            ["type"] = "step",
            ["data"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = "calculator", ["arguments"] = new JsonObject { ["expression"] = "6*7" } },
        });

        Assert.Equal("state", state["type"]!.GetValue<string>());
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        Assert.Equal("observation", step["type"]!.GetValue<string>());
        Assert.Equal(1, step["data"]!["observation"]!["step"]!.GetValue<int>());
        Assert.Equal(WebSocketState.Open, client.State);
        await AssertHealthyAsync();
        output.WriteLine($"seed {Seed + 1}: {SocketFrames} /ws frames in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task McpSocket_SeededMalformedMessages_AtMostOneReplyEachAndSocketStaysOpen()
    {
        var inputs = new MalformedInputs(Seed + 2);
        var watch = Stopwatch.StartNew();
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/mcp"));

        for (var i = 0; i < SocketFrames; i++)
        {
            var message = inputs.McpMessage();
            await SendFrameAsync(client, message);
            // A notification gets no reply, so a ping with a known id marks where this message's replies end.
            var probeId = $"probe-{i}";
            await client.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = probeId, ["method"] = "ping" });
            var replies = new List<string>();
            while (true)
            {
                var reply = await client.ReceiveRawAsync() ?? throw Failure("the server closed WS /mcp", message, $"{client.CloseStatus}");
                if (ParseObject(reply, message)["id"]?.ToJsonString() == $"\"{probeId}\"")
                {
                    break;
                }

                CheckJsonRpcBody(ParseObject(reply, message), message, reply);
                replies.Add(reply);
            }

            Expect(replies.Count <= 1, message, string.Join('\n', replies));
            Expect(replies.Count == 1 || !Encoding.UTF8.GetString(message).Contains("\"id\"", StringComparison.Ordinal), message, "a request with an id got no reply");
        }

        var list = await client.RequestAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "tools/list" });
        Assert.Equal(30, list["result"]!["tools"]!.AsArray().Count);
        Assert.Equal(WebSocketState.Open, client.State);
        await AssertHealthyAsync();
        output.WriteLine($"seed {Seed + 2}: {SocketFrames} WS /mcp messages in {watch.ElapsedMilliseconds} ms");
    }

    // RFC 6455 requires a text frame to be valid UTF-8 (a server must fail the connection
    // otherwise), so broken bytes travel as a binary frame, which the server reads as JSON too.
    private static Task SendFrameAsync(WireClient client, byte[] payload) =>
        client.SendBytesAsync(payload, Utf8.IsValid(payload) ? WebSocketMessageType.Text : WebSocketMessageType.Binary);

    private async Task<(string Id, string? Token)> ResetAsync()
    {
        var reply = await PostAsync("/reset", Encoding.UTF8.GetBytes("""{"agent":"fuzzer"}"""));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return (reply.Body!["episode_id"]!.GetValue<string>(), reply.Body["episode_token"]?.GetValue<string>());
    }

    private async Task<string> InitializeMcpAsync()
    {
        using var content = new StringContent("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}""", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/mcp", UriKind.Relative), content);
        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    private async Task<HttpReply> PostAsync(string path, byte[] body, string? mcpSession = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (mcpSession is not null)
        {
            request.Headers.Add("Mcp-Session-Id", mcpSession);
        }

        return await SendAsync(request);
    }

    private async Task<HttpReply> SendAsync(HttpRequestMessage request)
    {
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Left null: the checks report a body that is not a JSON object.
        }

        return new HttpReply(response.StatusCode, text, body);
    }

    /// <summary>200 with a JSON object, or an error with OpenEnv's <c>detail</c> (an issue list on 422).</summary>
    private static void CheckValidationShape(HttpReply reply, byte[] input, string route)
    {
        var status = (int)reply.Status;
        Expect(status < 500, input, $"{route}: {status} {reply.Text}");
        Expect(reply.Body is not null, input, $"{route}: {status} with a body that is not a JSON object: {reply.Text}");
        if (reply.Status == HttpStatusCode.OK)
        {
            Expect(route == "GET /state" || reply.Body!["observation"] is JsonObject, input, $"{route}: {reply.Text}");
            return;
        }

        Expect(reply.Body!["detail"] is not null, input, $"{route}: {status} without detail: {reply.Text}");
        if (reply.Status == HttpStatusCode.UnprocessableEntity)
        {
            var issues = reply.Body["detail"] as JsonArray;
            Expect(issues is { Count: > 0 } && issues.All(i => i?["type"] is JsonValue && i["loc"] is JsonArray && i["msg"] is JsonValue), input, $"{route}: {reply.Text}");
        }
    }

    private static void CheckJsonRpcReply(HttpReply reply, byte[] input)
    {
        // A notification is accepted with no body; everything else is a JSON-RPC reply on 200.
        if (reply.Status == HttpStatusCode.Accepted)
        {
            Expect(reply.Text.Length == 0, input, $"POST /mcp: 202 with a body: {reply.Text}");
            return;
        }

        Expect(reply.Status == HttpStatusCode.OK && reply.Body is not null, input, $"POST /mcp: {(int)reply.Status} {reply.Text}");
        CheckJsonRpcBody(reply.Body!, input, reply.Text);
    }

    private static void CheckJsonRpcBody(JsonObject body, byte[] input, string text)
    {
        Expect(body["jsonrpc"]?.GetValue<string>() == "2.0" && body.ContainsKey("id"), input, text);
        Expect(body.ContainsKey("result") != body.ContainsKey("error"), input, text);
        if (body["error"] is JsonObject error)
        {
            Expect(JsonRpcCodes.Contains(error["code"]!.GetValue<int>()) && error["message"] is JsonValue, input, text);
        }
    }

    private async Task AssertHealthyAsync()
    {
        using var response = await _client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal("healthy", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]);
    }

    private static JsonObject ParseObject(string reply, byte[] input)
    {
        try
        {
            return JsonNode.Parse(reply) as JsonObject ?? throw Failure("a reply that is not a JSON object", input, reply);
        }
        catch (JsonException)
        {
            throw Failure("a reply that is not JSON", input, reply);
        }
    }

    private static void Expect(bool condition, byte[] input, string reply)
    {
        if (!condition)
        {
            throw Failure("an unexpected reply", input, reply);
        }
    }

    private static Xunit.Sdk.XunitException Failure(string what, byte[] input, string reply) =>
        new($"Fuzz seed {Seed}: {what}.\nInput ({input.Length} bytes): {Printable(input)}\nReply: {Shorten(reply)}");

    /// <summary>The input with non-printable and non-ASCII bytes as \xNN, cut to a readable length.</summary>
    private static string Printable(byte[] input)
    {
        var builder = new StringBuilder();
        foreach (var b in input.Take(2000))
        {
            builder.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        }

        return input.Length > 2000 ? builder + $"... (+{input.Length - 2000} bytes)" : builder.ToString();
    }

    private static string Shorten(string text) => text.Length > 2000 ? text[..2000] + "..." : text;

    private sealed record HttpReply(HttpStatusCode Status, string Text, JsonObject? Body);
}

using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>A server that holds at most two sessions.</summary>
public sealed class TwoSessionAppFactory() : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:MaxSessions"] = "2" });

/// <summary>A server that closes sessions idle for one second.</summary>
public sealed class QuickReapAppFactory() : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:SessionIdleTimeout"] = "00:00:01" });

public sealed class CapacityTests(TwoSessionAppFactory app) : IClassFixture<TwoSessionAppFactory>
{
    // One test touches the shared two-slot server at a time: the tests count slots.
    private static readonly SemaphoreSlim Serial = new(1, 1);

    [Fact]
    public async Task WebSocket_AtCapacity_CapacityReachedFrameThenClose1000()
    {
        await Serial.WaitAsync();
        try
        {
            await using var first = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
            await using var second = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
            await first.RequestAsync(new JsonObject { ["type"] = "reset" });
            await second.RequestAsync(new JsonObject { ["type"] = "reset" });

            await using var third = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
            var frame = await third.ReceiveAsync();
            var close = await third.ReceiveCloseAsync();

            Assert.Equal("error", frame["type"]!.GetValue<string>());
            Assert.Equal("CAPACITY_REACHED", frame["data"]!["code"]!.GetValue<string>());
            Assert.Equal("Server at capacity: 2/2 sessions active. Cannot accept new connections.", frame["data"]!["message"]!.GetValue<string>());
            Assert.Equal(2, frame["data"]!["active_sessions"]!.GetValue<int>());
            Assert.Equal(2, frame["data"]!["max_sessions"]!.GetValue<int>());
            Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
            Assert.Equal("state", (await first.RequestAsync(new JsonObject { ["type"] = "state" }))["type"]!.GetValue<string>());
        }
        finally
        {
            Serial.Release();
        }
    }

    [Fact]
    public async Task Sessions_CountedAcrossWebSocketHttpAndMcp()
    {
        await Serial.WaitAsync();
        try
        {
            using var client = app.CreateHttpClient();
            await using var socket = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
            await socket.RequestAsync(new JsonObject { ["type"] = "reset" });
            var token = await ResetAsync(client, HttpStatusCode.OK);

            using var mcp = await client.PostAsync(new Uri("/mcp", UriKind.Relative),
                new StringContent("""{"jsonrpc":"2.0","method":"openenv/session/create","id":1}""", Encoding.UTF8, "application/json"));
            var mcpReply = (await mcp.Content.ReadFromJsonAsync<JsonObject>())!;
            await ResetAsync(client, HttpStatusCode.ServiceUnavailable);

            // Ending the HTTP episode gives its slot back at once.
            using var submit = await client.PostAsync(new Uri("/step", UriKind.Relative), new StringContent(
                $$$"""{"action":{"type":"submit_answer","answer":"no idea"},"episode_token":"{{{token}}}"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
            var next = await ResetAsync(client, HttpStatusCode.OK);

            Assert.Equal(-32000, mcpReply["error"]!["code"]!.GetValue<int>());
            await EndAsync(client, next);
        }
        finally
        {
            Serial.Release();
        }
    }

    [Fact]
    public void MaxSessions_FromOpenEnvVariable_UsedUnlessChaosLabSettingGiven()
    {
        Assert.Equal(7, Configure(new() { ["MAX_CONCURRENT_ENVS"] = "7" }).MaxSessions);
        Assert.Equal(3, Configure(new() { ["MAX_CONCURRENT_ENVS"] = "7", ["ChaosLab:MaxSessions"] = "3" }).MaxSessions);
        Assert.Equal(new OpenEnvOptions().MaxSessions, Configure([]).MaxSessions);
    }

    private static OpenEnvOptions Configure(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOpenEnv();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<OpenEnvOptions>>().Value;
    }

    private static async Task<string?> ResetAsync(HttpClient client, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(new Uri("/reset", UriKind.Relative), null);
        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (expected != HttpStatusCode.OK)
        {
            Assert.Contains("capacity", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            return null;
        }

        return body!["episode_token"]!.GetValue<string>();
    }

    private static async Task EndAsync(HttpClient client, string? token)
    {
        using var _ = await client.PostAsync(new Uri("/step", UriKind.Relative), new StringContent(
            $$$"""{"action":{"type":"submit_answer","answer":"-"},"episode_token":"{{{token}}}"}""", Encoding.UTF8, "application/json"));
    }
}

public sealed class ReapingTests(QuickReapAppFactory app) : IClassFixture<QuickReapAppFactory>
{
    [Fact]
    public async Task IdleSessions_AfterTimeout_SocketToldThenClosedAndHttpEpisodeGone()
    {
        using var client = app.CreateHttpClient();
        using var reset = await client.PostAsync(new Uri("/reset", UriKind.Relative), null);
        var token = (await reset.Content.ReadFromJsonAsync<JsonObject>())!["episode_token"]!.GetValue<string>();
        await using var socket = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        await socket.RequestAsync(new JsonObject { ["type"] = "reset" });

        // The next frame is the server's own: the idle session is reaped, not answered.
        var frame = await socket.ReceiveAsync();
        var close = await socket.ReceiveCloseAsync();
        using var step = await client.PostAsync(new Uri("/step", UriKind.Relative), new StringContent(
            $$$"""{"action":{"type":"list_tools"},"episode_token":"{{{token}}}"}""", Encoding.UTF8, "application/json"));

        Assert.Equal("SESSION_ERROR", frame["data"]!["code"]!.GetValue<string>());
        Assert.Contains("idle", frame["data"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        Assert.Equal(HttpStatusCode.Forbidden, step.StatusCode);
    }
}

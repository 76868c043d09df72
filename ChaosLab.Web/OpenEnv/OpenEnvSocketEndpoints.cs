using System.Net.WebSockets;
using System.Text.Json;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.OpenEnv.Mcp;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// <c>WS /ws</c> (OpenEnv's episode channel) and <c>WS /mcp</c> (MCP JSON-RPC over a socket).
/// One connection is one session, counted against capacity.
/// </summary>
public static class OpenEnvSocketEndpoints
{
    public static IEndpointRouteBuilder MapOpenEnvSockets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ws", AcceptEpisodeSocketAsync)
            .ServedAtRoot()
            .WithName("EpisodeSocket")
            .WithSummary("OpenEnv WebSocket: reset/step/state/close/mcp frames, one reply per frame.")
            .ExcludeFromDescription();
        endpoints.MapGet("/mcp", AcceptMcpSocketAsync)
            .ServedAtRoot()
            .WithName("McpSocket")
            .WithSummary("MCP JSON-RPC 2.0 over a WebSocket; the connection is one session.")
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task AcceptEpisodeSocketAsync(HttpContext context, EnvironmentGateway gateway, McpDispatcher mcp, IOptions<OpenEnvOptions> options, ILogger<EpisodeSocket> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RequireUpgradeAsync(context);
            return;
        }

        using var socket = await AcceptAsync(context, options.Value);
        await new EpisodeSocket(socket, gateway, mcp, options.Value, logger).RunAsync(context.RequestAborted);
    }

    private static async Task AcceptMcpSocketAsync(HttpContext context, EnvironmentGateway gateway, McpDispatcher mcp, IOptions<OpenEnvOptions> options)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RequireUpgradeAsync(context);
            return;
        }

        using var socket = await AcceptAsync(context, options.Value);
        using var messages = new SocketMessages(socket, options.Value.MaxMessageBytes);
        var session = gateway.Sessions.TryOpen(ClientKinds.Mcp, gateway.DefaultSuite, SessionLifetime.Socket);
        if (session is null)
        {
            await messages.SendAsync(JsonSerializer.SerializeToUtf8Bytes(
                JsonRpc.Error(null, JsonRpc.Capacity, gateway.Sessions.CapacityMessage), WebJsonContext.Wire.JsonObject), context.RequestAborted);
            await messages.CloseAsync("capacity reached");
            return;
        }

        var mcpContext = new McpContext { Session = session };
        try
        {
            while (true)
            {
                var receive = messages.ReceiveAsync(context.RequestAborted);
                if (!receive.IsCompleted && await Task.WhenAny(receive, session.Expired) != receive)
                {
                    await messages.CloseAsync("idle timeout");
                    return;
                }

                var message = await receive;
                if (message.Kind == SocketMessageKind.Closed)
                {
                    await messages.CloseAsync("bye");
                    return;
                }

                var reply = message.Kind == SocketMessageKind.TooLarge
                    ? JsonRpc.Error(null, JsonRpc.InvalidRequest, $"Message exceeds {options.Value.MaxMessageBytes} bytes.")
                    : await McpHttpEndpoints.DispatchAsync(mcp, message.Payload, mcpContext, context.RequestAborted);
                if (reply is not null)
                {
                    await messages.SendAsync(JsonSerializer.SerializeToUtf8Bytes(reply, WebJsonContext.Wire.JsonObject), context.RequestAborted);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away; its session is closed below.
        }
        finally
        {
            await gateway.Sessions.CloseAsync(session, "client disconnected");
        }
    }

    // A keep-alive timeout turns ASP.NET's keep-alive from unsolicited Pongs (which prove nothing)
    // into Pings that the peer must answer, so a dead peer is detected and its session freed.
    private static Task<WebSocket> AcceptAsync(HttpContext context, OpenEnvOptions options) =>
        context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.WebSocketKeepAliveInterval,
            KeepAliveTimeout = options.WebSocketKeepAliveTimeout,
        });

    private static Task RequireUpgradeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        context.Response.Headers.Upgrade = "websocket";
        return context.Response.WriteAsJsonAsync(new DetailMessage("This endpoint speaks WebSocket: connect with ws:// (or wss://)."), WebJsonContext.Wire.DetailMessage);
    }
}

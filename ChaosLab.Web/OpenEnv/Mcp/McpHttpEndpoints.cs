using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv.Mcp;

/// <summary>
/// <c>POST /mcp</c>: JSON-RPC 2.0, always HTTP 200 with a JSON-RPC reply (202 with no body for
/// notifications, as MCP's HTTP transport expects). Sessions come from
/// <c>openenv/session/create</c> or from the <c>Mcp-Session-Id</c> header set by <c>initialize</c>.
/// </summary>
public static class McpHttpEndpoints
{
    public const string SessionHeader = "Mcp-Session-Id";

    public static IEndpointRouteBuilder MapMcpHttp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/mcp", HandleAsync)
            .ServedAtRoot()
            .WithTags("OpenEnv")
            .WithName("Mcp")
            .WithSummary("MCP JSON-RPC 2.0: initialize, tools/list, tools/call, openenv/session/create|close.")
            .Accepts<JsonObject>("application/json")
            .Produces<JsonObject>();
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, McpDispatcher dispatcher, SessionRegistry sessions, IOptions<OpenEnvOptions> options)
    {
        var (document, issue) = await JsonBody.ReadAsync(context.Request, options.Value.MaxMessageBytes, context.RequestAborted);
        using (document)
        {
            JsonObject? reply;
            if (issue is not null || document is null)
            {
                reply = JsonRpc.Error(null, JsonRpc.ParseError, issue?.Msg ?? "Parse error: the body is empty.");
            }
            else if (context.Request.Headers[SessionHeader].ToString() is { Length: > 0 } sessionId && sessions.HeldElsewhere(sessionId) is { } holder)
            {
                // The session lives in another replica's process: say which, as /step does.
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                context.Response.Headers[OpenEnvHttpEndpoints.ReplicaHeader] = holder;
                await context.Response.WriteAsJsonAsync(
                    JsonRpc.Error(null, JsonRpc.InvalidRequest, $"This MCP session is held by replica '{holder}', not this one: send its requests there (a load balancer routes by the {SessionHeader} prefix, the text before the last '.')."),
                    WebJsonContext.Wire.JsonObject,
                    cancellationToken: context.RequestAborted);
                return;
            }
            else
            {
                var mcpContext = new McpContext
                {
                    Session = context.Request.Headers[SessionHeader].ToString() is { Length: > 0 } id ? sessions.Find(id) : null,
                    AssignSession = session => context.Response.Headers[SessionHeader] = session.Id,
                };
                reply = await dispatcher.HandleAsync(document.RootElement, mcpContext, context.RequestAborted);
            }

            if (reply is null)
            {
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsJsonAsync(reply, WebJsonContext.Wire.JsonObject, cancellationToken: context.RequestAborted);
        }
    }

    /// <summary>Parses one JSON-RPC message and dispatches it (parse errors answered as -32700).</summary>
    internal static async Task<JsonObject?> DispatchAsync(McpDispatcher dispatcher, ReadOnlyMemory<byte> payload, McpContext context, CancellationToken cancellationToken)
    {
        if (!StrictJson.TryParse(payload, out var document, out var error))
        {
            return JsonRpc.Error(null, JsonRpc.ParseError, $"Parse error: {error}");
        }

        using (document)
        {
            return await dispatcher.HandleAsync(document.RootElement, context, cancellationToken);
        }
    }
}

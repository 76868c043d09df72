using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Web.OpenEnv.Sessions;
using ChaosLab.Web.Services;

namespace ChaosLab.Web.OpenEnv.Mcp;

/// <summary>
/// JSON-RPC 2.0 for MCP clients and OpenEnv's MCP extension: <c>initialize</c>, <c>ping</c>,
/// <c>tools/list</c>, <c>tools/call</c>, <c>openenv/session/create|close</c>. The same dispatcher
/// serves <c>POST /mcp</c>, <c>WS /mcp</c> and <c>mcp</c> frames inside <c>/ws</c>.
/// </summary>
public sealed class McpDispatcher(EnvironmentGateway gateway, ServerInfo server)
{
    /// <summary>MCP protocol revisions this server speaks, newest first.</summary>
    public static IReadOnlyList<string> ProtocolVersions { get; } = ["2025-06-18", "2025-03-26", "2024-11-05"];

    /// <returns>The reply, or null for a notification (which gets none).</returns>
    public async Task<JsonObject?> HandleAsync(JsonElement message, McpContext context, CancellationToken cancellationToken)
    {
        var id = JsonRpc.ReadId(message);
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0"
            || !message.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return JsonRpc.Error(id, JsonRpc.InvalidRequest, "Invalid Request: expected {\"jsonrpc\":\"2.0\",\"method\":...,\"id\":...}.");
        }

        var isNotification = !message.TryGetProperty("id", out _);
        var parameters = message.TryGetProperty("params", out var p) ? p : default;
        if (parameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams, "Invalid params: 'params' must be an object.");
        }

        var method = methodElement.GetString()!;
        if (isNotification)
        {
            // notifications/initialized, notifications/cancelled, ...: nothing to answer.
            return null;
        }

        return method switch
        {
            "initialize" => await InitializeAsync(id, parameters, context, cancellationToken),
            "ping" => JsonRpc.Result(id, new JsonObject()),
            "tools/list" => ListTools(id, parameters, context),
            "tools/call" => await CallToolAsync(id, parameters, context, cancellationToken),
            "openenv/session/create" => await CreateSessionAsync(id, parameters, cancellationToken),
            "openenv/session/close" => await CloseSessionAsync(id, parameters),
            _ => JsonRpc.Error(id, JsonRpc.MethodNotFound, $"Method not found: '{method}'."),
        };
    }

    private async Task<JsonObject> InitializeAsync(JsonNode? id, JsonElement parameters, McpContext context, CancellationToken cancellationToken)
    {
        var requested = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
        var protocolVersion = requested is not null && ProtocolVersions.Contains(requested) ? requested : ProtocolVersions[0];

        // The episode starts here rather than on the first call, so the client reads its question
        // in the instructions before it spends a step; its clientInfo.name labels the episode.
        using var reset = ResetParameters(gateway.AgentLabel(ClientName(parameters)));
        EpisodeLaunch? launch = null;
        if (context.Session is null && context.AssignSession is not null)
        {
            // Standard MCP clients over HTTP keep their session through the Mcp-Session-Id header.
            launch = await gateway.StartAsync(reset.RootElement, ClientKinds.Mcp, SessionLifetime.UntilClosed, cancellationToken);
            if (launch is { Started: true, Session: { } session })
            {
                context.AssignSession(session);
            }
        }
        else if (context.Session is { ClientKind: ClientKinds.Mcp, Episode: null } socketSession)
        {
            // WS /mcp: the connection is the session; its one episode starts now.
            launch = await gateway.StartAsync(reset.RootElement, socketSession, cancellationToken);
        }

        if (launch is { Started: false })
        {
            return JsonRpc.Error(id, ErrorCode(launch), launch.Message);
        }

        return JsonRpc.Result(id, new JsonObject
        {
            ["protocolVersion"] = protocolVersion,
            ["capabilities"] = new JsonObject { ["tools"] = new JsonObject { ["listChanged"] = false } },
            ["serverInfo"] = new JsonObject { ["name"] = "chaoslab", ["version"] = server.Version },
            ["instructions"] = Instructions((launch?.Session ?? context.Session)?.Episode),
        });
    }

    /// <summary>What MCP clients show the model: the episode's question first, then how to play.</summary>
    internal static string Instructions(EpisodeInfo? episode)
    {
        const string HowToPlay = "Each tools/call is one step of this ChaosLab episode; finish with the submit_answer tool, " +
            "which ends the episode. Tools are unreliable on purpose: recover, and verify.";
        return episode?.Prompt is { Length: > 0 } prompt
            ? $"Question (episode {episode.EpisodeId}): {prompt}\n\n{HowToPlay}"
            : HowToPlay;
    }

    private static string? ClientName(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object
        && parameters.TryGetProperty("clientInfo", out var client) && client.ValueKind == JsonValueKind.Object
        && client.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private static JsonDocument ResetParameters(string agent) =>
        JsonSerializer.SerializeToDocument(new JsonObject { ["agent"] = agent }, WebJsonContext.Wire.JsonObject);

    /// <summary>The tools of the session's suite: the connection's, the one named by <c>session_id</c>, else the default suite's.</summary>
    private JsonObject ListTools(JsonNode? id, JsonElement parameters, McpContext context)
    {
        var named = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("session_id", out var sessionId) && sessionId.ValueKind == JsonValueKind.String
            ? gateway.Sessions.Find(sessionId.GetString()!)
            : null;
        var suite = named?.Suite ?? context.Session?.Suite ?? gateway.DefaultSuite;
        var tools = new JsonArray();
        foreach (var tool in AgentAction.ToolsOf(suite))
        {
            tools.Add(new JsonObject
            {
                ["name"] = tool.Name,
                ["description"] = tool.Description,
                ["inputSchema"] = tool.InputSchema.DeepClone(),
            });
        }

        return JsonRpc.Result(id, new JsonObject { ["tools"] = tools });
    }

    private async Task<JsonObject> CallToolAsync(JsonNode? id, JsonElement parameters, McpContext context, CancellationToken cancellationToken)
    {
        if (parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams, "Invalid params: tools/call needs {\"name\": string, \"arguments\": object}.");
        }

        var arguments = parameters.TryGetProperty("arguments", out var a) ? a : default;
        if (arguments.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams, "Invalid params: 'arguments' must be an object.");
        }

        var session = context.Session;
        if (parameters.TryGetProperty("session_id", out var sessionId) && sessionId.ValueKind == JsonValueKind.String)
        {
            session = gateway.Sessions.Find(sessionId.GetString()!);
            if (session is null)
            {
                return JsonRpc.Error(id, JsonRpc.InvalidParams, $"Unknown or closed session '{sessionId.GetString()}'.");
            }
        }

        if (session is null)
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams,
                "tools/call needs a session: call openenv/session/create and pass its session_id, send the Mcp-Session-Id header from initialize, or use WS /mcp.");
        }

        if (session.Episode is { } ended && !session.EpisodeRunning)
        {
            // Starting another episode here would record this call on an episode the client
            // never asked for (and under whatever label the session started with).
            return JsonRpc.Error(id, JsonRpc.InvalidRequest,
                $"Episode {ended.EpisodeId} is over (submit_answer ends it, as does the step limit). Start a new episode: " +
                "initialize again without an Mcp-Session-Id (a new session), call openenv/session/create, open a new WS /mcp connection, " +
                "or, inside /ws, send a reset frame.");
        }

        if (!session.EpisodeRunning)
        {
            var launch = await gateway.StartAsync(default, session, cancellationToken);
            if (!launch.Started)
            {
                return JsonRpc.Error(id, JsonRpc.InvalidParams, "The episode could not be started.", ToJson(launch.Reset.Errors));
            }
        }

        var action = AgentAction.FromToolCall(
            session.Suite,
            name.GetString()!,
            arguments.ValueKind == JsonValueKind.Object ? JsonNode.Parse(arguments.GetRawText())!.AsObject() : []).ToJson();
        using var actionDocument = JsonSerializer.SerializeToDocument(action, WebJsonContext.Wire.JsonObject);
        var result = await session.StepAsync(actionDocument.RootElement, cancellationToken);
        if (!result.Succeeded)
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams, result.Errors[0].Message, ToJson(result.Errors));
        }

        return JsonRpc.Result(id, ToolResult(StepResponse.From(result.Value!, session.Episode?.EpisodeId), result.Value!.Record.Error is not null));
    }

    private async Task<JsonObject> CreateSessionAsync(JsonNode? id, JsonElement parameters, CancellationToken cancellationToken)
    {
        var launch = await gateway.StartAsync(parameters, ClientKinds.Mcp, SessionLifetime.UntilClosed, cancellationToken);
        if (launch is not { Started: true, Session: { } session })
        {
            return JsonRpc.Error(id, ErrorCode(launch), launch.Message, launch.ServerFull ? null : ToJson(launch.Reset.Errors));
        }

        var reset = launch.Reset.Value!;
        return JsonRpc.Result(id, new JsonObject
        {
            ["session_id"] = session.Id,
            ["episode_id"] = session.Episode?.EpisodeId,
            ["observation"] = reset.Observation.DeepClone(),
            ["reward"] = reset.Reward,
            ["done"] = reset.Done,
        });
    }

    private async Task<JsonObject> CloseSessionAsync(JsonNode? id, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("session_id", out var sessionId) || sessionId.ValueKind != JsonValueKind.String)
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams, "Invalid params: openenv/session/close needs {\"session_id\": string}.");
        }

        if (gateway.Sessions.Find(sessionId.GetString()!) is not { ClientKind: ClientKinds.Mcp } session)
        {
            return JsonRpc.Error(id, JsonRpc.InvalidParams, $"Unknown or closed session '{sessionId.GetString()}'.");
        }

        await gateway.Sessions.CloseAsync(session, "closed by the client");
        return JsonRpc.Result(id, new JsonObject { ["session_id"] = session.Id, ["closed"] = true });
    }

    private static int ErrorCode(EpisodeLaunch launch) => launch.ServerFull ? JsonRpc.Capacity : JsonRpc.InvalidParams;

    /// <param name="isError">The step failed as the agent sees it (the record's error, whatever the suite's observation looks like).</param>
    private static JsonObject ToolResult(StepResponse step, bool isError)
    {
        var structured = JsonSerializer.SerializeToNode(step, WebJsonContext.Wire.StepResponse)!.AsObject();
        return new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject
            {
                ["type"] = "text",
                ["text"] = step.Observation.ToJsonString(),
            }),
            ["structuredContent"] = structured,
            ["isError"] = isError,
        };
    }

    private static JsonArray ToJson(IReadOnlyList<ValidationError> errors) =>
        JsonSerializer.SerializeToNode(ValidationIssue.From(errors), WebJsonContext.Wire.IReadOnlyListValidationIssue)!.AsArray();
}

/// <summary>Who is calling: a session bound to the transport (WebSocket), or a way to bind one (HTTP header).</summary>
public sealed class McpContext
{
    public HostedSession? Session { get; set; }

    /// <summary>Set by HTTP transports: remembers a session created by <c>initialize</c>.</summary>
    public Action<HostedSession>? AssignSession { get; init; }
}

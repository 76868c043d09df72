using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChaosLab.Core.Environment;
using ChaosLab.Web.OpenEnv.Mcp;
using ChaosLab.Web.OpenEnv.Sessions;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// One OpenEnv <c>/ws</c> connection: exactly one reply per frame, in order. A bad frame gets an
/// error frame and the session carries on; only capacity, factory and session errors close it.
/// </summary>
internal sealed partial class EpisodeSocket(WebSocket socket, EnvironmentGateway gateway, McpDispatcher mcp, OpenEnvOptions options, ILogger<EpisodeSocket> logger)
{
    private static readonly IReadOnlyList<string> FrameTypes = ["reset", "step", "state", "close", "mcp"];

    public async Task RunAsync(CancellationToken aborted)
    {
        using var messages = new SocketMessages(socket, options.MaxMessageBytes);
        HostedSession? session;
        try
        {
            session = gateway.Sessions.TryOpen(ClientKinds.WebSocket, gateway.DefaultSuite, SessionLifetime.Socket);
        }
        catch (Exception ex)
        {
            LogFactoryFailed(logger, ex);
            await SendErrorAsync(messages, new ErrorFrameData($"The environment could not be created: {ex.Message}", WsErrorCodes.FactoryError), aborted);
            await messages.CloseAsync("factory error");
            return;
        }

        if (session is null)
        {
            await SendErrorAsync(messages, new ErrorFrameData(gateway.Sessions.CapacityMessage, WsErrorCodes.CapacityReached,
                ActiveSessions: gateway.Sessions.ActiveSessions, MaxSessions: gateway.Sessions.MaxSessions), aborted);
            await messages.CloseAsync("capacity reached");
            return;
        }

        try
        {
            await ServeAsync(session, messages, aborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away mid-frame.
        }
        finally
        {
            await gateway.Sessions.CloseAsync(session, "client disconnected");
        }
    }

    private async Task ServeAsync(HostedSession session, SocketMessages messages, CancellationToken aborted)
    {
        var mcpContext = new McpContext { Session = session };
        while (true)
        {
            var receive = messages.ReceiveAsync(aborted);
            if (!receive.IsCompleted && await Task.WhenAny(receive, session.Expired) != receive)
            {
                await SendErrorAsync(messages, new ErrorFrameData(
                    $"Session closed after being idle for {options.SessionIdleTimeout}.", WsErrorCodes.SessionError), aborted);
                await messages.CloseAsync("idle timeout");
                return;
            }

            var message = await receive;
            switch (message.Kind)
            {
                case SocketMessageKind.Closed:
                    await messages.CloseAsync("bye");
                    return;
                case SocketMessageKind.TooLarge:
                    await SendErrorAsync(messages, new ErrorFrameData(
                        $"Frame exceeds the limit of {options.MaxMessageBytes} bytes (ChaosLab:MaxMessageBytes).", WsErrorCodes.ValidationError, Errors: []), aborted);
                    continue;
            }

            if (!await HandleFrameAsync(session, message.Payload, messages, mcpContext, aborted))
            {
                return;
            }
        }
    }

    /// <returns>False when the frame closed the session.</returns>
    private async Task<bool> HandleFrameAsync(HostedSession session, ReadOnlyMemory<byte> payload, SocketMessages messages, McpContext mcpContext, CancellationToken aborted)
    {
        if (!StrictJson.TryParse(payload, out var document, out var parseError))
        {
            await SendErrorAsync(messages, new ErrorFrameData($"Invalid JSON: {parseError}", WsErrorCodes.InvalidJson), aborted);
            return true;
        }

        using (document)
        {
            var frame = document.RootElement;
            if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                await SendErrorAsync(messages, Invalid("A frame is a JSON object with a string 'type'.",
                    [new ValidationIssue("missing", ["type"], "Field required", FrameTypes)]), aborted);
                return true;
            }

            var data = frame.TryGetProperty("data", out var d) ? d : default;
            try
            {
                switch (typeElement.GetString())
                {
                    case "reset":
                        await ResetAsync(session, data, messages, aborted);
                        return true;
                    case "step":
                        await StepAsync(session, data, messages, aborted);
                        return true;
                    case "state":
                        await SendAsync(messages, new StateFrame(await session.GetStateAsync(aborted)), WebJsonContext.Wire.StateFrame, aborted);
                        return true;
                    case "close":
                        await messages.CloseAsync("closed by the client");
                        return false;
                    case "mcp":
                        var reply = await mcp.HandleAsync(data, mcpContext, aborted);
                        await SendAsync(messages, new McpFrame(reply), WebJsonContext.Wire.McpFrame, aborted);
                        return true;
                    default:
                        await SendErrorAsync(messages, new ErrorFrameData(
                            $"Unknown message type '{typeElement.GetString()}'. Expected one of: {string.Join(", ", FrameTypes)}.", WsErrorCodes.UnknownType), aborted);
                        return true;
                }
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or WebSocketException))
            {
                // A bug in a suite must cost the client one error frame, not its session.
                LogExecutionFailed(logger, ex, typeElement.GetString());
                await SendErrorAsync(messages, new ErrorFrameData($"The environment failed on this frame: {ex.Message}", WsErrorCodes.ExecutionError), aborted);
                return true;
            }
        }
    }

    private async Task ResetAsync(HostedSession session, JsonElement data, SocketMessages messages, CancellationToken aborted)
    {
        if (data.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            await SendErrorAsync(messages, Invalid("'data' of a reset frame must be an object of reset parameters.",
                [new ValidationIssue("dict_type", ["data"], "Input should be a valid dictionary")]), aborted);
            return;
        }

        var launch = await gateway.StartAsync(data, session, aborted);
        await ReplyAsync(session, launch.Reset, messages, aborted);
    }

    private static async Task StepAsync(HostedSession session, JsonElement data, SocketMessages messages, CancellationToken aborted)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            await SendErrorAsync(messages, Invalid("A step frame needs 'data': the action object.",
                [new ValidationIssue(data.ValueKind == JsonValueKind.Undefined ? "missing" : "dict_type", ["data"], "The action must be a JSON object.")]), aborted);
            return;
        }

        var result = await session.StepAsync(data, aborted);
        await ReplyAsync(session, result, messages, aborted);
    }

    private static ValueTask ReplyAsync(HostedSession session, EnvironmentResult<StepResult> result, SocketMessages messages, CancellationToken aborted)
    {
        if (result.Succeeded)
        {
            return SendAsync(messages, new ObservationFrame(StepResponse.From(result.Value!, session.Episode?.EpisodeId)), WebJsonContext.Wire.ObservationFrame, aborted);
        }

        return result.ErrorKind == EnvironmentErrorKind.State
            ? SendErrorAsync(messages, new ErrorFrameData(result.Errors[0].Message, WsErrorCodes.ExecutionError), aborted)
            : SendErrorAsync(messages, Invalid(result.Errors), aborted);
    }

    private static ErrorFrameData Invalid(IReadOnlyList<ValidationError> errors) =>
        Invalid(string.Join(" ", errors.Select(e => e.Message)), ValidationIssue.From(errors));

    private static ErrorFrameData Invalid(string message, IReadOnlyList<ValidationIssue> issues) =>
        new(message, WsErrorCodes.ValidationError, Errors: issues);

    private static ValueTask SendErrorAsync(SocketMessages messages, ErrorFrameData error, CancellationToken aborted) =>
        SendAsync(messages, new ErrorFrame(error), WebJsonContext.Wire.ErrorFrame, aborted);

    private static async ValueTask SendAsync<T>(SocketMessages messages, T frame, JsonTypeInfo<T> typeInfo, CancellationToken aborted)
    {
        using var bytes = FrameWriter.Serialize(frame, typeInfo);
        await messages.SendAsync(bytes.Written, aborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Creating a session failed")]
    private static partial void LogFactoryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A '{FrameType}' frame failed")]
    private static partial void LogExecutionFailed(ILogger logger, Exception exception, string? frameType);
}

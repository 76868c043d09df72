using System.ClientModel;
using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>Why a request to a model endpoint failed, read from what the client threw.</summary>
/// <param name="Status">The HTTP status, when the endpoint answered.</param>
/// <param name="Message">The endpoint's own error message (its <c>error.message</c>, else the start of its body), or the network error.</param>
/// <param name="Code">The endpoint's <c>error.code</c> or <c>error.type</c>, e.g. model_not_found.</param>
/// <param name="RetryAfter">How long a 429 or 503 asked the client to wait.</param>
public sealed record ModelEndpointFailure(ModelEndpointFailureKind Kind, int? Status, string Message, string? Code = null, TimeSpan? RetryAfter = null)
{
    /// <summary>Longest endpoint message kept, in characters.</summary>
    public const int MaxMessageLength = 500;

    /// <summary>Worth another request: rate limited, a server error, a timeout or a dropped connection.</summary>
    public bool Transient => Kind is ModelEndpointFailureKind.Timeout or ModelEndpointFailureKind.Unreachable
        || Status is 408 or 429 or >= 500;

    /// <summary>This failure with every header value of <paramref name="profile"/> blanked out of its message (some endpoints echo a refused key).</summary>
    public ModelEndpointFailure Redacted(AgentProfile profile, Func<string, string?> environment) => this with { Message = profile.Redact(Message, environment) };

    /// <summary>One line for people, e.g. "HTTP 404 (model_not_found): The model 'x' does not exist".</summary>
    public string Describe() => Kind switch
    {
        ModelEndpointFailureKind.Timeout => "timed out: " + Message,
        ModelEndpointFailureKind.Unreachable => "unreachable: " + Message,
        _ => $"HTTP {Status}{(Code is null ? "" : $" ({Code})")}: {Message}",
    };

    /// <summary>The failure <paramref name="exception"/> stands for, or null if it is not an endpoint failure (a bug, a cancellation by the caller).</summary>
    /// <param name="callerCancelled">The caller's token was cancelled (then a cancellation is no failure).</param>
    /// <param name="now">The clock, to read a Retry-After given as a date.</param>
    public static ModelEndpointFailure? From(Exception exception, bool callerCancelled, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case ClientResultException { Status: > 0 } http:
                return FromResponse(http, now);
            case OperationCanceledException when callerCancelled:
                return null;
            case OperationCanceledException or TimeoutException:
                return new(ModelEndpointFailureKind.Timeout, null, "no response within the profile's timeout_seconds");
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or SocketException or IOException)
            {
                return new(ModelEndpointFailureKind.Unreachable, null, Innermost(inner).Message);
            }
        }

        return exception is ClientResultException noResponse ? new(ModelEndpointFailureKind.Unreachable, null, noResponse.Message) : null;
    }

    private static ModelEndpointFailure FromResponse(ClientResultException exception, DateTimeOffset now)
    {
        var response = exception.GetRawResponse();
        string? message = null;
        string? code = null;
        var body = "";
        try
        {
            body = response?.Content?.ToString() ?? "";
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    message = error.GetString();
                }
                else if (error.ValueKind == JsonValueKind.Object)
                {
                    message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    code = Text(error, "code") ?? Text(error, "type");
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the body's start is the message.
        }
        catch (InvalidOperationException)
        {
            // The body was not buffered.
        }

        message ??= body.Trim().Length > 0 ? body.Trim() : (response?.ReasonPhrase ?? "no message");
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength] + "...";
        }

        return new(ModelEndpointFailureKind.Http, exception.Status, message, code, ReadRetryAfter(response, now));
    }

    private static string? Text(JsonElement error, string name) =>
        error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static TimeSpan? ReadRetryAfter(System.ClientModel.Primitives.PipelineResponse? response, DateTimeOffset now)
    {
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at > now ? at - now : TimeSpan.Zero)
            : null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}

public enum ModelEndpointFailureKind
{
    /// <summary>The endpoint answered with an error status.</summary>
    Http,

    /// <summary>No connection (DNS, refused, reset).</summary>
    Unreachable,

    /// <summary>No answer within the timeout.</summary>
    Timeout,
}

/// <summary>
/// A model endpoint failed for good (after the profile's retries). The message names the profile,
/// the URL and what went wrong; never a header value (the endpoint's own message is scrubbed of
/// them, and an HTTP error keeps no inner exception, whose text would carry the response body).
/// </summary>
public sealed class ModelEndpointException(string profile, string url, ModelEndpointFailure failure, int attempts, Exception? innerException = null)
    : Exception($"agent profile '{profile}': model endpoint {url} {failure.Describe()} (after {attempts} request{(attempts == 1 ? "" : "s")})", innerException)
{
    public string Profile { get; } = profile;

    public string Url { get; } = url;

    public ModelEndpointFailure Failure { get; } = failure;

    public int Attempts { get; } = attempts;

    /// <summary>The episode up to the failure, when an agent was playing one.</summary>
    public AgentEpisodeTrace? Trace { get; private init; }

    /// <summary>This failure with the trace of the episode it ended.</summary>
    public ModelEndpointException WithTrace(AgentEpisodeTrace trace) =>
        new(Profile, Url, Failure, Attempts, InnerException) { Trace = trace };
}

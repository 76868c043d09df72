using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>
/// One transport call as the harness recorded it, and what the requirements make of its answer:
/// transient or final, a breaker failure or not, the Retry-After it carried, the result it implies.
/// </summary>
/// <param name="Position">Its index among the call's transport calls.</param>
/// <param name="Retry">0 for the request's first attempt, n for its retry n.</param>
internal sealed record Attempt(DependencyCall Call, int Position, int Retry)
{
    public double At => Call.At;

    /// <summary>When the answer arrived: what <c>now()</c> read right after it.</summary>
    public double End => At + (Call.Response.Latency ?? RetryRules.Latency);

    public int? Status => Call.Response.IsRaise ? null
        : PyValue.TryNumber(PyValue.Get(Call.Response.Value, "status"), out var status) ? (int)status : null;

    /// <summary>The attempt raised <c>ConnectionError</c> or <c>TimeoutError</c>: the server may have applied it.</summary>
    public bool IsAmbiguous => Call.Response.Raise is "ConnectionError" or "TimeoutError";

    /// <summary>Worth retrying: a 429, 500, 502, 503, 504 or no answer.</summary>
    public bool IsTransient => Call.Response.IsRaise || (Status is { } status && RetryRules.IsTransientStatus(status));

    /// <summary>Counts against the host's breaker: no answer or a 5xx.</summary>
    public bool IsFailure => Call.Response.IsRaise || Status is null or >= 500;

    public string Word => HttpAnswers.Word(Call.Response);

    public string? Header(string name) =>
        PyValue.Entries(PyValue.Get(Call.Response.Value, "headers"))?
            .FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v
            && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The seconds a 429 or 5xx asked to wait, from when its answer arrived; null when it did not ask.</summary>
    public double? RetryAfter
    {
        get
        {
            if (Status is not ({ } status and (429 or >= 500)) || Header("Retry-After") is not { } value)
            {
                return null;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return Math.Max(0, seconds);
            }

            return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                ? Math.Max(0, date.ToUnixTimeSeconds() - End)
                : null;
        }
    }

    /// <summary>What the result must say when this attempt is the request's last.</summary>
    public ExpectedResult Expected()
    {
        if (Call.Response.IsRaise)
        {
            return new(false, null, Call.Response.Raise == "TimeoutError" ? "timeout" : "connection_error", null);
        }

        return Status switch
        {
            null => new(false, null, null, null),
            429 => new(false, 429, "rate_limited", null),
            >= 500 => new(false, Status, "server_error", null),
            >= 400 => new(false, Status, "client_error", null),
            >= 200 and < 300 => Body(Status.Value),
            _ => new(false, Status, null, null),
        };
    }

    private ExpectedResult Body(int status)
    {
        var body = PyValue.Get(Call.Response.Value, "body") is JsonValue b && b.GetValueKind() == JsonValueKind.String ? b.GetValue<string>() : string.Empty;
        var media = (Header("Content-Type") ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        if (media != "application/json" && !media.EndsWith("+json", StringComparison.Ordinal))
        {
            return new(true, status, null, JsonValue.Create(body));
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return new(true, status, null, null);
        }

        try
        {
            return new(true, status, null, JsonNode.Parse(body));
        }
        catch (JsonException)
        {
            return new(false, status, "invalid_body", null);
        }
    }
}

/// <param name="Error">The error code; null when any code is accepted (an answer the requirements give none for).</param>
internal sealed record ExpectedResult(bool Ok, int? Status, string? Error, JsonNode? Data);

using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>Scripted transport answers: HTTP responses as the runtime returns them, and the exceptions it raises.</summary>
internal static class HttpAnswers
{
    /// <summary>How many answers a "for ever" script lists: more than any correct client sends for one request.</summary>
    public const int Forever = 8;

    public static ScriptedResponse Json(int status, JsonNode body, string contentType = "application/json", double? latency = null) =>
        Http(status, body.ToJsonString(), new() { ["Content-Type"] = contentType }, latency);

    public static ScriptedResponse Http(int status, string body, Dictionary<string, string> headers, double? latency = null) =>
        ScriptedResponse.Returns(new JsonObject
        {
            ["status"] = status,
            ["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
            ["body"] = body,
        }, latency);

    public static ScriptedResponse Problem(int status) =>
        Json(status, new JsonObject { ["error"] = Reason(status).Replace(' ', '_').ToLowerInvariant(), ["status"] = status }, "application/problem+json");

    public static ScriptedResponse ServerError(int status, double latency = 0.05) => ScriptedResponse.Returns(Problem(status).Value, latency);

    public static ScriptedResponse Reset(double latency = 0.02) => ScriptedResponse.Raising("ConnectionError", "Connection reset by peer", latency);

    public static ScriptedResponse Hang(double latency) => ScriptedResponse.Raising("TimeoutError", string.Create(CultureInfo.InvariantCulture, $"no response after {latency:0.#} s"), latency);

    public static ScriptedResponse RateLimited(string headerName, string retryAfter, double latency = 0.05) =>
        Http(429, """{"error":"rate_limited"}""", new() { ["Content-Type"] = "application/json", [headerName] = retryAfter }, latency);

    /// <summary>An IMF-fixdate (RFC 9110), the form Retry-After dates take: "Wed, 21 Oct 2026 07:28:00 GMT".</summary>
    public static string HttpDate(double epochSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(epochSeconds)).ToString("r", CultureInfo.InvariantCulture);

    public static IReadOnlyList<ScriptedResponse> Repeat(ScriptedResponse answer) => [.. Enumerable.Repeat(answer, Forever)];

    /// <summary>"503", "reset", "hang 6 s", "200": an answer in a word, for descriptions.</summary>
    public static string Word(ScriptedResponse answer) => answer.Raise switch
    {
        "ConnectionError" => "reset",
        "TimeoutError" => string.Create(CultureInfo.InvariantCulture, $"hang {answer.Latency ?? RetryRules.Latency:0.#} s"),
        { } other => other,
        null => PyValue.Get(answer.Value, "status")?.ToJsonString() ?? "?",
    };

    private static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        422 => "Unprocessable Content",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}

using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// What the retry piece's cases inject, each kind belonging to the requirement tier whose
/// checks it tests. Names are unique across suites.
/// </summary>
public static class RetryFaultKinds
{
    public static FaultKind ClientError { get; } = new("http_client_error", FaultFamily.Transport,
        "A request answered with a permanent 4xx (400, 401, 403, 404, 409, 410, 422) on every attempt.");

    public static FaultKind TransientBurst { get; } = new("http_transient_burst", FaultFamily.Transport,
        "One or two 502/503/504 answers or connection resets before the request succeeds.");

    public static FaultKind MalformedRequest { get; } = new("malformed_request", FaultFamily.Shape,
        "A request that is not a dict, lacks its id or url, has a non-http url, an unknown method or headers that are not a dict.");

    public static FaultKind ContentTypeBody { get; } = new("content_type_body", FaultFamily.Data,
        "A 2xx whose body is plain text, empty, JSON under a charset or +json media type, or JSON cut short.");

    public static FaultKind RetryAfter { get; } = new("retry_after_window", FaultFamily.Transport,
        "A 429 whose Retry-After (seconds or HTTP date) must be waited out, or refused when it asks for more than 30 s.");

    public static FaultKind AmbiguousWrite { get; } = new("ambiguous_write_failure", FaultFamily.Transport,
        "A connection reset or a hang (TimeoutError after seconds) on a write: replaying a POST without Idempotency-Key may apply it twice.");

    public static FaultKind LongBurst { get; } = new("long_transient_burst", FaultFamily.Transport,
        "Three or four transient failures before success: the backoff must grow to its cap.");

    public static FaultKind HostOutage { get; } = new("host_outage", FaultFamily.Transport,
        "A host fails every attempt for one or two calls (resets, 503s, hangs), then may recover after a slow call.");

    public static FaultKind RetryFanout { get; } = new("retry_fanout", FaultFamily.Transport,
        "A call of many requests that each fail two or three times before succeeding: more retries than the per-call budget.");

    public static IReadOnlyList<FaultKind> All { get; } =
        [ClientError, TransientBurst, MalformedRequest, ContentTypeBody, RetryAfter, AmbiguousWrite, LongBurst, HostOutage, RetryFanout];

    /// <summary>The requirement tier a kind tests.</summary>
    public static int TierOf(FaultKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind == RetryAfter || kind == AmbiguousWrite || kind == LongBurst ? 2
            : kind == HostOutage || kind == RetryFanout ? 3
            : 1;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Faults;

/// <summary>
/// The transport faults any suite can inject into calls to its tools or components, and what
/// they do on the episode clock: a timeout, a rate limit (429 with a Retry-After counted in
/// steps, and a window in which every call to the target gets 429 again), a server error, and
/// latency (the right result, late). Nothing really sleeps.
/// </summary>
public sealed class TransportFaults
{
    public const string RetryAfterTrigger = "retry_after_window";

    private static readonly int[] ServerStatuses = [500, 502, 503];

    public static FaultKind Timeout { get; } = new("timeout", FaultFamily.Transport, "no answer: an error after 30 s on the episode clock",
        (_, p) => p["timeout_ms"] = "30000");

    public static FaultKind RateLimit { get; } = new("rate_limit", FaultFamily.Transport, "429 Too Many Requests with a Retry-After in steps; calls inside the window get 429 again",
        (random, p) => p["retry_after_steps"] = random.Next(1, 4).ToString(CultureInfo.InvariantCulture));

    public static FaultKind ServerError { get; } = new("server_error", FaultFamily.Transport, "a 500, 502 or 503",
        (random, p) => p["status"] = random.Pick(ServerStatuses).ToString(CultureInfo.InvariantCulture));

    public static FaultKind Latency { get; } = new("latency", FaultFamily.Transport, "the right result, 4-45 s late on the episode clock",
        (random, p) => p["latency_ms"] = random.Next(4000, 45000).ToString(CultureInfo.InvariantCulture));

    public static IReadOnlyList<FaultKind> All { get; } = [Timeout, RateLimit, ServerError, Latency];

    private readonly Dictionary<string, int> _retryAfterUntil = new(StringComparer.Ordinal);

    /// <summary>Forgets every Retry-After window, for a new episode.</summary>
    public void Reset() => _retryAfterUntil.Clear();

    /// <summary>
    /// A rate-limit decision that overrides the roll when <paramref name="call"/>'s target is
    /// called inside an open Retry-After window, or null. The pure decision is still taken and
    /// recorded by the caller, so the trace per (call, occurrence) never depends on call order.
    /// </summary>
    public FaultDecision? InsideRetryAfter(FaultCall call, int step)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!_retryAfterUntil.TryGetValue(call.Target, out var until) || step >= until)
        {
            return null;
        }

        return new FaultDecision(RateLimit.Name, call.Target, true, RetryAfterTrigger, "called again before Retry-After passed (overrides the decision above)",
            new Dictionary<string, string> { ["retry_after_steps"] = (until - step).ToString(CultureInfo.InvariantCulture) },
            new FaultDecisionInputs(call.Seed, call.ScenarioId, call.Target, call.CanonicalArguments, call.Occurrence, 0, 1));
    }

    /// <summary>What a fired transport fault does to a call at <paramref name="step"/>.</summary>
    /// <param name="baseLatencyMs">How long the call takes on the episode clock when nothing goes wrong.</param>
    public TransportEffect Apply(FaultDecision fired, int step, int baseLatencyMs)
    {
        ArgumentNullException.ThrowIfNull(fired);
        int Parameter(string name) => int.Parse(fired.Parameters[name], CultureInfo.InvariantCulture);
        switch (fired.Kind)
        {
            case "timeout":
                var timeout = Parameter("timeout_ms");
                return new TransportEffect(new JsonObject { ["error"] = "timeout", ["message"] = $"{fired.Target} did not respond within {timeout / 1000} s" }, timeout);
            case "rate_limit":
                var retryAfter = Parameter("retry_after_steps");
                if (fired.Trigger != RetryAfterTrigger)
                {
                    _retryAfterUntil[fired.Target] = step + retryAfter + 1;
                }

                return new TransportEffect(new JsonObject { ["status"] = 429, ["error"] = "Too Many Requests", ["retry_after_steps"] = retryAfter }, baseLatencyMs);
            case "server_error":
                var status = Parameter("status");
                return new TransportEffect(new JsonObject { ["status"] = status, ["error"] = status switch { 502 => "Bad Gateway", 503 => "Service Unavailable", _ => "Internal Server Error" } }, baseLatencyMs);
            case "latency":
                return new TransportEffect(null, Parameter("latency_ms"));
            default:
                throw new ArgumentException($"'{fired.Kind}' is not a transport fault.", nameof(fired));
        }
    }
}

/// <param name="Failure">What the caller receives instead of the result; null when the call still succeeds (latency).</param>
/// <param name="ElapsedMs">How long the call took on the episode clock.</param>
public readonly record struct TransportEffect(JsonObject? Failure, int ElapsedMs);

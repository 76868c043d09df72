using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Results;

/// <param name="Reason">The failure as the suite reported it.</param>
/// <param name="Count">How many runs failed for it.</param>
public sealed record TrialError(string Reason, int Count);

/// <summary>
/// The <c>trial_summary</c> convention of step results: <c>{"runs","passed","failed",
/// "latency_ms":{"p50","p95"},"slo_ms","errors":[{"reason","count"}]}</c>, the outcome of a
/// batch of runs. Only the counts are required; latencies, the objective and errors are shown
/// when present.
/// </summary>
public sealed record TrialSummary(int Runs, int Passed, int Failed, double? P50Ms, double? P95Ms, double? SloMs, IReadOnlyList<TrialError> Errors)
{
    /// <summary>The convention's property name.</summary>
    public const string PropertyName = "trial_summary";

    /// <summary>Share of the runs that passed (0 when there were none).</summary>
    public double PassRate => Runs == 0 ? 0 : (double)Passed / Runs;

    /// <summary>Whether the 95th percentile latency is within the objective, when both are known.</summary>
    public bool? WithinSlo => P95Ms is { } p95 && SloMs is { } slo ? p95 <= slo : null;

    /// <returns>null unless at least two of runs, passed and failed are given, all given are non-negative whole numbers, and they agree.</returns>
    public static TrialSummary? Read(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        // A count that is there but not a count makes the summary unreadable (it is not derived).
        if (!TryCount(obj, "runs", out var runs) || !TryCount(obj, "passed", out var passed) || !TryCount(obj, "failed", out var failed))
        {
            return null;
        }

        (int Runs, int Passed, int Failed)? counts = (runs, passed, failed) switch
        {
            ({ } r, { } p, { } f) when p + f == r => (r, p, f),
            ({ } r, { } p, null) when p <= r => (r, p, r - p),
            ({ } r, null, { } f) when f <= r => (r, r - f, f),
            (null, { } p, { } f) => (p + f, p, f),
            _ => null,
        };
        if (counts is not { } known)
        {
            return null;
        }

        var latency = obj["latency_ms"] as JsonObject;
        var errors = obj["errors"] is JsonArray list
            ? list.OfType<JsonObject>()
                .Select(e => (Reason: ResultJson.String(e["reason"]), Count: NonNegative(e["count"]) ?? 1))
                .Where(e => !string.IsNullOrWhiteSpace(e.Reason) && e.Count > 0)
                .Select(e => new TrialError(e.Reason!, e.Count))
                .OrderByDescending(e => e.Count)
                .ThenBy(e => e.Reason, StringComparer.Ordinal)
                .ToList()
            : [];
        return new TrialSummary(
            known.Runs,
            known.Passed,
            known.Failed,
            NonNegativeNumber(latency?["p50"]),
            NonNegativeNumber(latency?["p95"]),
            NonNegativeNumber(obj["slo_ms"]),
            errors);
    }

    private static bool TryCount(JsonObject obj, string name, out int? count)
    {
        count = NonNegative(obj[name]);
        return obj[name] is null || count is not null;
    }

    private static int? NonNegative(JsonNode? node) => ResultJson.Int(node) is >= 0 and var value ? value : null;

    private static double? NonNegativeNumber(JsonNode? node) => ResultJson.Number(node) is >= 0 and var value ? value : null;
}

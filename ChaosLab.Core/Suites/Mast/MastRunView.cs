using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// Simulated runs as JSON, in the shapes the dashboard draws for any suite
/// (<c>message_trace</c>, <c>trial_summary</c>): the operator's view (no fault labels) for the
/// agent, the truthful one (each message's <c>fault</c>) for the record.
/// </summary>
public static class MastRunView
{
    /// <summary>A run's id as tools take it, e.g. <c>incident#3</c> or <c>trial-2#0</c>.</summary>
    public static string RunId(TrialKey key) => key.ToString();

    /// <param name="truth">Keep each message's fault label (the record's clean result); false for what the agent sees.</param>
    public static JsonObject Trace(TrialRun run, MastInstance instance, bool truth)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(instance);
        var messages = new JsonArray();
        foreach (var m in run.Messages)
        {
            var message = new JsonObject
            {
                ["seq"] = m.Seq,
                ["at_ms"] = m.AtMs,
                ["from"] = m.From,
                ["to"] = m.To,
                ["type"] = m.Type,
                ["format"] = m.Format,
                ["body"] = m.Body,
                ["status"] = m.Status,
            };
            if (truth && m.Fault is { } fault)
            {
                message["fault"] = fault;
            }

            messages.Add(message);
        }

        return new JsonObject
        {
            ["run_id"] = RunId(run.Key),
            ["passed"] = run.Passed,
            ["failure"] = run.FailureReason,
            ["latency_ms"] = run.LatencyMs,
            ["turns"] = run.Turns,
            ["agents"] = new JsonArray([.. instance.Agents.Select(a => (JsonNode)new JsonObject { ["id"] = a.Id, ["role"] = a.Role })]),
            ["messages"] = messages,
        };
    }

    /// <summary>One line of list_incidents: what monitoring shows of a run.</summary>
    public static JsonObject Incident(TrialRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new JsonObject
        {
            ["run_id"] = RunId(run.Key),
            ["passed"] = run.Passed,
            ["latency_ms"] = run.LatencyMs,
            ["turns"] = run.Turns,
            ["failure"] = run.FailureReason,
        };
    }

    public static JsonObject Log(TrialRun run, string agentId)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new JsonObject
        {
            ["run_id"] = RunId(run.Key),
            ["agent_id"] = agentId,
            ["lines"] = new JsonArray([.. run.Logs.Where(l => l.Agent == agentId).Select(l => (JsonNode)new JsonObject
            {
                ["at_ms"] = l.AtMs,
                ["level"] = l.Level,
                ["text"] = l.Text,
            })]),
        };
    }

    /// <summary>What a batch of runs looks like to an operator: counts, latency percentiles, failure reasons with counts.</summary>
    public static JsonObject Summary(IReadOnlyList<TrialRun> runs, int sloMs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var latencies = runs.Select(r => r.LatencyMs).Order().ToList();
        var passed = runs.Count(r => r.Passed);
        return new JsonObject
        {
            ["runs"] = runs.Count,
            ["passed"] = passed,
            ["failed"] = runs.Count - passed,
            ["latency_ms"] = new JsonObject { ["p50"] = Percentile(latencies, 0.50), ["p95"] = Percentile(latencies, 0.95) },
            ["slo_ms"] = sloMs,
            ["errors"] = new JsonArray([.. runs
                .Where(r => !r.Passed)
                .GroupBy(r => r.FailureReason ?? "failed")
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (JsonNode)new JsonObject { ["reason"] = g.Key, ["count"] = g.Count() })]),
        };
    }

    /// <summary>Nearest rank: the smallest latency at or above the share <paramref name="p"/> of runs.</summary>
    public static int Percentile(IReadOnlyList<int> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

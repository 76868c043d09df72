using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>
/// Tier 3: the per-call retry budget, the per-host breaker (no attempt while open, a probe once
/// the cool-down is over), bounded state, and telemetry whose counts equal what the harness saw.
/// </summary>
internal static class ResilienceChecks
{
    public const int Tier = 3;

    public static IEnumerable<CheckResult> Check(RetryCaseRun run)
    {
        var budget = new Findings(Tier, "retry_budget");
        var breaker = new Findings(Tier, "circuit_breaker");
        var probe = new Findings(Tier, "half_open_probe");
        var state = new Findings(Tier, "state_bounded");
        var structured = new Findings(Tier, "telemetry_structured");
        var truthful = new Findings(Tier, "telemetry_truthful");
        foreach (var violation in run.Breakers.Violations)
        {
            var request = violation.Call.Requests.FirstOrDefault(r => violation.Call.AttemptsOf[r.Index].Contains(violation.Attempt));
            breaker.Add(
                $"{violation.Host} was sent {(request is null ? "a request" : request.Id)} in call {violation.Call.Number} at {run.Case.At(violation.Attempt.At)}, "
                + $"{RetryRules.Seconds(violation.Attempt.At - violation.Window.From)} s after its breaker opened at {run.Case.At(violation.Window.From)} "
                + $"({RetryRules.BreakerThreshold} consecutive failures); it stays open {RetryRules.Seconds(RetryRules.BreakerCoolDown)} s",
                request is null ? null : run.Evidence(violation.Call, request));
        }

        foreach (var call in run.Calls)
        {
            if (call.Retries > RetryRules.RetryBudget)
            {
                budget.Add($"call {call.Number} made {call.Retries} retries; the budget is {RetryRules.RetryBudget} per call",
                    new JsonObject { ["call"] = call.Number, ["retries"] = call.Retries, ["requests"] = call.Requests.Count });
            }

            Probes(run, call, probe);
            State(call, state);
            Telemetry(run, call, structured, truthful);
        }

        return [budget.Result(), breaker.Result(), probe.Result(), state.Result(), structured.Result(), truthful.Result()];
    }

    /// <summary>A request refused while its host's cool-down was over before the call even began: it should have been the probe.</summary>
    private static void Probes(RetryCaseRun run, CallView call, Findings findings)
    {
        if (!call.Run.Succeeded)
        {
            return;
        }

        foreach (var request in call.Requests.Where(r => !r.Malformed && call.AttemptsOf[r.Index].Count == 0))
        {
            var host = request.Host!;
            if (run.Breakers.HasOpened(host, call.Run.Clock) && !run.Breakers.WasOpenDuring(host, call.Start, call.Run.Clock)
                && run.Breakers.LastWindow(host, call.Run.Clock) is { } window)
            {
                findings.Add($"{request.Describe()} was not sent, but the breaker of {host} (opened in call {window.Call}) had cooled down at {run.Case.At(window.Until)}, before call {call.Number} began at {run.Case.At(call.Start)}: it should have been sent as the half-open probe", run.Evidence(call, request));
            }
        }
    }

    private static void State(CallView call, Findings findings)
    {
        if (call.Run.State is null)
        {
            findings.Add($"call {call.Number} {call.Run.Describe()}, leaving no state", new JsonObject { ["call"] = call.Number });
            return;
        }

        var largest = PyValue.LargestContainer(call.Run.State);
        if (largest > RetryRules.StateMaxItems)
        {
            findings.Add($"after call {call.Number} the state holds a container of {largest} items (at most {RetryRules.StateMaxItems})",
                new JsonObject { ["call"] = call.Number, ["largest_container"] = largest, ["state_keys"] = new JsonArray([.. (PyValue.Entries(call.Run.State) ?? []).Select(e => (JsonNode)e.Key)]) });
        }
    }

    private static void Telemetry(RetryCaseRun run, CallView call, Findings structured, Findings truthful)
    {
        if (!call.Run.Succeeded)
        {
            var failed = $"call {call.Number} {call.Run.Describe()}";
            structured.Add(failed, new JsonObject { ["call"] = call.Number });
            truthful.Add(failed, new JsonObject { ["call"] = call.Number });
            return;
        }

        var telemetry = PyValue.Get(call.Run.Returned, "telemetry");
        if (!PyValue.IsDict(telemetry))
        {
            var message = $"call {call.Number} returned no telemetry dict (got {PyValue.Show(telemetry)})";
            structured.Add(message, new JsonObject { ["call"] = call.Number });
            truthful.Add(message, new JsonObject { ["call"] = call.Number });
            return;
        }

        var observed = Observed(run, call);
        var wrongType = RetryRules.TelemetryFields.FirstOrDefault(f => f == "slept"
            ? !PyValue.TryFinite(PyValue.Get(telemetry, f), out _)
            : !CorrectnessChecks.IsInteger(PyValue.Get(telemetry, f), out _));
        if (wrongType is not null)
        {
            var message = $"call {call.Number}'s telemetry field '{wrongType}' is {PyValue.Show(PyValue.Get(telemetry, wrongType))}, not {(wrongType == "slept" ? "a number" : "an integer")}";
            structured.Add(message, new JsonObject { ["call"] = call.Number, ["telemetry"] = telemetry!.DeepClone() });
            truthful.Add(message, new JsonObject { ["call"] = call.Number, ["telemetry"] = telemetry.DeepClone() });
            return;
        }

        var wrong = new List<string>();
        foreach (var (field, value) in observed)
        {
            PyValue.TryNumber(PyValue.Get(telemetry, field), out var reported);
            if (Math.Abs(reported - value) > RetryRules.Epsilon + (1e-6 * Math.Abs(value)))
            {
                wrong.Add($"{field} {RetryRules.Seconds(reported)} (really {RetryRules.Seconds(value)})");
            }
        }

        if (wrong.Count > 0)
        {
            truthful.Add($"call {call.Number}'s telemetry does not match what happened: {string.Join(", ", wrong)}", new JsonObject
            {
                ["call"] = call.Number,
                ["telemetry"] = telemetry!.DeepClone(),
                ["observed"] = new JsonObject(observed.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)JsonValue.Create(o.Value)))),
            });
        }
    }

    /// <summary>The telemetry a truthful submission reports for the call, from the harness's record.</summary>
    internal static IReadOnlyDictionary<string, double> Observed(RetryCaseRun run, CallView call)
    {
        var succeeded = call.Requests.Count(r => !r.Malformed && call.AttemptsOf[r.Index].Count > 0 && call.AttemptsOf[r.Index][^1].Expected().Ok);
        return new Dictionary<string, double>
        {
            ["requests"] = call.Requests.Count,
            ["attempts"] = call.Transport.Count,
            ["retries"] = call.Retries,
            ["succeeded"] = succeeded,
            ["failed"] = call.Requests.Count - succeeded,
            ["slept"] = call.Run.Slept,
            ["breaker_opened"] = run.Breakers.Opened(call.Number),
            ["breaker_closed"] = run.Breakers.Closed(call.Number),
        };
    }
}

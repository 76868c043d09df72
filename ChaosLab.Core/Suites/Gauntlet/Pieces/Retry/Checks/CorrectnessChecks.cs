using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>
/// Tier 1: one result per request in order, malformed requests rejected unsent, permanent answers
/// final, transient failures retried until a documented reason to stop, results that report the
/// last answer truthfully (status, error code, parsed body, attempts).
/// </summary>
internal static class CorrectnessChecks
{
    public const int Tier = 1;

    private static readonly string[] ShownFields = ["ok", "status", "error", "attempts"];

    public static IEnumerable<CheckResult> Check(RetryCaseRun run)
    {
        var order = new Findings(Tier, "one_result_per_request");
        var invalid = new Findings(Tier, "invalid_rejected");
        var permanent = new Findings(Tier, "permanent_not_retried");
        var transient = new Findings(Tier, "transient_retried");
        var matches = new Findings(Tier, "result_matches_response");
        foreach (var call in run.Calls)
        {
            PermanentNotRetried(run, call, permanent);
            if (!call.Run.Succeeded)
            {
                var failed = $"call {call.Number} {call.Run.Describe()}";
                var evidence = new JsonObject { ["call"] = call.Number, ["requests"] = call.Requests.Count, ["transport_calls"] = call.Transport.Count };
                foreach (var findings in new[] { order, invalid, transient, matches })
                {
                    findings.Add(failed, evidence.DeepClone());
                }

                continue;
            }

            OneResultPerRequest(call, order);
            foreach (var request in call.Requests)
            {
                if (request.Malformed)
                {
                    InvalidRejected(run, call, request, invalid);
                }
                else
                {
                    TransientRetried(run, call, request, transient);
                    ResultMatches(run, call, request, matches);
                }
            }
        }

        return [order.Result(), invalid.Result(), permanent.Result(), transient.Result(), matches.Result()];
    }

    private static void OneResultPerRequest(CallView call, Findings findings)
    {
        var results = PyValue.Items(PyValue.Get(call.Run.Returned, "results"));
        var evidence = new JsonObject { ["call"] = call.Number, ["request_ids"] = new JsonArray([.. call.Requests.Select(r => (JsonNode?)r.Id)]) };
        if (results is null)
        {
            findings.Add($"call {call.Number} returned {PyValue.Show(call.Run.Returned)}, not a dict with a 'results' list", evidence);
            return;
        }

        if (results.Count != call.Requests.Count)
        {
            findings.Add($"call {call.Number} returned {results.Count} results for {call.Requests.Count} requests", evidence);
            return;
        }

        foreach (var request in call.Requests)
        {
            var result = results[request.Index];
            var id = PyValue.Get(result, "id");
            var expected = request.Id;
            if (!PyValue.IsDict(result))
            {
                findings.Add($"call {call.Number}: results[{request.Index}] is {PyValue.Show(result)}, not a dict", evidence);
                return;
            }

            if (expected is null ? id is not null : !(PyValue.IsString(id) && id!.GetValue<string>() == expected))
            {
                findings.Add($"call {call.Number}: results[{request.Index}] has id {PyValue.Show(id)} where requests[{request.Index}] has id {PyValue.Show(expected is null ? null : JsonValue.Create(expected))} (one result per request, in the requests' order)", evidence);
                return;
            }
        }
    }

    private static void InvalidRejected(RetryCaseRun run, CallView call, RetryRequest request, Findings findings)
    {
        var attempts = call.AttemptsOf[request.Index];
        if (attempts.Count > 0)
        {
            findings.Add($"{request.Describe()} was sent to transport {Times(attempts.Count)}; a malformed request is never sent", run.Evidence(call, request));
            return;
        }

        // Results that do not line up with the requests are one_result_per_request's failure.
        if (call.Result(request.Index) is not { } result)
        {
            return;
        }

        if (!IsFalse(PyValue.Get(result, "ok")) || !IsText(PyValue.Get(result, "error"), "invalid_request") || !IsCount(PyValue.Get(result, "attempts"), 0))
        {
            findings.Add($"{request.Describe()} got {Show(result)}; expected ok False, error 'invalid_request', attempts 0", run.Evidence(call, request));
        }
    }

    /// <summary>No attempt after an answer that is final (2xx, 3xx, 4xx but 429). Read from the record, so it also judges calls that did not return.</summary>
    private static void PermanentNotRetried(RetryCaseRun run, CallView call, Findings findings)
    {
        foreach (var request in call.Requests.Where(r => !r.Malformed))
        {
            var attempts = call.AttemptsOf[request.Index];
            var final = attempts.SkipLast(1).FirstOrDefault(a => !a.IsTransient);
            if (final is not null)
            {
                findings.Add($"{request.Describe()} was sent again after a final {final.Word} answer ({Answers(attempts)})", run.Evidence(call, request));
            }
        }
    }

    /// <summary>A request stops on a transient failure only for a documented reason, and never after more than MAX_ATTEMPTS.</summary>
    private static void TransientRetried(RetryCaseRun run, CallView call, RetryRequest request, Findings findings)
    {
        var attempts = call.AttemptsOf[request.Index];
        if (attempts.Count > RetryRules.MaxAttempts)
        {
            findings.Add($"{request.Describe()} was sent {Times(attempts.Count)} ({Answers(attempts)}); at most {RetryRules.MaxAttempts} attempts per request", run.Evidence(call, request));
            return;
        }

        if (attempts.Count == 0)
        {
            // Refused by a breaker that really opened: tier 3 judges whether it should have been the probe.
            if (!run.Breakers.HasOpened(request.Host!, call.Run.Clock))
            {
                findings.Add($"{request.Describe()} was never sent, though no breaker had opened for {request.Host}", run.Evidence(call, request));
            }

            return;
        }

        var last = attempts[^1];
        if (!last.IsTransient || attempts.Count == RetryRules.MaxAttempts
            || (!request.Replayable && last.IsAmbiguous)
            || last.RetryAfter > RetryRules.MaxRetryAfter
            || call.RetriesThrough(last.Position) >= RetryRules.RetryBudget
            || run.Breakers.IsOpenAfter(last))
        {
            return;
        }

        findings.Add(
            $"{request.Describe()} gave up after {attempts.Count} attempt{(attempts.Count == 1 ? string.Empty : "s")} ({Answers(attempts)}) with {RetryRules.MaxAttempts - attempts.Count} attempts left, "
            + $"{call.RetriesThrough(last.Position)} of the call's {RetryRules.RetryBudget} retries spent and the breaker of {request.Host} closed",
            run.Evidence(call, request));
    }

    private static void ResultMatches(RetryCaseRun run, CallView call, RetryRequest request, Findings findings)
    {
        if (call.Result(request.Index) is not { } result)
        {
            return;
        }

        var attempts = call.AttemptsOf[request.Index];
        if (!IsCount(PyValue.Get(result, "attempts"), attempts.Count))
        {
            findings.Add($"{request.Describe()}: its result says attempts {PyValue.Show(PyValue.Get(result, "attempts"))} but transport was called {Times(attempts.Count)} for it", run.Evidence(call, request));
            return;
        }

        var expected = attempts.Count == 0 ? new ExpectedResult(false, null, "circuit_open", null) : attempts[^1].Expected();
        var after = attempts.Count == 0 ? "no attempt" : $"the last answer {attempts[^1].Word}";
        var ok = PyValue.Get(result, "ok");
        var status = PyValue.Get(result, "status");
        var error = PyValue.Get(result, "error");
        var statusMatches = expected.Status is { } s ? IsCount(status, s) : status is null;
        if (expected.Ok)
        {
            if (!IsTrue(ok) || !statusMatches || error is not null)
            {
                findings.Add($"{request.Describe()}: after {after} the result is {Show(result)}; expected ok True, status {expected.Status}, error None", run.Evidence(call, request));
            }
            else if (!JsonNode.DeepEquals(PyValue.Get(result, "data"), expected.Data))
            {
                var type = attempts[^1].Header("Content-Type") ?? "no Content-Type";
                findings.Add($"{request.Describe()}: the {expected.Status} answer ({type}) should give data {PyValue.Show(expected.Data)}, the result has {PyValue.Show(PyValue.Get(result, "data"))}", run.Evidence(call, request));
            }

            return;
        }

        var errorMatches = expected.Error is { } code ? IsText(error, code) : PyValue.IsString(error);
        if (!IsFalse(ok) || !statusMatches || !errorMatches)
        {
            var expectedStatus = expected.Status is { } st ? st.ToString(CultureInfo.InvariantCulture) : "None";
            findings.Add($"{request.Describe()}: after {after} the result is {Show(result)}; expected ok False, status {expectedStatus}, error {(expected.Error is { } e ? "'" + e + "'" : "a code")}", run.Evidence(call, request));
        }
    }

    private static string Show(JsonNode result) => string.Join(", ", ShownFields.Select(f => $"{f} {PyValue.Show(PyValue.Get(result, f))}"));

    /// <summary>"503, 503, 200", or the first eight and the count of a storm.</summary>
    internal static string Answers(IReadOnlyList<Attempt> attempts) => attempts.Count <= 8
        ? string.Join(", ", attempts.Select(a => a.Word))
        : string.Join(", ", attempts.Take(8).Select(a => a.Word)) + string.Create(CultureInfo.InvariantCulture, $", … ({attempts.Count} in all)");

    internal static string Times(int n) => n == 1 ? "once" : n.ToString(CultureInfo.InvariantCulture) + " times";

    internal static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    internal static bool IsFalse(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.False;

    internal static bool IsText(JsonNode? node, string text) => PyValue.IsString(node) && node!.GetValue<string>() == text;

    /// <summary>An int (not a bool, not a float with a fraction) equal to <paramref name="count"/>.</summary>
    internal static bool IsCount(JsonNode? node, int count) => IsInteger(node, out var value) && value == count;

    internal static bool IsInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out value))
        {
            return false;
        }

        return true;
    }
}

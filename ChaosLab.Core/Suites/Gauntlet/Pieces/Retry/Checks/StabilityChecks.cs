namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

/// <summary>
/// Tier 2: capped exponential backoff between attempts, Retry-After waited out (or refused
/// beyond 30 s), writes without an Idempotency-Key never replayed after an ambiguous failure.
/// All read from the attempts' times on the virtual clock, so they also judge calls that did not return.
/// </summary>
internal static class StabilityChecks
{
    public const int Tier = 2;

    public static IEnumerable<CheckResult> Check(RetryCaseRun run)
    {
        var backoff = new Findings(Tier, "exponential_backoff");
        var retryAfter = new Findings(Tier, "retry_after_honoured");
        var writes = new Findings(Tier, "writes_not_replayed");
        foreach (var call in run.Calls)
        {
            foreach (var request in call.Requests.Where(r => !r.Malformed))
            {
                var attempts = call.AttemptsOf[request.Index];
                for (var i = 0; i + 1 < attempts.Count; i++)
                {
                    Pair(run, call, request, attempts[i], attempts[i + 1], backoff, retryAfter, writes);
                }
            }
        }

        return [backoff.Result(), retryAfter.Result(), writes.Result()];
    }

    private static void Pair(RetryCaseRun run, CallView call, RetryRequest request, Attempt failed, Attempt next, Findings backoff, Findings retryAfter, Findings writes)
    {
        if (!failed.IsTransient)
        {
            return; // a retry after a final answer is tier 1's failure
        }

        var gap = next.At - failed.End;
        var retry = next.Retry;
        var delay = RetryRules.Delay(retry);
        if (!request.Replayable && failed.IsAmbiguous)
        {
            writes.Add($"{request.Describe()} has no Idempotency-Key and was sent again after a {failed.Word} (the server may have applied it already: a replay can apply it twice)", run.Evidence(call, request));
        }

        if (failed.RetryAfter is { } asked)
        {
            if (asked > RetryRules.MaxRetryAfter + RetryRules.Epsilon)
            {
                retryAfter.Add($"{request.Describe()} was retried {RetryRules.Seconds(gap)} s after a {failed.Word} whose Retry-After '{failed.Header("Retry-After")}' asks for {RetryRules.Seconds(asked)} s: beyond {RetryRules.MaxRetryAfter} s it is returned, not retried", run.Evidence(call, request));
            }
            else if (gap < asked - RetryRules.Epsilon || gap > asked + delay + RetryRules.Epsilon)
            {
                retryAfter.Add($"{request.Describe()} waited {RetryRules.Seconds(gap)} s after a {failed.Word} with Retry-After '{failed.Header("Retry-After")}' ({RetryRules.Seconds(asked)} s): retry {retry} must wait {RetryRules.Seconds(asked)} to {RetryRules.Seconds(asked + delay)} s", run.Evidence(call, request));
            }

            return;
        }

        if (gap < delay - RetryRules.Epsilon || gap > (2 * delay) + RetryRules.Epsilon)
        {
            backoff.Add($"{request.Describe()} waited {RetryRules.Seconds(gap)} s before retry {retry} after its {RetryRules.Ordinal(retry)} failure ({failed.Word}); retry {retry} must wait {RetryRules.Seconds(delay)} to {RetryRules.Seconds(2 * delay)} s", run.Evidence(call, request));
        }
    }
}

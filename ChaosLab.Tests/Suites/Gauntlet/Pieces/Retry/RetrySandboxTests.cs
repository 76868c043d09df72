using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;
using ChaosLab.Tests.Core.Sandbox;
using static ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry.RetryCaseKit;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// Each check class end to end in the sandbox: the hardened solution passes a small hand-made
/// case, and the same solution with one requirement broken fails exactly the check of that
/// requirement. Then the cheap cheats, graded on real hidden draws.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class RetrySandboxTests
{
    private static readonly GauntletHarness Harness = new(SharedSandbox.Instance);
    private static readonly ScriptedResponse Ok1 = HttpAnswers.Json(200, new JsonObject { ["v"] = 1 });
    private static readonly ScriptedResponse Busy = HttpAnswers.ServerError(503);

    /// <summary>A burst, a 404, a malformed request, a 429 with Retry-After 5, an unkeyed POST reset.</summary>
    private static readonly RetryCase Mixed = Case([1, 2],
    [
        Get("r1", "https://a.test/v1/x/1", Busy, HttpAnswers.Reset(), Busy, Ok1),
        Get("r2", "https://a.test/v1/x/2", HttpAnswers.Repeat(HttpAnswers.Problem(404)).ToArray()),
        new Spec(JsonValue.Create("GET https://a.test/v1/x/3"), [], "a string, not a dict"),
        Get("r4", "https://p.test/v1/prices/4", HttpAnswers.RateLimited("Retry-After", "5"), Ok1),
        new Spec(Request("r5", "https://o.test/v1/orders", "POST"), [HttpAnswers.Reset(), HttpAnswers.Json(201, new JsonObject { ["order"] = 5 })]),
    ]);

    /// <summary>b.test down in call 1 (the breaker opens on r1, r2 is refused) and still cooling down in call 2; eleven one-retry requests in call 3.</summary>
    private static readonly RetryCase Outage = Case([1, 2, 3],
        [Get("r1", "https://b.test/v1/a/1", HttpAnswers.Repeat(Busy).ToArray()), Get("r2", "https://b.test/v1/a/2", HttpAnswers.Repeat(Busy).ToArray())],
        [Get("r3", "https://b.test/v1/a/3", Ok1)],
        [.. Enumerable.Range(10, 11).Select(i => Get($"r{i}", $"https://h{i}.test/v1/x/{i}", Busy, Ok1))]);

    [SandboxFact]
    public async Task Hardened_PassesTheHandMadeCases()
    {
        var code = GauntletTestKit.Solution("retry_hardened");

        Assert.Empty(Failed(await CheckAsync(Mixed, code)));
        Assert.Empty(Failed(await CheckAsync(Outage, code)));
    }

    [SandboxFact]
    public async Task CorrectnessChecks_RetryingA404_FailsOnlyPermanentNotRetried()
    {
        var code = Break("TRANSIENT_STATUS = {429, 500, 502, 503, 504}", "TRANSIENT_STATUS = {404, 429, 500, 502, 503, 504}");

        var failed = Failed(await CheckAsync(Mixed, code));

        Assert.Equal(["permanent_not_retried"], failed.Select(f => f.Check));
        Assert.StartsWith("tier 1: request r2 (GET https://a.test/v1/x/2) in call 1 was sent again after a final 404 answer (404, 404, 404, 404, 404)", failed[0].Message);
    }

    [SandboxFact]
    public async Task CorrectnessChecks_SendingMalformedRequests_FailsOnlyInvalidRejected()
    {
        var code = Break("    if host is None:\n        return result(request_id, error=\"invalid_request\")",
            "    if host is None:\n        transport(request)\n        return result(request_id, error=\"invalid_request\")");

        var failed = Failed(await CheckAsync(Mixed, code));

        Assert.Equal(["invalid_rejected"], failed.Select(f => f.Check));
    }

    [SandboxFact]
    public async Task StabilityChecks_ShortBackoff_FailsOnlyExponentialBackoff()
    {
        var failed = Failed(await CheckAsync(Mixed, Break("BACKOFF_BASE = 0.5 ", "BACKOFF_BASE = 0.1 ")));

        Assert.Equal(["exponential_backoff"], failed.Select(f => f.Check));
        Assert.Equal("tier 2: request r1 (GET https://a.test/v1/x/1) in call 1 waited 0.1 s before retry 1 after its 1st failure (503); retry 1 must wait 0.5 to 1 s (and 2 more)", failed[0].Message);
    }

    [SandboxFact]
    public async Task StabilityChecks_IgnoringRetryAfter_FailsOnlyRetryAfterHonoured()
    {
        var failed = Failed(await CheckAsync(Mixed, Break("asked = retry_after(response)", "asked = None")));

        Assert.Equal(["retry_after_honoured"], failed.Select(f => f.Check));
    }

    [SandboxFact]
    public async Task StabilityChecks_ReplayingAnUnkeyedPost_FailsOnlyWritesNotReplayed()
    {
        var failed = Failed(await CheckAsync(Mixed, Break("if not replayable or not may_retry(", "if not may_retry(")));

        Assert.Equal(["writes_not_replayed"], failed.Select(f => f.Check));
    }

    [SandboxFact]
    public async Task ResilienceChecks_BreakerNotKeptInTheState_FailsOnlyCircuitBreaker()
    {
        var failed = Failed(await CheckAsync(Outage, Break("self.hosts = state.setdefault(\"breakers\", {})", "self.hosts = {}")));

        Assert.Equal(["circuit_breaker"], failed.Select(f => f.Check));
        Assert.StartsWith("tier 3: b.test was sent r3 in call 2", failed[0].Message);
    }

    [SandboxFact]
    public async Task ResilienceChecks_NoRetryBudget_FailsOnlyRetryBudget()
    {
        var failed = Failed(await CheckAsync(Outage, Break("RETRY_BUDGET = 10 ", "RETRY_BUDGET = 100 ")));

        Assert.Equal(["retry_budget"], failed.Select(f => f.Check));
        Assert.Equal("tier 3: call 3 made 11 retries; the budget is 10 per call", failed[0].Message);
    }

    [SandboxFact]
    public async Task ResilienceChecks_SleepNotCounted_FailsOnlyTelemetryTruthful()
    {
        var failed = Failed(await CheckAsync(Outage, Break("telemetry[\"slept\"] += seconds", "pass")));

        Assert.Equal(["telemetry_truthful"], failed.Select(f => f.Check));
        Assert.Equal("tier 3: call 1's telemetry does not match what happened: slept 0 (really 6.5) (and 1 more)", failed[0].Message);
    }

    /// <summary>Cheats a grader without a sandbox would pass: errors for everything with perfect telemetry, and the requests echoed back.</summary>
    [SandboxFact]
    public async Task Cheats_ErrorsForEverythingOrEcho_ScoreNothingOnAnyTier()
    {
        const string errors = """
            def fetch_all(requests, state):
                results = [{"id": r.get("id") if isinstance(r, dict) else None, "ok": False, "status": None, "data": None,
                            "error": "circuit_open", "attempts": 0} for r in requests]
                return {"results": results, "telemetry": {"requests": len(requests), "attempts": 0, "retries": 0, "succeeded": 0,
                        "failed": len(requests), "slept": 0.0, "breaker_opened": 0, "breaker_closed": 0}}
            """;
        const string echo = """
            def fetch_all(requests, state):
                return {"results": requests, "telemetry": {"requests": len(requests), "attempts": len(requests), "retries": 0,
                        "succeeded": len(requests), "failed": 0, "slept": 0.0, "breaker_opened": 0, "breaker_closed": 0}}
            """;
        foreach (var code in new[] { errors, echo })
        {
            foreach (var tier in GauntletDifficulty.Tiers)
            {
                var grading = await GauntletTestKit.GradeAsync(RetryPiece.Instance, code, tier, 3);
                Assert.True(grading.Score.Score <= 0.05, $"{tier}: {grading.Score.Score} {grading.Score.Summary}");
            }
        }
    }

    private static string Break(string correct, string broken)
    {
        var code = GauntletTestKit.Solution("retry_hardened");
        Assert.Contains(correct, code, StringComparison.Ordinal);
        return code.Replace(correct, broken, StringComparison.Ordinal);
    }

    private static async Task<CaseVerdict> CheckAsync(RetryCase retryCase, string code)
    {
        var cases = new RetryCases([retryCase]);
        var run = await Harness.RunAsync(code, "fetch_all", ["transport"], cases.Cases);
        var report = run.Report ?? throw new InvalidOperationException(run.Failure);
        return cases.Check(report).Single();
    }

    private static List<CheckResult> Failed(CaseVerdict verdict) => [.. verdict.Checks.Where(c => !c.Passed)];
}

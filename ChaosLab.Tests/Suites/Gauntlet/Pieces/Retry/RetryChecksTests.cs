using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;
using static ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry.RetryCaseKit;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry;

/// <summary>
/// Every check of the retry piece on hand-made reports: the correct run passes them all, and each
/// run below breaks exactly one requirement and fails exactly that check, with a message that
/// names the request, the call and what happened.
/// </summary>
public sealed class RetryChecksTests
{
    private static readonly ScriptedResponse Ok1 = HttpAnswers.Json(200, new JsonObject { ["v"] = 1 });
    private static readonly ScriptedResponse Busy = HttpAnswers.ServerError(503);
    private static readonly ScriptedResponse Missing = HttpAnswers.Problem(404);

    /// <summary>r1 fails once then succeeds, r2 is a 404, the third request has no url.</summary>
    private static readonly RetryCase Basic = Case([1, 2, 3],
    [
        Get("r1", "https://a.test/v1/x/1", Busy, Ok1),
        Get("r2", "https://a.test/v1/x/2", Missing),
        new Spec(new JsonObject { ["id"] = "r3", ["method"] = "GET" }, [], "no url"),
    ]);

    [Fact]
    public void Check_CorrectRun_PassesEveryCheckOfEveryTier()
    {
        var verdict = Check(Basic, CorrectBasicRun());

        Assert.All(verdict.Checks, c => Assert.True(c.Passed, c.Message));
        Assert.Equal(14, verdict.Checks.Count);
    }

    [Fact]
    public void OneResultPerRequest_MissingResult_FailsWithTheCounts()
    {
        var run = BasicRun(results: [Result("r1", true, 200, null, 2, new JsonObject { ["v"] = 1 }), Result("r2", false, 404, "client_error", 1)]);

        var failed = AssertOnlyFailure(Check(Basic, run), "one_result_per_request");
        Assert.Equal("tier 1: call 1 returned 2 results for 3 requests", failed.Message);
    }

    [Fact]
    public void InvalidRejected_MalformedRequestSent_Fails()
    {
        var recorder = BasicAttempts();
        recorder.Send(Basic.Calls[0][2].Json!, HttpAnswers.Problem(400));
        var run = recorder.Returns(Returned(Telemetry(3, 4, 1, 1, 0.5), CorrectResults()));

        var failed = AssertOnlyFailure(Check(Basic, run), "invalid_rejected");
        Assert.Equal("tier 1: the malformed request at index 2 of call 1 (no url) was sent to transport once; a malformed request is never sent", failed.Message);
    }

    [Fact]
    public void PermanentNotRetried_404SentAgain_Fails()
    {
        var recorder = new CallRecorder(Start).Send(Basic.Calls[0][0].Json!, Busy).Sleep(0.5).Send(Basic.Calls[0][0].Json!, Ok1)
            .Send(Basic.Calls[0][1].Json!, Missing).Sleep(1).Send(Basic.Calls[0][1].Json!, Missing);
        var results = CorrectResults();
        results[1] = Result("r2", false, 404, "client_error", 2);
        var run = recorder.Returns(Returned(Telemetry(3, 4, 2, 1, 1.5), results));

        var failed = AssertOnlyFailure(Check(Basic, run), "permanent_not_retried");
        Assert.StartsWith("tier 1: request r2 (GET https://a.test/v1/x/2) in call 1 was sent again after a final 404 answer (404, 404)", failed.Message);
    }

    [Fact]
    public void TransientRetried_GivesUpAfterOne503_Fails()
    {
        var recorder = new CallRecorder(Start).Send(Basic.Calls[0][0].Json!, Busy).Send(Basic.Calls[0][1].Json!, Missing);
        var results = CorrectResults();
        results[0] = Result("r1", false, 503, "server_error", 1);
        var run = recorder.Returns(Returned(Telemetry(3, 2, 0, 0, 0), results));

        var failed = AssertOnlyFailure(Check(Basic, run), "transient_retried");
        Assert.Equal("tier 1: request r1 (GET https://a.test/v1/x/1) in call 1 gave up after 1 attempt (503) with 4 attempts left, 0 of the call's 10 retries spent and the breaker of a.test closed", failed.Message);
    }

    [Fact]
    public void ResultMatchesResponse_ErrorsForEverything_Fails()
    {
        var results = CorrectResults();
        results[0] = Result("r1", false, null, "server_error", 2);

        var failed = AssertOnlyFailure(Check(Basic, BasicRun(results, Telemetry(3, 3, 1, 1, 0.5))), "result_matches_response");
        Assert.Contains("request r1 (GET https://a.test/v1/x/1) in call 1: after the last answer 200 the result is ok False", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultMatchesResponse_WrongData_FailsNamingTheContentType()
    {
        var results = CorrectResults();
        results[0] = Result("r1", true, 200, null, 2, JsonValue.Create("""{"v":1}"""));

        var failed = AssertOnlyFailure(Check(Basic, BasicRun(results)), "result_matches_response");
        Assert.Contains("the 200 answer (application/json) should give data {\"v\":1}", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExponentialBackoff_ImmediateRetry_Fails()
    {
        var recorder = new CallRecorder(Start).Send(Basic.Calls[0][0].Json!, Busy).Send(Basic.Calls[0][0].Json!, Ok1).Send(Basic.Calls[0][1].Json!, Missing);
        var run = recorder.Returns(Returned(Telemetry(3, 3, 1, 1, 0), CorrectResults()));

        var failed = AssertOnlyFailure(Check(Basic, run), "exponential_backoff");
        Assert.Equal("tier 2: request r1 (GET https://a.test/v1/x/1) in call 1 waited 0 s before retry 1 after its 1st failure (503); retry 1 must wait 0.5 to 1 s", failed.Message);
    }

    [Fact]
    public void RetryAfterHonoured_429RetriedTooSoon_Fails()
    {
        var limited = HttpAnswers.RateLimited("retry-after", "5");
        var retryCase = Case([1, 2], [Get("r1", "https://a.test/v1/p/1", limited, Ok1)]);
        var recorder = new CallRecorder(Start).Send(retryCase.Calls[0][0].Json!, limited).Sleep(1).Send(retryCase.Calls[0][0].Json!, Ok1);
        var run = recorder.Returns(Returned(Telemetry(1, 2, 1, 1, 1), Result("r1", true, 200, null, 2, new JsonObject { ["v"] = 1 })));

        var failed = AssertOnlyFailure(Check(retryCase, run), "retry_after_honoured");
        Assert.Equal("tier 2: request r1 (GET https://a.test/v1/p/1) in call 1 waited 1 s after a 429 with Retry-After '5' (5 s): retry 1 must wait 5 to 5.5 s", failed.Message);
    }

    [Fact]
    public void RetryAfterHonoured_HttpDateBeyondTheLimitRetried_Fails()
    {
        var limited = HttpAnswers.RateLimited("Retry-After", HttpAnswers.HttpDate(Start + 600));
        var retryCase = Case([1, 2], [Get("r1", "https://a.test/v1/p/1", limited, limited)]);
        var recorder = new CallRecorder(Start).Send(retryCase.Calls[0][0].Json!, limited).Sleep(0.5).Send(retryCase.Calls[0][0].Json!, limited);
        var run = recorder.Returns(Returned(Telemetry(1, 2, 1, 0, 0.5), Result("r1", false, 429, "rate_limited", 2)));

        var failed = AssertOnlyFailure(Check(retryCase, run), "retry_after_honoured");
        Assert.Contains("asks for 599.95 s: beyond 30 s it is returned, not retried", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesNotReplayed_PostWithoutKeyReplayedAfterReset_Fails()
    {
        var reset = HttpAnswers.Reset();
        var created = HttpAnswers.Json(201, new JsonObject { ["order"] = 7 });
        var retryCase = Case([1, 2], [new Spec(Request("r1", "https://o.test/v1/orders", "POST"), [reset, created])]);
        var recorder = new CallRecorder(Start).Send(retryCase.Calls[0][0].Json!, reset).Sleep(0.5).Send(retryCase.Calls[0][0].Json!, created);
        var run = recorder.Returns(Returned(Telemetry(1, 2, 1, 1, 0.5), Result("r1", true, 201, null, 2, new JsonObject { ["order"] = 7 })));

        var failed = AssertOnlyFailure(Check(retryCase, run), "writes_not_replayed");
        Assert.StartsWith("tier 2: request r1 (POST https://o.test/v1/orders) in call 1 has no Idempotency-Key and was sent again after a reset", failed.Message);
    }

    [Fact]
    public void WritesNotReplayed_PostWithoutKeyStoppingAfterReset_IsACorrectResult()
    {
        var reset = HttpAnswers.Reset();
        var retryCase = Case([1, 2], [new Spec(Request("r1", "https://o.test/v1/orders", "POST"), [reset, Ok1])]);
        var run = new CallRecorder(Start).Send(retryCase.Calls[0][0].Json!, reset)
            .Returns(Returned(Telemetry(1, 1, 0, 0, 0), Result("r1", false, null, "connection_error", 1)));

        Assert.All(Check(retryCase, run).Checks, c => Assert.True(c.Passed, c.Message));
    }

    [Fact]
    public void RetryBudget_ElevenRetriesInACall_Fails()
    {
        var specs = Enumerable.Range(1, 11).Select(i => Get($"r{i}", $"https://h{i}.test/v1/x/{i}", Busy, Ok1)).ToArray();
        var retryCase = Case([1, 2, 3], specs);
        var recorder = new CallRecorder(Start);
        foreach (var spec in specs)
        {
            recorder.Send(spec.Json!, Busy).Sleep(0.5).Send(spec.Json!, Ok1);
        }

        var results = specs.Select(s => (JsonNode)Result(s.Json!["id"]!.GetValue<string>(), true, 200, null, 2, new JsonObject { ["v"] = 1 })).ToArray();
        var run = recorder.Returns(Returned(Telemetry(11, 22, 11, 11, 5.5), results));

        var failed = AssertOnlyFailure(Check(retryCase, run), "retry_budget");
        Assert.Equal("tier 3: call 1 made 11 retries; the budget is 10 per call", failed.Message);
    }

    [Fact]
    public void CircuitBreaker_HostSentWhileOpen_FailsWithTheTimes()
    {
        var (retryCase, recorder) = Outage();
        recorder.Send(retryCase.Calls[0][1].Json!, Busy);
        var run = recorder.Returns(Returned(Telemetry(2, 6, 4, 0, 6.5, opened: 1), Result("r1", false, 503, "server_error", 5), Result("r2", false, 503, "server_error", 1)),
            new JsonObject { ["breakers"] = new JsonObject { ["b.test"] = new JsonArray(0, Start + 37) } });

        var refused = new CallRecorder(run.Clock).Returns(Returned(Telemetry(1, 0, 0, 0, 0), Result("r4", false, null, "circuit_open", 0)));

        var failed = AssertOnlyFailure(Check(retryCase, [run, refused]), "circuit_breaker");
        Assert.Equal("tier 3: b.test was sent r2 in call 1 at +6.75 s, 0 s after its breaker opened at +6.75 s (5 consecutive failures); it stays open 30 s", failed.Message);
    }

    [Fact]
    public void HalfOpenProbe_RefusedAfterTheCoolDown_FailsInTier3Only()
    {
        var slow = HttpAnswers.Json(200, new JsonObject { ["v"] = 1 }, latency: 40);
        var (retryCase, recorder) = Outage(Get("r3", "https://c.test/v1/report", slow));
        var first = recorder.Send(retryCase.Calls[0][2].Json!, slow).Returns(
            Returned(Telemetry(3, 6, 4, 1, 6.5, opened: 1), Result("r1", false, 503, "server_error", 5), Result("r2", false, null, "circuit_open", 0), Result("r3", true, 200, null, 1, new JsonObject { ["v"] = 1 })));
        var second = new CallRecorder(first.Clock).Returns(Returned(Telemetry(1, 0, 0, 0, 0), Result("r4", false, null, "circuit_open", 0)));

        var failed = AssertOnlyFailure(Check(retryCase, [first, second]), "half_open_probe");
        Assert.Equal("tier 3: request r4 (GET https://b.test/v1/a/4) in call 2 was not sent, but the breaker of b.test (opened in call 1) had cooled down at +36.75 s, before call 2 began at +46.75 s: it should have been sent as the half-open probe", failed.Message);
    }

    [Fact]
    public void StateBounded_StateLoggingEveryAttempt_Fails()
    {
        var state = new JsonObject { ["log"] = new JsonArray([.. Enumerable.Range(0, 60).Select(i => (JsonNode)i)]) };
        var run = BasicAttempts().Returns(Returned(Telemetry(3, 3, 1, 1, 0.5), CorrectResults()), state);

        var failed = AssertOnlyFailure(Check(Basic, run), "state_bounded");
        Assert.Equal("tier 3: after call 1 the state holds a container of 60 items (at most 50)", failed.Message);
    }

    [Fact]
    public void TelemetryStructured_MissingField_FailsBothTelemetryChecks()
    {
        var telemetry = Telemetry(3, 3, 1, 1, 0.5);
        telemetry.Remove("breaker_closed");
        var verdict = Check(Basic, BasicRun(telemetry: telemetry));

        Assert.Equal(["telemetry_structured", "telemetry_truthful"], verdict.Checks.Where(c => !c.Passed).Select(c => c.Check));
        Assert.Equal("tier 3: call 1's telemetry field 'breaker_closed' is None, not an integer", verdict.Checks.First(c => !c.Passed).Message);
    }

    [Fact]
    public void TelemetryTruthful_ConstantCounts_Fails()
    {
        var failed = AssertOnlyFailure(Check(Basic, BasicRun(telemetry: Telemetry(3, 1, 0, 3, 0))), "telemetry_truthful");

        Assert.Equal("tier 3: call 1's telemetry does not match what happened: attempts 1 (really 3), retries 0 (really 1), succeeded 3 (really 1), failed 0 (really 2), slept 0 (really 0.5)", failed.Message);
    }

    [Fact]
    public void Check_CallThatRaised_FailsTheChecksThatNeedItsResult()
    {
        var run = BasicAttempts().Raises("KeyError", "'url'");

        var failed = Check(Basic, run).Checks.Where(c => !c.Passed).Select(c => c.Check).ToList();

        Assert.Equal(["one_result_per_request", "invalid_rejected", "transient_retried", "result_matches_response", "telemetry_structured", "telemetry_truthful"], failed);
        Assert.Equal("tier 1: call 1 raised KeyError: 'url' (line 9)", Check(Basic, run).Checks[0].Message);
    }

    [Fact]
    public void TransientRetried_RequestNeverSentWithoutABreaker_FailsInTier1()
    {
        var run = new CallRecorder(Start).Send(Basic.Calls[0][1].Json!, Missing)
            .Returns(Returned(Telemetry(3, 1, 0, 0, 0), Result("r1", false, null, "circuit_open", 0), Result("r2", false, 404, "client_error", 1), Result("r3", false, null, "invalid_request", 0)));

        var failed = AssertOnlyFailure(Check(Basic, run), "transient_retried");
        Assert.Equal("tier 1: request r1 (GET https://a.test/v1/x/1) in call 1 was never sent, though no breaker had opened for a.test", failed.Message);
    }

    /// <summary>b.test is down: r1 fails five times (the breaker opens), r2 is refused; extra requests follow in call 1, and r4 (b.test) is call 2.</summary>
    private static (RetryCase Case, CallRecorder Recorder) Outage(params Spec[] more)
    {
        var down = HttpAnswers.Repeat(Busy).ToArray();
        var retryCase = Case([1, 2, 3],
            [Get("r1", "https://b.test/v1/a/1", down), Get("r2", "https://b.test/v1/a/2", down), .. more],
            [Get("r4", "https://b.test/v1/a/4", Ok1)]);
        var recorder = new CallRecorder(Start);
        var r1 = retryCase.Calls[0][0].Json!;
        recorder.Send(r1, Busy).Sleep(0.5).Send(r1, Busy).Sleep(1).Send(r1, Busy).Sleep(2).Send(r1, Busy).Sleep(3).Send(r1, Busy);
        return (retryCase, recorder);
    }

    private static CallRecorder BasicAttempts() => new CallRecorder(Start)
        .Send(Basic.Calls[0][0].Json!, Busy).Sleep(0.5).Send(Basic.Calls[0][0].Json!, Ok1)
        .Send(Basic.Calls[0][1].Json!, Missing);

    private static CallRun CorrectBasicRun() => BasicRun();

    private static CallRun BasicRun(JsonNode[]? results = null, JsonObject? telemetry = null) =>
        BasicAttempts().Returns(Returned(telemetry ?? Telemetry(3, 3, 1, 1, 0.5), results ?? CorrectResults()));

    private static JsonNode[] CorrectResults() =>
    [
        Result("r1", true, 200, null, 2, new JsonObject { ["v"] = 1 }),
        Result("r2", false, 404, "client_error", 1),
        Result("r3", false, null, "invalid_request", 0),
    ];

    private static CaseVerdict Check(RetryCase retryCase, CallRun run) => Check(retryCase, [run]);

    private static CaseVerdict Check(RetryCase retryCase, IReadOnlyList<CallRun> runs) =>
        new RetryCases([retryCase]).Check(new HarnessReport(null, [new CaseRun(retryCase.Id, runs)])).Single();

    private static CheckResult AssertOnlyFailure(CaseVerdict verdict, string check)
    {
        var failed = verdict.Checks.Where(c => !c.Passed).ToList();
        Assert.True(failed.Count == 1 && failed[0].Check == check, "failed: " + string.Join("; ", failed.Select(f => f.Message)));
        Assert.NotNull(failed[0].Evidence);
        return failed[0];
    }
}

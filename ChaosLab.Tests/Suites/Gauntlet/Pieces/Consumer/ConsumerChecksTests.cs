using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;
using static ChaosLab.Tests.Suites.Gauntlet.Pieces.Consumer.ConsumerReports;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Consumer;

/// <summary>Every check of the consumer, from hand-built reports: the correct one passes, each broken one fails with its message.</summary>
public sealed class ConsumerChecksTests
{
    private static readonly ConsumerCases Cases = Draw();
    private static readonly HarnessReport Correct = Perfect(Cases);

    private static ConsumerCase First(Func<ConsumerCase, bool> predicate) => Cases.Generated.First(predicate);

    [Fact]
    public void Check_CorrectReport_PassesEveryCheckOfEveryCase()
    {
        var verdicts = Cases.Check(Correct);

        Assert.Equal(Cases.Generated.Count, verdicts.Count);
        Assert.All(verdicts, v => Assert.All(v.Checks, c => Assert.True(c.Passed, c.Message)));
        Assert.All(verdicts, v => Assert.Equal(
            ["exactly_once", "malformed_rejected", "balances_exact", "per_key_order", "late_dead_lettered", "state_bounded", "commit_retried", "telemetry_truthful"],
            v.Checks.Select(c => c.Check)));
    }

    [Fact]
    public void ExactlyOnce_NothingApplied_FailsNamingTheFirstEventNeverApplied()
    {
        var c = Cases.Generated[0];
        var report = With(Correct, c.Id, calls => [.. calls.Select(call => Returning(call, "applied", new JsonArray()))]);

        var result = Result(Cases.Check(report), c.Id, "exactly_once");

        var first = c.AppliedByEnd.First();
        Assert.False(result.Passed);
        Assert.StartsWith($"tier 1: {first} (delivered in call ", result.Message);
        Assert.EndsWith("was never applied", result.Message);
        Assert.Equal(first.Id, result.Evidence!["deliveries"]!.AsObject().Select(d => d.Value?["id"]?.GetValue<string>()).First(id => id == first.Id));
    }

    [Fact]
    public void ExactlyOnce_ADuplicateAppliedAgainInALaterCall_Fails()
    {
        var c = Cases.Generated[1];
        var again = c.Truth[0].Applied[0];
        var report = With(Correct, c.Id, calls => Replace(calls, 1, call => Returning(call, "applied", new JsonArray([.. PyValue.Items(PyValue.Get(call.Returned, "applied"))!.Select(n => n!.DeepClone()), again.Id]))));

        var result = Result(Cases.Check(report), c.Id, "exactly_once");

        Assert.Equal($"tier 1: call 2 applied {again} a second time (first in call 1): a duplicate delivery was applied twice", result.Message);
    }

    [Fact]
    public void ExactlyOnce_AMalformedDeliveryApplied_FailsNamingIt()
    {
        var c = First(x => x.Calls[0].Any(d => !d.IsValid && d.Event is null && PyValue.IsString(PyValue.Get(d.Json, "id"))));
        var index = c.Calls[0].ToList().FindIndex(d => !d.IsValid && d.Event is null && PyValue.IsString(PyValue.Get(d.Json, "id")));
        var id = PyValue.Get(c.Calls[0][index].Json, "id")!.GetValue<string>();
        var report = With(Correct, c.Id, calls => Replace(calls, 0, call => Returning(call, "applied", new JsonArray([.. c.Truth[0].Applied.Select(e => (JsonNode)e.Id), id]))));

        var result = Result(Cases.Check(report), c.Id, "exactly_once");

        Assert.StartsWith($"tier 1: call 1 applied '{id}' (applied[{c.Truth[0].Applied.Count}]), which is no valid event: the malformed delivery at index {index} of call 1 (", result.Message);
    }

    [Fact]
    public void ExactlyOnce_ACallThatRaised_FailsWithWhatItRaised()
    {
        var c = Cases.Generated[0];
        var report = With(Correct, c.Id, calls => Replace(calls, 1, call => call with
        {
            Status = CallStatus.Raised,
            Returned = null,
            Error = new HarnessError("ValueError", "could not convert string to float: 'ERR'", "line 14"),
        }));

        var verdict = Cases.Check(report).Single(v => v.CaseId == c.Id);

        Assert.Equal("tier 1: call 2 raised ValueError: could not convert string to float: 'ERR' (line 14), so its deliveries were not applied", verdict.Checks.Single(x => x.Check == "exactly_once").Message);
        Assert.All(verdict.Checks.Where(x => x.Check != "state_bounded"), x => Assert.False(x.Passed));
    }

    [Fact]
    public void MalformedRejected_CountTooLow_FailsListingTheMalformedDeliveries()
    {
        var c = First(x => x.Truth[0].Malformed.Count > 0);
        var report = With(Correct, c.Id, calls => Replace(calls, 0, call => Returning(call, "rejected", 0)));

        var result = Result(Cases.Check(report), c.Id, "malformed_rejected");

        var first = c.Truth[0].Malformed[0];
        Assert.StartsWith($"tier 1: call 1 reported rejected=0, but {c.Truth[0].Malformed.Count} of its deliveries are malformed: index {first} ({c.Calls[0][first].Malformed})", result.Message);
        Assert.True(result.Evidence!["malformed"]!.AsObject().ContainsKey(first.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void MalformedRejected_ABoolCount_IsNotACount()
    {
        var c = Cases.Generated[0];
        var report = With(Correct, c.Id, calls => Replace(calls, 0, call => Returning(call, "rejected", true)));

        Assert.StartsWith("tier 1: call 1 reported rejected=True (not a count)", Result(Cases.Check(report), c.Id, "malformed_rejected").Message);
    }

    [Fact]
    public void BalancesExact_ANaNBalance_FailsWithTheExpectedSum()
    {
        var c = Cases.Generated[0];
        var key = c.Truth[0].Applied[0].Key;
        var expected = c.Truth[0].Applied.Where(e => e.Key == key).Sum(e => e.Amount);
        var report = With(Correct, c.Id, calls => Replace(calls, 0, call =>
        {
            var balances = PyValue.Get(call.Returned, "balances")!.DeepClone().AsObject();
            balances[key] = PyValue.NaN;
            return Returning(call, "balances", balances);
        }));

        var result = Result(Cases.Check(report), c.Id, "balances_exact");

        Assert.Equal($"tier 1: after call 1 the balance of {key} is nan, but the events the consumer applied to it sum to {expected} (cents)", result.Message);
    }

    [Fact]
    public void PerKeyOrder_SwappedEventsOfAnAccount_Fail()
    {
        var c = Cases.Generated[0];
        var applied = c.Truth[0].Applied;
        var key = applied[0].Key;
        var pair = applied.Where(e => e.Key == key).Take(2).ToList();
        var swapped = applied.Select(e => e == pair[0] ? pair[1] : e == pair[1] ? pair[0] : e).Select(e => (JsonNode)e.Id);
        var report = With(Correct, c.Id, calls => Replace(calls, 0, call => Returning(call, "applied", new JsonArray([.. swapped]))));

        var result = Result(Cases.Check(report), c.Id, "per_key_order");

        Assert.Equal($"tier 2: call 1 applied {pair[0]} after {key} seq {pair[1].Seq}: an account's events must be applied in seq order", result.Message);
        Assert.True(Result(Cases.Check(report), c.Id, "exactly_once").Passed);
    }

    [Fact]
    public void PerKeyOrder_AnEventAppliedBeforeItsGapFilled_FailsSayingItMustWait()
    {
        // An event a correct consumer holds in one call and applies in a later one.
        var (c, call, e) = Cases.Generated
            .SelectMany(x => Enumerable.Range(0, x.Calls.Count - 1).SelectMany(k => x.Truth[k + 1].Applied
                .Where(ev => x.FirstDelivery(ev) is { } at && at.Call <= k && !x.SkippedIn.ContainsKey(ev.Id))
                .Select(ev => (x, k, ev))))
            .First();
        var report = With(Correct, c.Id, calls => Replace(Replace(calls, call, r => Returning(r, "applied", new JsonArray([.. c.Truth[call].Applied.Select(a => (JsonNode)a.Id), e.Id]))),
            call + 1, r => Returning(r, "applied", new JsonArray([.. c.Truth[call + 1].Applied.Where(a => a != e).Select(a => (JsonNode)a.Id)]))));

        var result = Result(Cases.Check(report), c.Id, "per_key_order");

        Assert.False(result.Passed);
        Assert.Contains($"applied {e}, but a lower seq of {e.Key} was still missing: it waits in the reorder buffer", result.Message);
    }

    [Fact]
    public void LateDeadLettered_ALateEventAppliedInsteadOfDeadLettered_FailsBothOrderingChecks()
    {
        var c = First(x => x.Truth.Any(t => t.DeadLettered.Count > 0));
        var call = c.Truth.ToList().FindIndex(t => t.DeadLettered.Count > 0);
        var late = c.Truth[call].DeadLettered[0];
        var report = With(Correct, c.Id, calls => Replace(calls, call, r => Returning(Returning(r, "dead_letter", new JsonArray()), "applied",
            new JsonArray([.. c.Truth[call].Applied.Select(a => (JsonNode)a.Id), late.Id]))));

        var verdicts = Cases.Check(report);

        Assert.Equal($"tier 2: call {call + 1} did not dead-letter {late}: {late.Key} had skipped seq {late.Seq} in call {c.SkippedIn[late.Id] + 1}, so this delivery is late", Result(verdicts, c.Id, "late_dead_lettered").Message);
        Assert.Contains("a late event is dead-lettered, never applied out of order", Result(verdicts, c.Id, "per_key_order").Message);
        Assert.True(Result(verdicts, c.Id, "exactly_once").Passed);
    }

    [Fact]
    public void LateDeadLettered_ADuplicateDeadLettered_Fails()
    {
        var c = Cases.Generated[0];
        var notLate = c.Truth[1].Applied[0];
        var report = With(Correct, c.Id, calls => Replace(calls, 1, r => Returning(r, "dead_letter", new JsonArray([.. c.Truth[1].DeadLettered.Select(e => (JsonNode)e.Id), notLate.Id]))));

        Assert.StartsWith($"tier 2: call 2 dead-lettered {notLate}, which is not a late event in that call", Result(Cases.Check(report), c.Id, "late_dead_lettered").Message);
    }

    [Fact]
    public void StateBounded_ASetOfEveryIdSeen_FailsNamingTheContainer()
    {
        var c = Cases.Generated[0];
        var ids = new JsonArray([.. c.Events.Keys.Take(ResilienceChecks.MaxStateItems + 1).Select(id => (JsonNode)id)]);
        var report = With(Correct, c.Id, calls => Replace(calls, 2, r => r with { State = new JsonObject { ["balances"] = new JsonObject(), ["seen"] = new JsonObject { ["$set"] = ids } } }));

        var result = Result(Cases.Check(report), c.Id, "state_bounded");

        Assert.StartsWith($"tier 3: after call 3 state['seen'] holds {ResilienceChecks.MaxStateItems + 1} items (the bound is {ResilienceChecks.MaxStateItems})", result.Message);
    }

    [Fact]
    public void CommitRetried_TooManyAttempts_NoBackoff_GivingUpEarly_AndWrongOffsets_EachFail()
    {
        var c = First(x => x.Harness.Dependencies!["commit"].Default.Any(r => r.IsRaise));
        var call = Correct.Find(c.Id)!.Calls.ToList().FindIndex(r => r.Dependencies[0].Response.IsRaise);
        var run = Correct.Find(c.Id)!.Calls[call];
        var first = run.Dependencies[0];
        string Message(Func<CallRun, CallRun> change) => Result(Cases.Check(With(Correct, c.Id, calls => Replace(calls, call, change))), c.Id, "commit_retried").Message!;

        Assert.Equal($"tier 3: call {call + 1} made 4 commit attempts (the bound is 3 per call)",
            Message(r => r with { Dependencies = [first, first with { At = 1 }, first with { At = 2 }, first with { At = 3 }] }));
        Assert.StartsWith($"tier 3: call {call + 1} retried the commit without backing off (attempts 1 and 2 both at t=",
            Message(r => r with { Dependencies = [first, r.Dependencies[1] with { At = first.At }] }));
        Assert.Equal($"tier 3: call {call + 1} gave up after 1 commit attempt(s) that failed with {first.Response.Raise} (retry up to 3)",
            Message(r => r with { Dependencies = [first] }));
        Assert.StartsWith($"tier 3: call {call + 1} committed {{}}, but the consumed offsets are {{'",
            Message(r => r with { Dependencies = [first with { Argument = new JsonObject() }] }));
        Assert.Equal($"tier 3: call {call + 1} never committed its offsets", Message(r => r with { Dependencies = [] }));
    }

    [Fact]
    public void TelemetryTruthful_ConstantCountsOrAWrongCommittedFlag_Fail()
    {
        var c = First(x => x.Truth[0].Duplicates > 0);
        string Message(Func<CallRun, CallRun> change) => Result(Cases.Check(With(Correct, c.Id, calls => Replace(calls, 0, change))), c.Id, "telemetry_truthful").Message!;

        Assert.Equal($"tier 3: call 1 telemetry says duplicates=0, but {c.Truth[0].Duplicates} happened in that call", Message(r => WithTelemetry(r, "duplicates", 0)));
        Assert.Equal("tier 3: call 1 telemetry['buffered'] is True, not a count", Message(r => WithTelemetry(r, "buffered", true)));
        Assert.StartsWith("tier 3: call 1 telemetry says committed=False, but the commit succeeded", Message(r => WithTelemetry(r, "committed", false)));
        Assert.Equal("tier 3: call 1 returned telemetry = None, not a dict", Message(r => Returning(r, "telemetry", null)));
    }

    [Fact]
    public void Check_ACaseMissingFromTheReport_FailsEveryTier()
    {
        var report = Correct with { Cases = [.. Correct.Cases.Skip(1)] };

        var verdict = Cases.Check(report).Single(v => v.CaseId == Cases.Generated[0].Id);

        Assert.Equal([1, 2, 3], verdict.Checks.Where(x => !x.Passed).Select(x => x.Tier).Order());
    }
}

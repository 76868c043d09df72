using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Stream;

/// <summary>The stream piece's checks on hand-built reports: the ideal run passes, and each broken requirement fails its check with a useful message.</summary>
public sealed class StreamChecksTests
{
    [Theory]
    [InlineData("warmup", 1)]
    [InlineData("beginner", 2)]
    [InlineData("intermediate", 3)]
    [InlineData("expert", 4)]
    [InlineData("expert", 5)]
    public void Check_IdealRun_PassesEveryCheckOfEveryGradedTier(string tier, long seed)
    {
        var cases = StreamReports.Draw(tier, seed);

        var verdicts = cases.Check(StreamReports.Ideal(cases));

        Assert.All(verdicts, v => Assert.All(v.Checks, c => Assert.True(c.Passed, $"{v.CaseId} {c.Check}: {c.Message}")));
        var expected = tier switch { "warmup" => 5, "beginner" => 9, _ => 14 };
        Assert.All(verdicts, v => Assert.Equal(expected, v.Checks.Count));
    }

    [Fact]
    public void NumericOutput_NaNReading_FailsNamingTheIndexAndTheSourceEvent()
    {
        var (cases, truth, _) = StreamReports.Find("warmup", t => StreamReports.Has(t, "stream_nan_storm"));
        var (call, index) = FirstIndex(truth, e => e.Label == StreamLabel.Invalid && e.Value is { } v && double.IsNaN(v));
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, call, r => StreamReports.Edit(r, o =>
            o["readings"]!.AsArray().Insert(0, new JsonObject { ["sensor"] = truth.Calls[call].Events[index].Sensor, ["ts"] = truth.Calls[call].Events[index].Ts, ["value"] = PyValue.NaN })));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "numeric_output");

        Assert.False(result.Passed);
        Assert.StartsWith($"tier 1: the value nan reached the output at index 0 of call {call}", result.Message);
        Assert.Equal(index, result.Evidence!["index"]!.GetValue<int>());
        Assert.True(StreamReports.Result(cases.Check(report), truth.Id, "invalid_rejected") is { Passed: false, Message: var m } && m!.Contains("an invalid event reached the output", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidRejected_NumericStringConverted_Fails()
    {
        var (cases, truth, _) = StreamReports.Find("warmup", t => t.Calls.Any(c => c.Events.Any(e => e.Defect.StartsWith("the string '", StringComparison.Ordinal) && e.Sensor is not null && e.Ts is not null)));
        var (call, index) = FirstIndex(truth, e => e.Defect.StartsWith("the string '", StringComparison.Ordinal) && e.Ts is not null);
        var e = truth.Calls[call].Events[index];
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, call, r => StreamReports.Edit(r, o =>
            o["readings"] = Sorted(o["readings"]!.AsArray(), new JsonObject { ["sensor"] = e.Sensor, ["ts"] = e.Ts, ["value"] = 21.5 })));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "invalid_rejected");

        Assert.False(result.Passed);
        Assert.Contains($"an invalid event reached the output", result.Message, StringComparison.Ordinal);
        Assert.Contains($"event {index} of call {call} (the string", result.Message, StringComparison.Ordinal);
        Assert.True(StreamReports.Result(cases.Check(report), truth.Id, "numeric_output").Passed);
    }

    [Fact]
    public void InvalidRejected_ReadingOfAnEarlierCallEmittedAgain_Fails()
    {
        var cases = StreamReports.Draw("warmup", 1);
        var truth = cases.Truths[0];
        var report = StreamReports.Ideal(cases);
        var first = report.Cases[0].Calls[0].Returned!["readings"]!.AsArray()[0]!.DeepClone();
        report = StreamReports.With(report, truth.Id, 1, r => StreamReports.Edit(r, o => o["readings"]!.AsArray().Insert(0, first)));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "invalid_rejected");

        Assert.False(result.Passed);
        Assert.Contains("which is none of this call's events", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StreamLabel.Future, "a reading from a drifted clock reached the output")]
    [InlineData(StreamLabel.Late, "a late reading reached the output")]
    public void DriftRejected_DriftedOrLateReadingEmitted_Fails(StreamLabel label, string expected)
    {
        var (cases, truth, _) = StreamReports.Find("warmup", t => t.Calls.Any(c => c.Events.Any(e => e.Label == label)));
        var (call, index) = FirstIndex(truth, e => e.Label == label);
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, call, r => StreamReports.Edit(r, o =>
            o["readings"]!.AsArray().Add(StreamReports.Reading(truth.Calls[call].Events[index]))));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "drift_rejected");

        Assert.False(result.Passed);
        Assert.StartsWith($"tier 1: {expected}", result.Message);
    }

    [Fact]
    public void ValidKept_NothingReturned_FailsNamingTheLostReading()
    {
        var cases = StreamReports.Draw("warmup", 3);
        var truth = cases.Truths[0];
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, 0, r => StreamReports.Edit(r, o => o["readings"] = new JsonArray()));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "valid_kept");

        Assert.False(result.Passed);
        Assert.StartsWith("tier 1: a valid reading was lost in call 0: ", result.Message);
        Assert.True(StreamReports.Result(cases.Check(report), truth.Id, "numeric_output").Passed);
    }

    [Fact]
    public void ValidKept_ReadingTwiceOrChanged_Fails()
    {
        var cases = StreamReports.Draw("warmup", 3);
        var truth = cases.Truths[0];
        var report = StreamReports.Ideal(cases);
        var twice = StreamReports.With(report, truth.Id, 0, r => StreamReports.Edit(r, o => o["readings"]!.AsArray().Insert(0, o["readings"]![0]!.DeepClone())));
        var changed = StreamReports.With(report, truth.Id, 0, r => StreamReports.Edit(r, o => o["readings"]![0]!["value"] = 1e6));

        Assert.Contains("was emitted 2 times", StreamReports.Result(cases.Check(twice), truth.Id, "valid_kept").Message, StringComparison.Ordinal);
        Assert.Contains("was emitted with value 1000000", StreamReports.Result(cases.Check(changed), truth.Id, "valid_kept").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chronological_UnsortedOrBehindAnEarlierCall_Fails()
    {
        var cases = StreamReports.Draw("warmup", 1);
        var truth = cases.Truths[0];
        var report = StreamReports.Ideal(cases);
        var reversed = StreamReports.With(report, truth.Id, 1, r => StreamReports.Edit(r, o => o["readings"] = new JsonArray([.. o["readings"]!.AsArray().Reverse().Select(n => n!.DeepClone())])));
        var firstOfCall0 = report.Cases[0].Calls[0].Returned!["readings"]!.AsArray()[0]!.DeepClone();
        var behind = StreamReports.With(report, truth.Id, 1, r => StreamReports.Edit(r, o => o["readings"]!.AsArray().Insert(0, firstOfCall0)));

        Assert.Contains("call 1's output goes back in time at index 1", StreamReports.Result(cases.Check(reversed), truth.Id, "chronological").Message, StringComparison.Ordinal);
        Assert.Contains("that call 0 already emitted", StreamReports.Result(cases.Check(behind), truth.Id, "chronological").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCheck_CallThatRaised_FailsWithTheReason()
    {
        var cases = StreamReports.Draw("expert", 1);
        var truth = cases.Truths[0];
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, 1, r => r with
        {
            Status = CallStatus.Raised,
            Returned = null,
            Error = new HarnessError("ValueError", "could not convert string to float: 'ERR'", "line 14"),
        });

        var verdict = cases.Check(report).Single(v => v.CaseId == truth.Id);

        Assert.All(verdict.Checks, c => Assert.Equal($"tier {c.Tier}: call 1 raised ValueError: could not convert string to float: 'ERR' (line 14)", c.Message));
    }

    [Fact]
    public void SpikesRemoved_SpikeEmitted_FailsButTierOnePasses()
    {
        var (cases, truth, _) = StreamReports.Find("beginner", t => StreamReports.Has(t, "stream_spike"));
        var (call, index) = FirstIndex(truth, e => e.Label == StreamLabel.Spike);
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, call, r => StreamReports.Edit(r, o =>
            o["readings"] = Sorted(o["readings"]!.AsArray(), StreamReports.Reading(truth.Calls[call].Events[index]))));

        var verdict = cases.Check(report).Single(v => v.CaseId == truth.Id);

        var spikes = verdict.Checks.Single(c => c.Check == "spikes_removed");
        Assert.False(spikes.Passed);
        Assert.Contains($"a spike reached the output", spikes.Message, StringComparison.Ordinal);
        Assert.Contains($"(event {index})", spikes.Message, StringComparison.Ordinal);
        Assert.True(verdict.PassesThrough(1));
    }

    [Fact]
    public void MinorityKept_SecondLevelTrimmed_Fails()
    {
        var (cases, truth, _) = StreamReports.Find("beginner", t => StreamReports.Has(t, "stream_minority_pattern"));
        var (call, index) = FirstIndex(truth, e => e.Label == StreamLabel.Minority);
        var e = truth.Calls[call].Events[index];
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, call, r => StreamReports.Edit(r, o =>
            o["readings"] = new JsonArray([.. o["readings"]!.AsArray().Where(n => !(n!["sensor"]!.GetValue<string>() == e.Sensor && n["ts"]!.GetValue<double>() == e.Ts)).Select(n => n!.DeepClone())])));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "minority_kept");

        Assert.False(result.Passed);
        Assert.StartsWith($"tier 2: a reading of a sensor's second level was lost in call {call}", result.Message);
        Assert.Contains("not a spike", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FlatStable_NonZeroStdOnAFlatWindow_Fails()
    {
        var (cases, truth, _) = StreamReports.Find("beginner", t => t.FlatSensor is { } flat && StreamStatisticsChecks.ExpectedWindows(t)[^1][flat].Distinct().Count() == 1);
        var last = truth.Calls.Count - 1;
        var report = StreamReports.With(StreamReports.Ideal(cases), truth.Id, last, r => StreamReports.Edit(r, o => o["stats"]![truth.FlatSensor!]!["std"] = 1e-3));

        var result = StreamReports.Result(cases.Check(report), truth.Id, "flat_stable");

        Assert.False(result.Passed);
        Assert.Contains($"the flat sensor {truth.FlatSensor}", result.Message, StringComparison.Ordinal);
        Assert.Contains("give std 0.001 where it is 0", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatsWindowed_UnboundedCountOrWrongMean_Fails()
    {
        var cases = StreamReports.Draw("beginner", 1);
        var truth = cases.Truths[0];
        var sensor = truth.Sensors[0].Name;
        var last = truth.Calls.Count - 1;
        var report = StreamReports.Ideal(cases);
        var count = StreamReports.With(report, truth.Id, last, r => StreamReports.Edit(r, o => o["stats"]![sensor]!["count"] = 500));
        var mean = StreamReports.With(report, truth.Id, last, r => StreamReports.Edit(r, o => o["stats"]![sensor]!["mean"] = o["stats"]![sensor]!["mean"]!.GetValue<double>() + 0.5));
        var missing = StreamReports.With(report, truth.Id, last, r => StreamReports.Edit(r, o => o.Remove("stats")));

        Assert.Contains($"stats[{sensor}].count is 500 where the window holds 60 readings", StreamReports.Result(cases.Check(count), truth.Id, "stats_windowed").Message, StringComparison.Ordinal);
        Assert.Contains($"stats[{sensor}].mean is", StreamReports.Result(cases.Check(mean), truth.Id, "stats_windowed").Message, StringComparison.Ordinal);
        Assert.Contains("no 'stats'", StreamReports.Result(cases.Check(missing), truth.Id, "stats_windowed").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateBounded_LongListOrHugeString_Fails()
    {
        var cases = StreamReports.Draw("expert", 1);
        var truth = cases.Truths[0];
        var report = StreamReports.Ideal(cases);
        var list = StreamReports.With(report, truth.Id, 0, r => r with { State = new JsonObject { ["buffer"] = new JsonArray([.. Enumerable.Range(0, 241).Select(i => (JsonNode)i)]) } });
        var text = StreamReports.With(report, truth.Id, 0, r => r with { State = new JsonObject { ["buffer"] = new string('x', 70_000) } });

        Assert.Contains("the state holds a container of 241 items", StreamReports.Result(cases.Check(list), truth.Id, "state_bounded").Message, StringComparison.Ordinal);
        Assert.Contains("the state serializes to 70,0", StreamReports.Result(cases.Check(text), truth.Id, "state_bounded").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishRetries_TooManyNoBackoffOrGivingUp_Fails()
    {
        var (cases, truth, _) = StreamReports.Find("expert", t => StreamReports.Has(t, "stream_sink_outage"));
        var report = StreamReports.Ideal(cases);
        var (call, attempts) = report.Find(truth.Id)!.Calls.Select((c, i) => (i, c.Dependencies)).First(p => p.Dependencies.Count == 3);
        var fourth = StreamReports.With(report, truth.Id, call, r => r with { Dependencies = [.. r.Dependencies, r.Dependencies[^1] with { At = r.Dependencies[^1].At + 2 }] });
        var hasty = StreamReports.With(report, truth.Id, call, r => r with { Dependencies = [.. r.Dependencies.Select(d => d with { At = r.Dependencies[0].At })] });
        var gaveUp = StreamReports.With(report, truth.Id, call, r => r with { Dependencies = [r.Dependencies[0]] });

        Assert.Contains("called publish 4 times; at most 3", StreamReports.Result(cases.Check(fourth), truth.Id, "publish_retries").Message, StringComparison.Ordinal);
        Assert.Contains("retried publish 0 s after attempt 1 failed", StreamReports.Result(cases.Check(hasty), truth.Id, "publish_retries").Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 1 failed publish attempt(s)", StreamReports.Result(cases.Check(gaveUp), truth.Id, "publish_retries").Message, StringComparison.Ordinal);
        Assert.Equal(3, attempts.Count);
    }

    [Fact]
    public void Delivery_PendingReadingsNotRepublished_Fails()
    {
        var (cases, truth, _) = StreamReports.Find("expert", t => StreamReports.Has(t, "stream_sink_outage"));
        var report = StreamReports.Ideal(cases);
        var runs = report.Find(truth.Id)!.Calls;
        var recovery = Enumerable.Range(1, runs.Count - 1).First(i => runs[i - 1].Dependencies.All(d => d.Response.IsRaise) && runs[i].Dependencies.Any(d => !d.Response.IsRaise));
        var fresh = StreamReports.Readings(truth.Calls[recovery].Accepted());
        var broken = StreamReports.With(report, truth.Id, recovery, r => r with { Dependencies = [.. r.Dependencies.Select(d => d.Response.IsRaise ? d : d with { Argument = fresh })] });

        var result = StreamReports.Result(cases.Check(broken), truth.Id, "delivery");

        Assert.False(result.Passed);
        Assert.StartsWith($"tier 3: call {recovery} published {fresh.Count} readings where ", result.Message);
        Assert.Contains("kept from earlier calls", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Telemetry_MissingOrConstant_FailsStructureOrTruth()
    {
        var cases = StreamReports.Draw("expert", 2);
        var truth = cases.Truths[0];
        var report = StreamReports.Ideal(cases);
        var missing = StreamReports.With(report, truth.Id, 0, r => StreamReports.Edit(r, o => o["telemetry"]!.AsObject().Remove("shed")));
        var constant = report with
        {
            Cases = [.. report.Cases.Select(c => c with { Calls = [.. c.Calls.Select(r => StreamReports.Edit(r, o => o["telemetry"] = new JsonObject
            {
                ["received"] = 100, ["accepted"] = 90, ["published"] = 90, ["publish_attempts"] = 1, ["pending"] = 0, ["shed"] = 0,
                ["dropped"] = new JsonObject { ["invalid"] = 10, ["future"] = 0, ["late"] = 0, ["spike"] = 0 }, ["backpressure"] = true,
            }))] })],
        };

        Assert.Contains("lacks or mistypes shed", StreamReports.Result(cases.Check(missing), truth.Id, "telemetry_structured").Message, StringComparison.Ordinal);
        Assert.False(StreamReports.Result(cases.Check(missing), truth.Id, "telemetry_truthful").Passed);
        Assert.All(cases.Check(constant), v => Assert.False(v.Checks.Single(c => c.Check == "telemetry_truthful").Passed));
        Assert.Contains("telemetry says received = 100 where", StreamReports.Result(cases.Check(constant), truth.Id, "telemetry_truthful").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryTruthful_PublishedClaimedWhileTheSinkFailed_Fails()
    {
        var (cases, truth, _) = StreamReports.Find("expert", t => StreamReports.Has(t, "stream_sink_outage"));
        var report = StreamReports.Ideal(cases);
        var call = report.Find(truth.Id)!.Calls.Select((c, i) => (c, i)).First(p => p.c.Dependencies.Count == 3 && p.c.Dependencies.All(d => d.Response.IsRaise)).i;
        var lying = StreamReports.With(report, truth.Id, call, r => StreamReports.Edit(r, o =>
        {
            o["telemetry"]!["published"] = o["telemetry"]!["pending"]!.GetValue<int>();
            o["telemetry"]!["pending"] = 0;
        }));

        var result = StreamReports.Result(cases.Check(lying), truth.Id, "telemetry_truthful");

        Assert.StartsWith($"tier 3: call {call}'s telemetry says published = ", result.Message);
        Assert.EndsWith("where 0 readings were published", result.Message);
    }

    private static (int Call, int Index) FirstIndex(StreamCaseTruth truth, Func<StreamEvent, bool> match) =>
        truth.Calls.SelectMany(c => c.Events.Select((e, i) => (c.Index, i, e))).Where(p => match(p.e)).Select(p => (p.Index, p.i)).First();

    private static JsonArray Sorted(JsonArray readings, JsonObject extra) =>
        new([.. readings.Select(n => n!.DeepClone()).Append(extra).OrderBy(n => n!["ts"]!.GetValue<double>())]);
}

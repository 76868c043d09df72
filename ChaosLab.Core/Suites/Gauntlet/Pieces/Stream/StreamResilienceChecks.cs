using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Tier 3, resilience: a bounded state, publish retried a bounded number of times with backoff,
/// what could not be published kept in a bounded queue (the oldest shed) and delivered later, and
/// telemetry whose counts equal what the harness saw happen. Publish outcomes are those the
/// harness recorded, so the expectations follow what the code really met.
/// </summary>
internal static class StreamResilienceChecks
{
    public const int Tier = 3;

    private static readonly string[] TelemetryFields = [.. StreamRules.TelemetryCounts, "dropped", "backpressure"];

    public static IEnumerable<CheckResult> Check(StreamCaseRun run)
    {
        var delivery = StreamDelivery.Expect(run);
        yield return run.Evaluate(Tier, "state_bounded", StateBounded);
        yield return run.Evaluate(Tier, "publish_retries", call => PublishRetries(call, delivery[call.Index]));
        yield return run.Evaluate(Tier, "delivery", call => Delivery(call, delivery[call.Index]));
        yield return run.Evaluate(Tier, "telemetry_structured", TelemetryStructured);
        yield return run.Evaluate(Tier, "telemetry_truthful", call => TelemetryStructured(call) ?? TelemetryTruthful(call, delivery[call.Index]));
    }

    private static Problem? StateBounded(StreamCallRun call)
    {
        var state = call.Run!.State;
        var largest = PyValue.LargestContainer(state);
        var bytes = state?.ToJsonString().Length ?? 0;
        return largest > StreamRules.MaxBuffer
            ? new(string.Create(CultureInfo.InvariantCulture, $"after call {call.Index} ({call.Truth.Events.Count:N0} events) the state holds a container of {largest:N0} items; every container must stay within {StreamRules.MaxBuffer}"), call.EventsEvidence())
            : bytes > StreamRules.MaxStateBytes
                ? new(string.Create(CultureInfo.InvariantCulture, $"after call {call.Index} ({call.Truth.Events.Count:N0} events) the state serializes to {bytes:N0} bytes; it must stay within {StreamRules.MaxStateBytes:N0}"), call.EventsEvidence())
                : null;
    }

    private static Problem? PublishRetries(StreamCallRun call, StreamDelivery expected)
    {
        var attempts = Attempts(call);
        var evidence = AttemptsEvidence(call);
        if (attempts.Count > StreamRules.MaxPublishAttempts)
        {
            return new($"call {call.Index} called publish {attempts.Count} times; at most {StreamRules.MaxPublishAttempts} attempts per call", evidence);
        }

        if (attempts.Count == 0 && expected.Backlog.Count > 0)
        {
            return new($"call {call.Index} never called publish while {expected.Backlog.Count} readings were due", evidence);
        }

        for (var i = 1; i < attempts.Count; i++)
        {
            if (!attempts[i - 1].Response.IsRaise)
            {
                return new($"call {call.Index} called publish again after attempt {i} succeeded", evidence);
            }

            var pause = attempts[i].At - attempts[i - 1].At;
            if (pause < StreamRules.MinBackoffSeconds)
            {
                return new(string.Create(CultureInfo.InvariantCulture, $"call {call.Index} retried publish {pause:0.###} s after attempt {i} failed ({attempts[i - 1].Response}); back off with sleep() between attempts (0.5 s, then 1 s)"), evidence);
            }
        }

        if (attempts.Count is > 0 and < StreamRules.MaxPublishAttempts && attempts[^1].Response.IsRaise)
        {
            return new($"call {call.Index} gave up after {attempts.Count} failed publish attempt(s) ({attempts[^1].Response}); retry up to {StreamRules.MaxPublishAttempts} attempts", evidence);
        }

        return call.Run!.Slept > StreamRules.MaxSleepPerCallSeconds
            ? new(string.Create(CultureInfo.InvariantCulture, $"call {call.Index} slept {call.Run.Slept:0.##} s in all; a call's backoff stays within {StreamRules.MaxSleepPerCallSeconds} s"), evidence)
            : null;
    }

    private static Problem? Delivery(StreamCallRun call, StreamDelivery expected)
    {
        if (expected.PublishedArgument is not { } argument)
        {
            return null;
        }

        var items = PyValue.Items(argument);
        if (items is null)
        {
            return new($"call {call.Index} published {PyValue.Show(argument)} where a list of readings is required", AttemptsEvidence(call));
        }

        var due = expected.Backlog;
        var carried = due.Count - call.Truth.Accepted().Count;
        for (var i = 0; i < Math.Max(items.Count, due.Count); i++)
        {
            var got = i < items.Count ? items[i] : null;
            var want = i < due.Count ? due[i] : null;
            var same = got is not null && want is not null
                && PyValue.Get(got, "sensor") is JsonValue s && PyValue.IsString(s) && s.GetValue<string>() == want.Sensor
                && PyValue.TryFinite(PyValue.Get(got, "ts"), out var ts) && ts == want.Ts
                && PyValue.TryFinite(PyValue.Get(got, "value"), out var value) && value == want.Value;
            if (!same)
            {
                var wanted = want is null ? "nothing more" : $"{want.Sensor} = {StreamCaseRun.Number(want.Value!.Value)} at ts {StreamCaseRun.Number(want.Ts!.Value)}";
                return new($"call {call.Index} published {items.Count} readings where {due.Count} were due ({carried} kept from earlier calls, then this call's {due.Count - carried}, oldest first); item {i} is {(got is null ? "missing" : PyValue.Show(got, 100))} where {wanted} was due",
                    AttemptsEvidence(call));
            }
        }

        return null;
    }

    private static Problem? TelemetryStructured(StreamCallRun call)
    {
        var telemetry = call.Field("telemetry");
        if (!PyValue.IsDict(telemetry))
        {
            return new($"call {call.Index} returned {(telemetry is null ? "no 'telemetry'" : "'telemetry' = " + PyValue.Show(telemetry))} where a dict with {string.Join(", ", TelemetryFields)} is required", call.EventsEvidence());
        }

        var wrong = StreamRules.TelemetryCounts.Where(f => !IsCount(PyValue.Get(telemetry, f))).ToList();
        var dropped = PyValue.Get(telemetry, "dropped");
        wrong.AddRange(PyValue.IsDict(dropped)
            ? StreamRules.DropReasons.Where(r => !IsCount(PyValue.Get(dropped, r))).Select(r => "dropped." + r)
            : ["dropped"]);
        if (!PyValue.IsBool(PyValue.Get(telemetry, "backpressure")))
        {
            wrong.Add("backpressure");
        }

        return wrong.Count == 0 ? null
            : new($"call {call.Index}'s telemetry lacks or mistypes {string.Join(", ", wrong)} (counts are ints, dropped a dict of {string.Join("/", StreamRules.DropReasons)} counts, backpressure a bool)",
                new JsonObject { ["call"] = call.Index, ["telemetry"] = telemetry?.DeepClone() });
    }

    private static Problem? TelemetryTruthful(StreamCallRun call, StreamDelivery expected)
    {
        var telemetry = call.Field("telemetry");
        var accepted = call.Truth.Accepted().Count;
        var attempts = Attempts(call).Count;
        var facts = new (string Field, long Expected, string Why)[]
        {
            ("received", call.Truth.Events.Count, "events arrived"),
            ("accepted", accepted, "readings were valid and emitted"),
            ("published", expected.Published, "readings were published"),
            ("publish_attempts", attempts, "publish calls were recorded"),
            ("pending", expected.Pending, "readings were left waiting for the next call"),
            ("shed", expected.Shed, "pending readings had to be shed"),
        }.Concat(StreamRules.DropReasons.Select(r => ("dropped." + r, (long)call.Truth.Dropped(r), $"events were {r}")));
        foreach (var (field, want, why) in facts)
        {
            var node = field.StartsWith("dropped.", StringComparison.Ordinal)
                ? PyValue.Get(PyValue.Get(telemetry, "dropped"), field["dropped.".Length..])
                : PyValue.Get(telemetry, field);
            PyValue.TryNumber(node, out var got);
            if (got != want)
            {
                return new($"call {call.Index}'s telemetry says {field} = {PyValue.Show(node)} where {want} {why}", TelemetryEvidence(call, telemetry));
            }
        }

        var backpressure = expected.Pending > 0 || expected.Shed > 0;
        return PyValue.Get(telemetry, "backpressure")!.GetValue<bool>() == backpressure ? null
            : new($"call {call.Index}'s telemetry says backpressure = {!backpressure} where {expected.Pending} readings were pending and {expected.Shed} shed", TelemetryEvidence(call, telemetry));
    }

    private static bool IsCount(JsonNode? node) => !PyValue.IsBool(node) && PyValue.TryFinite(node, out var n) && n >= 0 && n == Math.Floor(n);

    internal static IReadOnlyList<DependencyCall> Attempts(StreamCallRun call) =>
        [.. call.Run!.Dependencies.Where(d => d.Name == "publish")];

    private static JsonObject AttemptsEvidence(StreamCallRun call) => new()
    {
        ["call"] = call.Index,
        ["publish_attempts"] = new JsonArray([.. Attempts(call).Select(a => (JsonNode)new JsonObject
        {
            ["at"] = a.At,
            ["answer"] = a.Response.ToString(),
            ["readings"] = PyValue.Items(a.Argument)?.Count,
        })]),
        ["sleeps"] = new JsonArray([.. call.Run!.Sleeps.Select(s => (JsonNode)s)]),
    };

    private static JsonObject TelemetryEvidence(StreamCallRun call, JsonNode? telemetry) => new()
    {
        ["call"] = call.Index,
        ["telemetry"] = telemetry?.DeepClone(),
        ["events"] = call.Truth.Events.Count,
        ["publish_attempts"] = AttemptsEvidence(call)["publish_attempts"]!.DeepClone(),
    };
}

/// <summary>
/// What one call had to publish and what it left pending, following the publish outcomes the
/// harness recorded: the backlog is the previous pending readings then this call's accepted
/// ones; a success empties it, three failures keep its newest <see cref="StreamRules.MaxBuffer"/>.
/// </summary>
internal sealed record StreamDelivery(IReadOnlyList<StreamEvent> Backlog, JsonNode? PublishedArgument, int Published, int Pending, int Shed)
{
    public static IReadOnlyList<StreamDelivery> Expect(StreamCaseRun run)
    {
        var pending = new List<StreamEvent>();
        var result = new List<StreamDelivery>();
        foreach (var call in run.Calls)
        {
            var backlog = pending.Concat(call.Truth.Accepted()).ToList();
            var success = call.Run is { Succeeded: true } ? StreamResilienceChecks.Attempts(call).FirstOrDefault(a => !a.Response.IsRaise) : null;
            if (success is not null)
            {
                pending = [];
                result.Add(new(backlog, success.Argument, PyValue.Items(success.Argument)?.Count ?? 0, 0, 0));
            }
            else
            {
                pending = backlog.Count == 0 ? [] : [.. backlog.TakeLast(StreamRules.MaxBuffer)];
                result.Add(new(backlog, null, 0, pending.Count, backlog.Count - pending.Count));
            }
        }

        return result;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>A case's run read against its truth: each call's output parsed and matched back to the events it came from.</summary>
internal sealed class StreamCaseRun
{
    public StreamCaseRun(StreamCaseTruth truth, CaseRun? run)
    {
        Truth = truth;
        Calls = [.. truth.Calls.Select(call => new StreamCallRun(call, run is not null && call.Index < run.Calls.Count ? run.Calls[call.Index] : null))];
    }

    public StreamCaseTruth Truth { get; }

    public IReadOnlyList<StreamCallRun> Calls { get; }

    /// <summary>
    /// The check passes when <paramref name="inspect"/> finds nothing wrong in any call; a call that
    /// did not return fails it with the reason. The first problem found is the message.
    /// </summary>
    public CheckResult Evaluate(int tier, string check, Func<StreamCallRun, Problem?> inspect)
    {
        foreach (var call in Calls)
        {
            if (call.Run is not { Succeeded: true })
            {
                var reason = call.Run?.Describe() ?? "was not reported";
                return CheckResult.Fail(tier, check, $"tier {tier}: call {call.Index} {reason}", call.EventsEvidence());
            }

            if (inspect(call) is { } problem)
            {
                return CheckResult.Fail(tier, check, $"tier {tier}: {problem.Message}", problem.Evidence);
            }
        }

        return CheckResult.Pass(tier, check);
    }

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>What is wrong, in words, and the input that shows it.</summary>
internal sealed record Problem(string Message, JsonNode? Evidence);

/// <summary>One reading of a call's output, as far as it could be read.</summary>
/// <param name="Source">The input event with the same sensor and timestamp, when there is one.</param>
internal sealed record OutputReading(int Index, JsonNode? Raw, string? Sensor, double? Ts, double? Value, (int Index, StreamEvent Event)? Source);

internal sealed class StreamCallRun
{
    private readonly Dictionary<(string, double), (int, StreamEvent)> _events = [];

    public StreamCallRun(StreamCallTruth truth, CallRun? run)
    {
        Truth = truth;
        Run = run;
        for (var i = 0; i < truth.Events.Count; i++)
        {
            if (truth.Events[i] is { Sensor: { } sensor, Ts: { } ts } e)
            {
                _events[(sensor, ts)] = (i, e);
            }
        }

        if (run is { Succeeded: true })
        {
            Returned = run.Returned;
            var readings = PyValue.Items(PyValue.Get(run.Returned, "readings"));
            ShapeProblem = !PyValue.IsDict(run.Returned) ? $"call {truth.Index} returned {PyValue.Show(run.Returned)} where a dict with a 'readings' list is required"
                : readings is null ? $"call {truth.Index} returned no 'readings' list"
                : null;
            Readings = readings is null ? [] : [.. readings.Select(Read)];
        }
    }

    public int Index => Truth.Index;

    public StreamCallTruth Truth { get; }

    public CallRun? Run { get; }

    public JsonNode? Returned { get; }

    /// <summary>Why the output cannot be read as readings, or null.</summary>
    public string? ShapeProblem { get; }

    public IReadOnlyList<OutputReading> Readings { get; } = [];

    public JsonNode? Field(string name) => PyValue.Get(Returned, name);

    /// <summary>The event in this call's batch with this sensor and timestamp.</summary>
    public (int Index, StreamEvent Event)? Source(string sensor, double ts) => _events.TryGetValue((sensor, ts), out var found) ? found : null;

    /// <summary>The event at <paramref name="index"/> of the batch and the two on either side, as the evidence of a problem.</summary>
    public JsonObject EventEvidence(int index, JsonNode? emitted = null)
    {
        var events = Truth.Events;
        var evidence = new JsonObject
        {
            ["call"] = Index,
            ["index"] = index,
            ["event"] = events[index].Event?.DeepClone(),
            ["what"] = events[index].Defect,
            ["around"] = new JsonArray([.. Enumerable.Range(Math.Max(0, index - 2), Math.Min(events.Count, index + 3) - Math.Max(0, index - 2))
                .Select(i => (JsonNode)new JsonObject { ["index"] = i, ["event"] = events[i].Event?.DeepClone() })]),
        };
        if (emitted is not null)
        {
            evidence["emitted"] = emitted.DeepClone();
        }

        return evidence;
    }

    /// <summary>The batch's size and its first events, when no single event is to blame.</summary>
    public JsonObject EventsEvidence() => new()
    {
        ["call"] = Index,
        ["events"] = Truth.Events.Count,
        ["first_events"] = new JsonArray([.. Truth.Events.Take(5).Select(e => e.Event?.DeepClone())]),
    };

    /// <summary>How an input event reads in a message: "event 14 of call 2 (the string 'ERR' from t-2)".</summary>
    public string Describe(int index)
    {
        var e = Truth.Events[index];
        return $"event {index} of call {Index} ({e.Defect}{(e.Sensor is null ? string.Empty : " from " + e.Sensor)})";
    }

    private OutputReading Read(JsonNode? raw, int index)
    {
        var sensor = PyValue.Get(raw, "sensor") is JsonValue s && PyValue.IsString(s) ? s.GetValue<string>() : null;
        double? ts = PyValue.TryFinite(PyValue.Get(raw, "ts"), out var t) ? t : null;
        var valueNode = PyValue.Get(raw, "value");
        double? value = !PyValue.IsBool(valueNode) && PyValue.TryNumber(valueNode, out var v) ? v : null;
        var source = sensor is not null && ts is { } time ? Source(sensor, time) : null;
        return new OutputReading(index, raw, sensor, ts, value, source);
    }
}

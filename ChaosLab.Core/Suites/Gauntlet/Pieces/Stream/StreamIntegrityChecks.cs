using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Tier 1, data integrity: only finite real numbers are emitted, every ordinary reading exactly
/// once and nothing else, drifted and late readings dropped, the output in timestamp order
/// within and across calls.
/// </summary>
internal static class StreamIntegrityChecks
{
    public const int Tier = 1;

    public static IEnumerable<CheckResult> Check(StreamCaseRun run)
    {
        yield return run.Evaluate(Tier, "numeric_output", NumericOutput);
        yield return run.Evaluate(Tier, "invalid_rejected", InvalidRejected);
        yield return run.Evaluate(Tier, "drift_rejected", DriftRejected);
        yield return run.Evaluate(Tier, "valid_kept", call => StreamReadings.AllEmitted(call, StreamLabel.Valid, Tier, "a valid reading"));
        var emitted = double.NegativeInfinity;
        var emittedBy = -1;
        yield return run.Evaluate(Tier, "chronological", call =>
        {
            var problem = Chronological(call, emitted, emittedBy);
            foreach (var reading in call.Readings.Where(r => r.Ts > emitted))
            {
                emitted = reading.Ts!.Value;
                emittedBy = call.Index;
            }

            return problem;
        });
    }

    private static Problem? NumericOutput(StreamCallRun call)
    {
        if (call.ShapeProblem is { } shape)
        {
            return new(shape, call.EventsEvidence());
        }

        foreach (var reading in call.Readings)
        {
            var what = !PyValue.IsDict(reading.Raw) ? $"{PyValue.Show(reading.Raw)} where a reading dict belongs"
                : reading.Sensor is null ? $"a reading without a string sensor ({PyValue.Show(PyValue.Get(reading.Raw, "sensor"))})"
                : reading.Ts is null ? $"a reading whose ts is {PyValue.Show(PyValue.Get(reading.Raw, "ts"))}"
                : reading.Value is not { } value || !double.IsFinite(value) ? $"the value {PyValue.Show(PyValue.Get(reading.Raw, "value"))}"
                : null;
            if (what is not null)
            {
                return Blame(call, reading, $"{what} reached the output at index {reading.Index} of call {call.Index}");
            }
        }

        return null;
    }

    private static Problem? InvalidRejected(StreamCallRun call)
    {
        foreach (var reading in call.Readings.Where(r => r.Sensor is not null && r.Ts is not null))
        {
            if (reading.Source is null)
            {
                return new($"call {call.Index} emitted {PyValue.Show(reading.Raw, 120)} at index {reading.Index}, which is none of this call's events (a reading is emitted once, by the call that received it, with its sensor and ts unchanged)",
                    new JsonObject { ["call"] = call.Index, ["emitted"] = reading.Raw?.DeepClone() });
            }

            if (reading.Source is { Event.Label: StreamLabel.Invalid } source)
            {
                return Blame(call, reading, $"an invalid event reached the output at index {reading.Index} of call {call.Index}: {call.Describe(source.Index)}, emitted as {PyValue.Show(PyValue.Get(reading.Raw, "value"))}");
            }
        }

        return null;
    }

    private static Problem? DriftRejected(StreamCallRun call)
    {
        foreach (var reading in call.Readings)
        {
            if (reading.Source is { Event.Label: StreamLabel.Future or StreamLabel.Late } source)
            {
                var kind = source.Event.Label == StreamLabel.Future ? "a reading from a drifted clock" : "a late reading";
                return Blame(call, reading, $"{kind} reached the output at index {reading.Index} of call {call.Index}: {call.Describe(source.Index)}");
            }
        }

        return null;
    }

    private static Problem? Chronological(StreamCallRun call, double emitted, int emittedBy)
    {
        var previous = emitted;
        OutputReading? last = null;
        foreach (var reading in call.Readings.Where(r => r.Ts is not null))
        {
            if (reading.Ts < previous)
            {
                var message = last is null
                    ? $"call {call.Index} emitted ts {StreamCaseRun.Number(reading.Ts!.Value)} at index {reading.Index}, older than ts {StreamCaseRun.Number(emitted)} that call {emittedBy} already emitted"
                    : $"call {call.Index}'s output goes back in time at index {reading.Index}: ts {StreamCaseRun.Number(reading.Ts!.Value)} after {StreamCaseRun.Number(previous)} at index {last.Index}";
                return Blame(call, reading, message);
            }

            previous = reading.Ts!.Value;
            last = reading;
        }

        return null;
    }

    internal static Problem Blame(StreamCallRun call, OutputReading reading, string message) =>
        new(message, reading.Source is { } source
            ? call.EventEvidence(source.Index, reading.Raw)
            : new JsonObject { ["call"] = call.Index, ["emitted"] = reading.Raw?.DeepClone() });
}

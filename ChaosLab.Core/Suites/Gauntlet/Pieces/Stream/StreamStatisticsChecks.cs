using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Tier 2, statistical stability: spikes removed, a sensor's sustained second level kept, flat
/// sensors kept with a std of 0, and per-sensor stats over the window of the last accepted readings.
/// </summary>
internal static class StreamStatisticsChecks
{
    public const int Tier = 2;

    public static IEnumerable<CheckResult> Check(StreamCaseRun run)
    {
        var windows = ExpectedWindows(run.Truth);
        yield return run.Evaluate(Tier, "spikes_removed", SpikesRemoved);
        yield return run.Evaluate(Tier, "minority_kept", call => StreamReadings.AllEmitted(call, StreamLabel.Minority, Tier, "a reading of a sensor's second level"));
        yield return run.Evaluate(Tier, "flat_stable", call => FlatStable(call, run.Truth.FlatSensor, windows[call.Index]));
        yield return run.Evaluate(Tier, "stats_windowed", call => StatsWindowed(call, windows[call.Index]));
    }

    /// <summary>Per call, each sensor's window after it: the last <see cref="StreamRules.Window"/> accepted values.</summary>
    internal static IReadOnlyList<IReadOnlyDictionary<string, double[]>> ExpectedWindows(StreamCaseTruth truth)
    {
        var history = new Dictionary<string, List<double>>();
        var result = new List<IReadOnlyDictionary<string, double[]>>();
        foreach (var call in truth.Calls)
        {
            foreach (var e in call.Accepted())
            {
                if (!history.TryGetValue(e.Sensor!, out var values))
                {
                    history[e.Sensor!] = values = [];
                }

                values.Add(e.Value!.Value);
            }

            result.Add(history.ToDictionary(h => h.Key, h => h.Value.TakeLast(StreamRules.Window).ToArray()));
        }

        return result;
    }

    private static Problem? SpikesRemoved(StreamCallRun call)
    {
        foreach (var reading in call.Readings)
        {
            if (reading.Source is { Event.Label: StreamLabel.Spike } source)
            {
                return StreamIntegrityChecks.Blame(call, reading, $"a spike reached the output at index {reading.Index} of call {call.Index}: {source.Event.Defect} (event {source.Index})");
            }
        }

        return null;
    }

    private static Problem? FlatStable(StreamCallRun call, string? flatSensor, IReadOnlyDictionary<string, double[]> windows)
    {
        if (flatSensor is null)
        {
            return null;
        }

        if (StreamReadings.AllEmitted(call, StreamLabel.Flat, Tier, "a flat sensor's reading") is { } lost)
        {
            return lost;
        }

        var window = windows[flatSensor];
        if (window.Distinct().Count() != 1)
        {
            return null;
        }

        var std = Stat(call, flatSensor, "std");
        return std is { } s && Math.Abs(s) <= 1e-9 * Math.Max(1, Math.Abs(window[0]))
            ? null
            : new(string.Create(CultureInfo.InvariantCulture, $"after call {call.Index} the stats of the flat sensor {flatSensor} (its last {window.Length} readings all {StreamCaseRun.Number(window[0])}) give std {Show(call, flatSensor, "std")} where it is 0"),
                WindowEvidence(call, flatSensor, window));
    }

    private static Problem? StatsWindowed(StreamCallRun call, IReadOnlyDictionary<string, double[]> windows)
    {
        var stats = call.Field("stats");
        if (!PyValue.IsDict(stats))
        {
            return new($"call {call.Index} returned {(stats is null ? "no 'stats'" : "'stats' = " + PyValue.Show(stats))} where a dict of per-sensor stats is required", call.EventsEvidence());
        }

        foreach (var (sensor, window) in windows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var entry = PyValue.Get(stats, sensor);
            if (!PyValue.IsDict(entry))
            {
                return new($"after call {call.Index} 'stats' has no entry for {sensor}, which has {window.Length} readings in its window", WindowEvidence(call, sensor, window));
            }

            var count = PyValue.Get(entry, "count");
            if (PyValue.IsBool(count) || !PyValue.TryFinite(count, out var n) || n != window.Length)
            {
                return new($"after call {call.Index} stats[{sensor}].count is {PyValue.Show(count)} where the window holds {window.Length} readings (the last {StreamRules.Window} accepted)", WindowEvidence(call, sensor, window));
            }

            var mean = window.Average();
            var std = Math.Sqrt(window.Sum(x => (x - mean) * (x - mean)) / window.Length);
            foreach (var (field, expected) in new[] { ("mean", mean), ("std", std) })
            {
                if (Stat(call, sensor, field) is not { } got || Math.Abs(got - expected) > StreamRules.StatsTolerance * Math.Max(1, Math.Abs(mean)))
                {
                    return new(string.Create(CultureInfo.InvariantCulture, $"after call {call.Index} stats[{sensor}].{field} is {Show(call, sensor, field)} where the last {window.Length} accepted readings give {expected:G10}"), WindowEvidence(call, sensor, window));
                }
            }
        }

        return null;
    }

    private static double? Stat(StreamCallRun call, string sensor, string field) =>
        PyValue.Get(PyValue.Get(call.Field("stats"), sensor), field) is var node && !PyValue.IsBool(node) && PyValue.TryNumber(node, out var value) ? value : null;

    private static string Show(StreamCallRun call, string sensor, string field) =>
        PyValue.Show(PyValue.Get(PyValue.Get(call.Field("stats"), sensor), field));

    private static JsonObject WindowEvidence(StreamCallRun call, string sensor, double[] window) => new()
    {
        ["call"] = call.Index,
        ["sensor"] = sensor,
        ["window"] = new JsonArray([.. window.Select(v => (JsonNode)v)]),
        ["returned_stats"] = PyValue.Get(call.Field("stats"), sensor)?.DeepClone(),
    };
}

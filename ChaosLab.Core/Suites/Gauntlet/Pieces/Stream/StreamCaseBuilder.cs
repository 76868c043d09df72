using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Builds one case of the stream piece: a few sensors reporting over 3-5 calls (one minute of
/// readings per call), the faults the case's plan injects, the ground truth of every event, and
/// what <c>publish</c> answers. Every draw comes from the case's own seeded streams, one per purpose.
/// </summary>
internal sealed class StreamCaseBuilder
{
    private const double WindowSeconds = 60;

    private readonly CaseDraw _draw;
    private readonly int _index;
    private readonly string _id;
    private readonly double _intensity;
    private readonly IReadOnlyList<(FaultKind Kind, double Roll, double Threshold)> _plan;
    private readonly HashSet<(string Sensor, double Ts)> _keys = [];
    private readonly List<FaultDecision> _faults = [];
    private readonly List<string> _summary = [];
    private IReadOnlyList<StreamSensor> _sensors = [];
    private List<(double Position, StreamEvent Event)>[] _calls = [];
    private double _start;
    private string? _flatSensor;
    private int _flatFrom;
    private double _flatValue;
    private string? _minoritySensor;
    private double _minorityLevel;
    private double _minorityShare;
    private int _minorityDirection;
    private double _minorityDistance;

    public StreamCaseBuilder(CaseDraw draw, int index, string id, IReadOnlyList<(FaultKind Kind, double Roll, double Threshold)> plan)
    {
        _draw = draw;
        _index = index;
        _id = id;
        _intensity = Math.Clamp(draw.Difficulty.Intensity, 0, 1);
        _plan = plan;
    }

    private bool Has(FaultKind kind) => _plan.Any(p => p.Kind == kind);

    private DeterministicRandom Random(string purpose) =>
        SeededStreams.Stream(_draw.Seed, $"gauntlet|stream|{_draw.Stream}|{_index}|{purpose}");

    public StreamCaseTruth Build()
    {
        var shape = Random("shape");
        _sensors = StreamSensorCatalog.Draw(Random("sensors"));
        var calls = shape.Next(3, 6);
        var outageLength = 2 + (_intensity >= 0.75 && shape.NextDouble() < 0.5 ? 1 : 0);
        if (Has(StreamFaultKinds.SinkOutage))
        {
            calls = Math.Max(calls, outageLength + 2);
        }

        var outageStart = Has(StreamFaultKinds.SinkOutage) ? shape.Next(1, calls - outageLength) : 0;
        var burstCall = Has(StreamFaultKinds.SinkOutage) && shape.NextDouble() < 0.5
            ? outageStart + shape.Next(0, outageLength)
            : shape.Next(0, calls);
        _start = 1_700_000_000 + shape.Next(0, 30_000_000) + Math.Round(shape.NextDouble(), 3);
        _calls = [.. Enumerable.Range(0, calls).Select(_ => new List<(double, StreamEvent)>())];
        _summary.Add(string.Create(CultureInfo.InvariantCulture, $"{_sensors.Count} sensors ({string.Join(", ", _sensors.Select(s => s.Name))}), {calls} calls"));

        PlanLevels();
        AddReadings(Has(StreamFaultKinds.Burst) ? burstCall : -1);
        if (Has(StreamFaultKinds.Spike))
        {
            AddSpikes();
        }

        AddTierOneFaults();
        var clockStart = _start + (calls * WindowSeconds) + 5;
        var order = Random("order");
        var truths = _calls.Select((events, k) => new StreamCallTruth(k, Deliver(events, order, Has(StreamFaultKinds.Reorder)))).ToList();
        if (Has(StreamFaultKinds.Reorder))
        {
            Record(StreamFaultKinds.Reorder, calls == 1 ? "call 0" : $"calls 0-{calls - 1}", "every batch delivered out of timestamp order",
                new() { ["swap_share"] = Format(0.1 + (0.4 * _intensity)) });
        }

        var publish = StreamSinkScript.Build(this, Random("sink"), calls, outageStart, outageLength, burstCall);
        var harnessCase = new HarnessCase(_id, [.. truths.Select(t => (JsonNode?)t.Payload())], null,
            new Dictionary<string, DependencyScript> { ["publish"] = publish }, clockStart);
        return new StreamCaseTruth(_id, truths, _sensors, _flatSensor, [.. _faults], string.Join("; ", _summary), harnessCase);
    }

    internal bool Injects(FaultKind kind) => Has(kind);

    internal void Record(FaultKind kind, string trigger, string reason, Dictionary<string, string> parameters)
    {
        var (_, roll, threshold) = _plan.First(p => p.Kind == kind);
        var target = $"case:{_id}";
        _faults.Add(new FaultDecision(kind.Name, target, true, trigger, reason, parameters,
            new FaultDecisionInputs(_draw.Seed, string.Empty, target, string.Empty, _index, roll, threshold)));
        _summary.Add($"{kind.Name.Replace("stream_", string.Empty, StringComparison.Ordinal).Replace('_', ' ')} at {trigger}");
    }

    /// <summary>Which sensor is stuck and which has a second level, from the plan.</summary>
    private void PlanLevels()
    {
        var levels = Random("levels");
        var order = levels.Shuffle(_sensors);
        if (Has(StreamFaultKinds.FlatSegment))
        {
            var flat = order[0];
            var from = levels.Next(0, 2);
            _flatSensor = flat.Name;
            _flatFrom = from;
            _flatValue = Math.Round(flat.Center, flat.WholeNumbers ? 0 : 1);
            Record(StreamFaultKinds.FlatSegment, from == 0 ? "every call" : $"calls {from}-{_calls.Length - 1}",
                string.Create(CultureInfo.InvariantCulture, $"{flat.Name} stuck at {_flatValue}"),
                new() { ["sensor"] = flat.Name, ["value"] = Format(_flatValue), ["from_call"] = Format(from) });
        }

        if (Has(StreamFaultKinds.MinorityPattern))
        {
            var sensor = order[^1];
            _minoritySensor = sensor.Name;
            _minorityShare = Math.Round(0.25 + (0.1 * levels.NextDouble()), 2);
            _minorityDirection = levels.NextDouble() < 0.5 ? -1 : 1;
            var distance = 20 + (10 * levels.NextDouble());
            _minorityLevel = sensor.Center + (_minorityDirection * distance * sensor.Sigma);
            _minorityDistance = distance;
            Record(StreamFaultKinds.MinorityPattern, "every call",
                string.Create(CultureInfo.InvariantCulture, $"{sensor.Name} spends {_minorityShare:P0} of its readings at {_minorityLevel:0.##} (main level {sensor.Center})"),
                new() { ["sensor"] = sensor.Name, ["share"] = Format(_minorityShare), ["level"] = Format(Math.Round(_minorityLevel, 2)), ["sigmas_away"] = Format(Math.Round(distance, 1)) });
        }
    }

    /// <summary>Each sensor's ordinary readings: 20-30 per call, or its share of a burst.</summary>
    private void AddReadings(int burstCall)
    {
        var random = Random("readings");
        var burstTotal = (int)Math.Round(300 + (700 * _intensity * random.NextDouble(0.75, 1)));
        for (var k = 0; k < _calls.Length; k++)
        {
            foreach (var sensor in _sensors)
            {
                var count = k == burstCall ? burstTotal / _sensors.Count : random.Next(22, 31);
                var times = Timestamps(random, sensor.Name, k, count);
                if (sensor.Name == _flatSensor && k >= _flatFrom)
                {
                    foreach (var ts in times)
                    {
                        Add(k, ts, Reading(sensor, ts, _flatValue), StreamLabel.Flat, sensor.Name, ts, _flatValue, "reading");
                    }

                    continue;
                }

                // The second level recurs evenly through time (a duty cycle), so every stretch of the
                // sensor's readings, and so every window, holds its share of them.
                var second = sensor.Name == _minoritySensor ? (int)Math.Round(_minorityShare * count) : 0;
                var phase = random.NextDouble();
                var positions = Enumerable.Range(0, second).Select(j => (int)((j + phase) * count / second)).ToHashSet();
                var main = new Queue<double>(StreamSensorCatalog.Readings(random, sensor, sensor.Center, sensor.Sigma, count - second));
                var level = new Queue<double>(StreamSensorCatalog.Readings(random, sensor, _minorityLevel, sensor.Sigma / 3, second));
                for (var i = 0; i < count; i++)
                {
                    var (label, value) = positions.Contains(i) ? (StreamLabel.Minority, level.Dequeue()) : (StreamLabel.Valid, main.Dequeue());
                    Add(k, times[i], Reading(sensor, times[i], value), label, sensor.Name, times[i], value, "reading");
                }
            }
        }

        if (burstCall >= 0)
        {
            Record(StreamFaultKinds.Burst, $"call {burstCall}", $"a batch of {burstTotal / _sensors.Count * _sensors.Count} ordinary readings at once",
                new() { ["events"] = Format(burstTotal / _sensors.Count * _sensors.Count) });
        }
    }

    /// <summary>
    /// Isolated spikes: at least 40 sigma from the level (heavy-tailed beyond), 20 sigma from each
    /// other and from a second level, so any median/MAD rule near the documented one removes them.
    /// </summary>
    private void AddSpikes()
    {
        var random = Random("spikes");
        var targets = random.Shuffle(_sensors).Take(random.Next(1, Math.Min(2, _sensors.Count) + 1)).ToList();
        var total = 0;
        var calls = new SortedSet<int>();
        foreach (var sensor in targets)
        {
            for (var k = 0; k < _calls.Length; k++)
            {
                if (random.NextDouble() > 0.45 + (0.5 * _intensity) && !(k == _calls.Length - 1 && total == 0))
                {
                    continue;
                }

                var placed = new List<double>();
                var count = random.Next(1, 2 + (int)Math.Round(2 * _intensity));
                for (var attempt = 0; attempt < count * 10 && placed.Count < count; attempt++)
                {
                    var value = SpikeValue(random, sensor);
                    if (placed.Any(p => Math.Abs(p - value) < 20 * sensor.Sigma))
                    {
                        continue;
                    }

                    placed.Add(value);
                    var ts = Timestamps(random, sensor.Name, k, 1)[0];
                    Add(k, ts, Reading(sensor, ts, value), StreamLabel.Spike, sensor.Name, ts, value,
                        string.Create(CultureInfo.InvariantCulture, $"a spike of {value} where {sensor.Name} reads about {sensor.Center}"));
                    calls.Add(k);
                    total++;
                }
            }
        }

        Record(StreamFaultKinds.Spike, Calls(calls), $"{total} isolated spikes on {string.Join(", ", targets.Select(t => t.Name))}",
            new() { ["spikes"] = Format(total), ["sensors"] = string.Join(",", targets.Select(t => t.Name)) });
    }

    private double SpikeValue(DeterministicRandom random, StreamSensor sensor)
    {
        var level = sensor.Name == _flatSensor ? _flatValue : sensor.Center;
        if (random.NextDouble() < 0.2)
        {
            double[] sentinels = sensor.Center > 900 ? [-999, 9999, 0, 65535] : [-999, 9999];
            var sentinel = random.Pick(sentinels);
            if (Math.Abs(sentinel - level) >= 40 * sensor.Sigma && FarFromMinority(sensor, sentinel))
            {
                return sentinel;
            }
        }

        // Pareto(1.5) tail over a 40-sigma floor, capped at 600 sigma: most spikes are modest, a few enormous.
        var sigmas = Math.Min(40 * Math.Pow(1 - random.NextDouble(), -1 / 1.5), 600);
        var direction = random.NextDouble() < 0.5 ? -1 : 1;
        if (sensor.Name == _minoritySensor && direction == _minorityDirection && sigmas < _minorityDistance + 30)
        {
            direction = -direction;
        }

        return StreamSensorCatalog.Round(sensor, level + (direction * sigmas * sensor.Sigma));
    }

    private bool FarFromMinority(StreamSensor sensor, double value) =>
        sensor.Name != _minoritySensor || Math.Abs(value - _minorityLevel) >= 30 * sensor.Sigma;

    private void AddTierOneFaults()
    {
        var random = Random("integrity");
        foreach (var kind in new[] { StreamFaultKinds.NanStorm, StreamFaultKinds.StringInjection, StreamFaultKinds.MalformedEvent, StreamFaultKinds.ClockDrift, StreamFaultKinds.LateEvent })
        {
            if (!Has(kind))
            {
                continue;
            }

            var first = kind == StreamFaultKinds.LateEvent ? 1 : 0;
            var calls = random.Shuffle(Enumerable.Range(first, _calls.Length - first)).Take(1 + (random.NextDouble() < _intensity ? 1 : 0)).Order().ToList();
            var injected = 0;
            foreach (var k in calls)
            {
                injected += kind == StreamFaultKinds.NanStorm ? AddNanStorm(random, k)
                    : kind == StreamFaultKinds.StringInjection ? AddStrings(random, k)
                    : kind == StreamFaultKinds.MalformedEvent ? AddMalformed(random, k)
                    : kind == StreamFaultKinds.ClockDrift ? AddDrift(random, k)
                    : AddLate(random, k);
            }

            var reason = kind == StreamFaultKinds.NanStorm ? "readings of NaN or an infinity"
                : kind == StreamFaultKinds.StringInjection ? "readings whose value is a string"
                : kind == StreamFaultKinds.MalformedEvent ? "malformed events"
                : kind == StreamFaultKinds.ClockDrift ? "readings from a sensor whose clock jumped ahead"
                : "readings older than what the previous calls emitted";
            Record(kind, Calls(calls), $"{injected} {reason}", new() { ["events"] = Format(injected), ["calls"] = string.Join(",", calls) });
        }
    }

    private int AddNanStorm(DeterministicRandom random, int k)
    {
        var sensors = random.Shuffle(_sensors).Take(random.Next(1, 3)).ToList();
        var ordinary = _calls[k].Count(e => e.Event.Label == StreamLabel.Valid);
        var count = Math.Max(3, (int)Math.Round((0.05 + (0.3 * _intensity)) * ordinary));
        for (var i = 0; i < count; i++)
        {
            var sensor = sensors[i % sensors.Count];
            var ts = Timestamps(random, sensor.Name, k, 1)[0];
            var roll = random.NextDouble();
            var value = roll < 0.8 ? double.NaN : roll < 0.9 ? double.PositiveInfinity : double.NegativeInfinity;
            Add(k, ts, Reading(sensor, ts, PyValue.Real(value)), StreamLabel.Invalid, sensor.Name, ts, value,
                double.IsNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf");
        }

        return count;
    }

    private int AddStrings(DeterministicRandom random, int k)
    {
        var count = 2 + (int)Math.Round(8 * _intensity * random.NextDouble(0.5, 1));
        for (var i = 0; i < count; i++)
        {
            var sensor = random.Pick(_sensors);
            var ts = Timestamps(random, sensor.Name, k, 1)[0];
            string[] texts = ["ERR", "NaN", "nan", "", "N/A", "null", "--", "#VALUE!", "1e309", " 7 ", "0x1A", "inf", "-Infinity", "OVERRANGE", "sensor offline"];
            var text = random.NextDouble() < 0.35
                ? StreamSensorCatalog.Reading(random, sensor, sensor.Center, sensor.Sigma).ToString(CultureInfo.InvariantCulture)
                : random.Pick(texts);
            Add(k, ts, Reading(sensor, ts, JsonValue.Create(text)), StreamLabel.Invalid, sensor.Name, ts, null, $"the string '{text}'");
        }

        return count;
    }

    private int AddMalformed(DeterministicRandom random, int k)
    {
        var count = 2 + (int)Math.Round(6 * _intensity * random.NextDouble(0.5, 1));
        for (var i = 0; i < count; i++)
        {
            var sensor = random.Pick(_sensors);
            var ts = Timestamps(random, sensor.Name, k, 1)[0];
            var value = StreamSensorCatalog.Reading(random, sensor, sensor.Center, sensor.Sigma);
            var variant = random.Next(0, 12);
            var evt = Reading(sensor, ts, value);
            (JsonNode? Event, string? Sensor, double? Ts, string Defect) malformed = variant switch
            {
                0 => (With(evt, "value", null), sensor.Name, ts, "a None value"),
                1 => (Without(evt, "value"), sensor.Name, ts, "no value field"),
                2 => (With(evt, "value", JsonValue.Create(true)), sensor.Name, ts, "the boolean True as value"),
                3 => (With(evt, "value", JsonValue.Create(false)), sensor.Name, ts, "the boolean False as value"),
                4 => (With(evt, "value", new JsonArray(JsonValue.Create(value))), sensor.Name, ts, "a list as value"),
                5 => (Without(evt, "sensor"), null, ts, "no sensor field"),
                6 => (With(evt, "sensor", null), null, ts, "a None sensor"),
                7 => (With(evt, "ts", null), sensor.Name, null, "a None timestamp"),
                8 => (With(evt, "ts", JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds((long)(ts * 1000)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))), sensor.Name, null, "a timestamp as an ISO string"),
                9 => (With(evt, "ts", PyValue.NaN), sensor.Name, null, "a NaN timestamp"),
                10 => (null, null, null, "None instead of an event"),
                _ => (JsonValue.Create(string.Create(CultureInfo.InvariantCulture, $"{sensor.Name},{ts},{value}")), null, null, "a CSV line instead of an event"),
            };
            Add(k, ts, malformed.Event, StreamLabel.Invalid, malformed.Sensor, malformed.Ts, null, malformed.Defect);
        }

        return count;
    }

    private int AddDrift(DeterministicRandom random, int k)
    {
        var sensor = random.Pick(_sensors);
        var count = 3 + (int)Math.Round(7 * _intensity * random.NextDouble(0.5, 1));
        var jump = Math.Round(7200 + (random.NextDouble() * 180 * 86400));
        foreach (var ts in Timestamps(random, sensor.Name, k, count, jump))
        {
            var value = StreamSensorCatalog.Reading(random, sensor, sensor.Center, sensor.Sigma);
            Add(k, ts - jump, Reading(sensor, ts, value), StreamLabel.Future, sensor.Name, ts, value,
                string.Create(CultureInfo.InvariantCulture, $"a timestamp {jump / 3600:0.#} h ahead (the sensor's clock jumped)"));
        }

        return count;
    }

    private int AddLate(DeterministicRandom random, int k)
    {
        var watermark = _calls.Take(k).SelectMany(c => c).Where(e => e.Event.Accepted).Max(e => e.Event.Ts!.Value);
        var count = 2 + (int)Math.Round(8 * _intensity * random.NextDouble(0.5, 1));
        for (var i = 0; i < count; i++)
        {
            var sensor = random.Pick(_sensors);
            double ts;
            do
            {
                ts = Math.Round(watermark - random.NextDouble(30, 900), 3);
            }
            while (!_keys.Add((sensor.Name, ts)));

            var value = StreamSensorCatalog.Reading(random, sensor, sensor.Center, sensor.Sigma);
            var position = _start + (k * WindowSeconds) + (random.NextDouble() * WindowSeconds);
            Add(k, position, Reading(sensor, ts, value), StreamLabel.Late, sensor.Name, ts, value,
                string.Create(CultureInfo.InvariantCulture, $"a reading {watermark - ts:0} s older than the newest reading earlier calls emitted"));
        }

        return count;
    }

    /// <summary>Distinct timestamps (ms) of a sensor inside call <paramref name="k"/>'s minute, ascending, shifted by <paramref name="shift"/>.</summary>
    private List<double> Timestamps(DeterministicRandom random, string sensor, int k, int count, double shift = 0)
    {
        var times = new List<double>(count);
        while (times.Count < count)
        {
            var ts = Math.Round(_start + (k * WindowSeconds) + random.NextDouble(0.5, WindowSeconds - 0.5) + shift, 3);
            if (_keys.Add((sensor, ts)))
            {
                times.Add(ts);
            }
        }

        times.Sort();
        return times;
    }

    private void Add(int k, double position, JsonNode? evt, StreamLabel label, string? sensor, double? ts, double? value, string defect) =>
        _calls[k].Add((position, new StreamEvent(evt, label, sensor, ts, value, defect)));

    /// <summary>The batch in delivery order: by the time each event was sent, then, for a reordered batch, with a share of them swapped.</summary>
    private List<StreamEvent> Deliver(List<(double Position, StreamEvent Event)> events, DeterministicRandom random, bool reorder)
    {
        var delivered = events.OrderBy(e => e.Position).Select(e => e.Event).ToList();
        if (!reorder)
        {
            return delivered;
        }

        var swaps = Math.Max(2, (int)Math.Round((0.1 + (0.4 * _intensity)) * delivered.Count / 2));
        for (var s = 0; s < swaps; s++)
        {
            var i = random.Next(0, delivered.Count);
            var j = random.Next(0, delivered.Count);
            (delivered[i], delivered[j]) = (delivered[j], delivered[i]);
        }

        // Reordered means reordered: at least one pair of readings arrives in the wrong order.
        var accepted = delivered.Select((e, i) => (e, i)).Where(p => p.e.Accepted).ToList();
        if (accepted.Zip(accepted.Skip(1)).All(p => p.First.e.Ts <= p.Second.e.Ts))
        {
            var (a, b) = (accepted[0].i, accepted[1].i);
            (delivered[a], delivered[b]) = (delivered[b], delivered[a]);
        }

        return delivered;
    }

    private static JsonObject Reading(StreamSensor sensor, double ts, double value) =>
        Reading(sensor, ts, sensor.WholeNumbers ? JsonValue.Create((long)value) : JsonValue.Create(value));

    private static JsonObject Reading(StreamSensor sensor, double ts, JsonNode? value) =>
        new() { ["sensor"] = sensor.Name, ["ts"] = ts, ["value"] = value };

    private static JsonObject With(JsonObject evt, string field, JsonNode? value)
    {
        evt[field] = value;
        return evt;
    }

    private static JsonObject Without(JsonObject evt, string field)
    {
        evt.Remove(field);
        return evt;
    }

    internal static string Calls(IReadOnlyCollection<int> calls) =>
        calls.Count == 1 ? $"call {calls.First()}"
        : calls.Max() - calls.Min() == calls.Count - 1 ? $"calls {calls.Min()}-{calls.Max()}"
        : "calls " + string.Join(", ", calls);

    /// <summary>A fault parameter for people: rounded, so 0.1 + 0.2 reads 0.3, not 0.30000000000000004.</summary>
    internal static string Format(double value) => Math.Round(value, 6).ToString(CultureInfo.InvariantCulture);
}

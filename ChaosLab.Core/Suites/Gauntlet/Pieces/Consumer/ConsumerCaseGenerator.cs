using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// Draws the consumer's cases: per case a few accounts' true event logs, delivered in 3-8
/// batches the way an at-least-once broker does (duplicates, malformed rows, reordering, late
/// events, bursts), and a scripted offsets store. A pure function of the draw: every random
/// choice comes from its own seeded stream per case and purpose.
/// </summary>
internal static class ConsumerCaseGenerator
{
    /// <summary>Every case graded on tier 3 carries more distinct events than this, so a set of every id seen outgrows the state bound within the case.</summary>
    public const int MinEventsWhenBounded = 280;

    public static IReadOnlyList<ConsumerCase> Generate(CaseDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        return [.. Enumerable.Range(0, draw.Difficulty.Cases).Select(index => new Builder(draw, index).Build())];
    }

    private sealed class Builder(CaseDraw draw, int index)
    {
        private readonly double _intensity = Math.Clamp(draw.Difficulty.Intensity, 0, 1);
        private readonly string _id = (draw.Stream == CaseDraw.PublicStream ? "p" : "h") + (index + 1).ToString(CultureInfo.InvariantCulture);
        private readonly List<List<Delivery>> _calls = [];
        private readonly Dictionary<string, LedgerEvent> _events = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _lastSeq = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly List<(string Key, int From, int To)> _reserved = [];
        private readonly List<FaultDecision> _faults = [];
        private readonly List<string> _summary = [];
        private DeterministicRandom? _idStream;
        private readonly List<string> _keys = [];

        private string Target => "case:" + _id;

        private DeterministicRandom Stream(string purpose) =>
            SeededStreams.Stream(draw.Seed, $"gauntlet|consumer|{draw.Stream}|{index}|{purpose}");

        public ConsumerCase Build()
        {
            var plan = CasePlan.Draw(Stream("kinds"), draw.Difficulty);
            var shape = Stream("shape");
            var callCount = shape.Next(3, 9);
            var accounts = shape.Next(3, 7);
            while (_keys.Count < accounts)
            {
                var key = "acct-" + shape.Next(100, 1000).ToString(CultureInfo.InvariantCulture);
                if (!_keys.Contains(key))
                {
                    _keys.Add(key);
                }
            }

            var perCall = shape.Next(15, 26) + (int)Math.Round(15 * _intensity);
            if (plan.Reorder || plan.Late)
            {
                perCall = Math.Max(perCall, (int)Math.Ceiling(_keys.Count * 40.0 / callCount));
            }

            var burst = Stream("burst");
            var burstCall = plan.Burst ? burst.Next(0, callCount - 1) : -1;
            var burstSize = plan.Burst ? (int)Math.Round((220 + (130 * _intensity)) * burst.NextDouble(0.9, 1.0)) : 0;
            var sizes = Enumerable.Range(0, callCount).Select(_ => (int)Math.Round(perCall * shape.NextDouble(0.8, 1.2))).ToArray();
            var shortfall = draw.Difficulty.GradedTiers.Contains(3) ? MinEventsWhenBounded - burstSize - sizes.Sum() : 0;
            for (var i = 0; shortfall > 0 && i < callCount; i++)
            {
                sizes[i] += (int)Math.Ceiling((double)shortfall / callCount);
            }
            if (plan.Burst)
            {
                sizes[burstCall] += burstSize;
            }

            LayOut(sizes);
            if (plan.Burst)
            {
                InjectBurstGap(burstCall, burstSize);
            }

            if (plan.Late)
            {
                InjectLate();
            }

            if (plan.Reorder)
            {
                InjectReorders();
            }

            if (plan.Duplicates)
            {
                InjectDuplicates();
            }

            if (plan.Malformed)
            {
                InjectMalformed();
            }

            var commit = plan.Commit ? DrawCommitScript(callCount) : DependencyScript.Always(ScriptedResponse.Returns(JsonValue.Create(true)));
            return Finish(commit);
        }

        /// <summary>The nominal stream: each batch a random interleaving of the accounts' next events, in order.</summary>
        private void LayOut(int[] sizes)
        {
            var stream = Stream("stream");
            foreach (var size in sizes)
            {
                var call = new List<Delivery>(size);
                for (var i = 0; i < size; i++)
                {
                    call.Add(Delivery.Of(NewEvent(stream, stream.Pick(_keys))));
                }

                _calls.Add(call);
            }
        }

        private LedgerEvent NewEvent(DeterministicRandom random, string key)
        {
            var seq = _lastSeq[key] = _lastSeq.GetValueOrDefault(key) + 1;
            var amount = (long)random.Next(-200, 500) * 25;
            var e = new LedgerEvent(NewId(), key, seq, amount == 0 ? 25 : amount);
            _events[e.Id] = e;
            return e;
        }

        private string NewId()
        {
            _idStream ??= Stream("ids");
            string id;
            do
            {
                id = "ev-" + (_idStream.NextUInt64() & 0xFFFFFFFF).ToString("x8", CultureInfo.InvariantCulture);
            }
            while (!_ids.Add(id));
            return id;
        }

        /// <summary>
        /// An event of the burst held back until its account is well past the reorder window and
        /// delivered in a later batch: the burst overflows the window, the gap must be skipped.
        /// </summary>
        /// <param name="burstSize">Events the burst adds to the batch's usual volume.</param>
        private void InjectBurstGap(int burstCall, int burstSize)
        {
            var random = Stream("burst-gap");
            var candidates = _calls[burstCall].Where(d => d.Event is { } e && e.Seq + LedgerModel.ReorderWindow + 8 <= _lastSeq[e.Key]).Select(d => d.Event!).ToList();
            var held = HoldBack(random, candidates, laterCall: true);
            var parameters = Params(("burst_call", burstCall + 1), ("burst_events", burstSize));
            if (held is { } h)
            {
                parameters["gap"] = $"{h.Event} delivered in call {h.Call + 1}";
            }

            _summary.Add($"burst of {burstSize} in call {burstCall + 1}");
            Decide(ConsumerFaultKinds.DeliveryBurst, $"call {burstCall + 1}",
                $"a batch of {_calls[burstCall].Count} deliveries" + (held is { } g ? $" with {g.Event} held back past the reorder window until call {g.Call + 1}" : string.Empty),
                parameters);
        }

        private void InjectLate()
        {
            var random = Stream("late");
            var count = 1 + (int)Math.Round(2 * _intensity * random.NextDouble());
            var held = new List<(LedgerEvent Event, int Call)>();
            for (var i = 0; i < count; i++)
            {
                var candidates = _events.Values.Where(e => e.Seq + LedgerModel.ReorderWindow + 8 <= _lastSeq[e.Key]).ToList();
                if (HoldBack(random, candidates, laterCall: random.NextDouble() < 0.7) is { } h)
                {
                    held.Add(h);
                }
            }

            if (held.Count == 0)
            {
                return;
            }

            _summary.Add($"{held.Count} late");
            Decide(ConsumerFaultKinds.LateEvent, Calls(held.Select(h => h.Call)),
                $"{held.Count} event(s) delivered after their account moved {LedgerModel.ReorderWindow} or more seqs past them",
                Params(("count", held.Count)), held.Select((h, i) => ($"late_{i + 1}", $"{h.Event} delivered in call {h.Call + 1}")));
        }

        /// <summary>Moves an event to after its account's seq + window + 2..6 (in a later batch when asked): a late event.</summary>
        private (LedgerEvent Event, int Call)? HoldBack(DeterministicRandom random, List<LedgerEvent> candidates, bool laterCall)
        {
            for (var attempt = 0; attempt < 40 && candidates.Count > 0; attempt++)
            {
                var e = random.Pick(candidates);
                var anchorSeq = e.Seq + LedgerModel.ReorderWindow + random.Next(2, 7);
                if (!Reserve(e.Key, e.Seq - 2, anchorSeq + 2))
                {
                    continue;
                }

                var from = Find(e);
                _calls[from.Call].RemoveAt(from.Index);
                var anchor = Find(_events.Values.First(a => a.Key == e.Key && a.Seq == anchorSeq));
                if (laterCall && anchor.Call + 1 < _calls.Count)
                {
                    var call = random.Next(anchor.Call + 1, _calls.Count);
                    _calls[call].Insert(random.Next(0, _calls[call].Count + 1), Delivery.Of(e));
                    return (e, call);
                }

                _calls[anchor.Call].Insert(anchor.Index + 1, Delivery.Of(e));
                return (e, anchor.Call);
            }

            return null;
        }

        /// <summary>Events moved to just after a later event of their account, at most 10 seqs later: inside the window.</summary>
        private void InjectReorders()
        {
            var random = Stream("reorder");
            var count = 1 + (int)Math.Round(4 * _intensity * random.NextDouble(0.5, 1.0));
            var maxShift = 3 + (int)Math.Round(7 * _intensity);
            var moved = new List<string>();
            var calls = new List<int>();
            for (var i = 0; i < count * 10 && moved.Count < count; i++)
            {
                // Half of them at a batch boundary: the last event of an account in a batch moves into the next one.
                var crossing = i % 2 == 0 && _calls.Count > 1;
                LedgerEvent e;
                if (crossing)
                {
                    var call = random.Next(0, _calls.Count - 1);
                    var last = _calls[call].Where(d => d.IsValid).Select(d => d.Event!).Where(x => x.Seq + maxShift <= _lastSeq[x.Key]).LastOrDefault();
                    if (last is null)
                    {
                        continue;
                    }

                    e = last;
                }
                else
                {
                    e = random.Pick(_events.Values.Where(x => x.Seq + maxShift <= _lastSeq[x.Key]).ToList());
                }

                var shift = random.Next(1, maxShift + 1);
                if (!Reserve(e.Key, e.Seq - 2, e.Seq + shift + 2))
                {
                    continue;
                }

                var from = Find(e);
                _calls[from.Call].RemoveAt(from.Index);
                var anchor = Find(_events.Values.First(a => a.Key == e.Key && a.Seq == e.Seq + shift));
                _calls[anchor.Call].Insert(anchor.Index + 1, Delivery.Of(e));
                moved.Add(string.Create(CultureInfo.InvariantCulture, $"{e} after seq {e.Seq + shift}, call {from.Call + 1} -> {anchor.Call + 1}"));
                calls.Add(anchor.Call);
            }

            if (moved.Count == 0)
            {
                return;
            }

            _summary.Add($"{moved.Count} reordered");
            Decide(ConsumerFaultKinds.ReorderedDelivery, Calls(calls),
                $"{moved.Count} event(s) delivered after up to {maxShift} later events of their account",
                Params(("count", moved.Count), ("max_shift", maxShift)), moved.Select((m, i) => ($"moved_{i + 1}", m)));
        }

        private void InjectDuplicates()
        {
            var random = Stream("duplicates");
            var valid = _calls.Sum(c => c.Count);
            var count = Math.Clamp((int)Math.Round(valid * (0.02 + (0.05 * _intensity))), 2, 60);
            int within = 0, across = 0;
            var calls = new List<int>();
            for (var i = 0; i < count; i++)
            {
                // The first is redelivered in its own batch, the second in a later one; then either.
                var sameBatch = i == 0 || (i > 1 && random.NextDouble() < 0.5);
                var call = random.Next(0, sameBatch ? _calls.Count : _calls.Count - 1);
                var position = random.Next(0, _calls[call].Count);
                var original = _calls[call][position];
                var target = sameBatch ? call : random.Next(call + 1, _calls.Count);
                var at = sameBatch ? random.Next(position + 1, _calls[call].Count + 1) : random.Next(0, _calls[target].Count + 1);
                _calls[target].Insert(at, Delivery.Of(original.Event!));
                calls.Add(target);
                if (sameBatch)
                {
                    within++;
                }
                else
                {
                    across++;
                }
            }

            _summary.Add($"{count} duplicates");
            Decide(ConsumerFaultKinds.DuplicateDelivery, Calls(calls),
                $"{count} events delivered again: {within} later in the same batch, {across} in a later batch",
                Params(("count", count), ("within_batch", within), ("across_batches", across)));
        }

        private void InjectMalformed()
        {
            var random = Stream("malformed");
            var count = 2 + (int)Math.Round(6 * _intensity * random.NextDouble());
            var copies = random.NextDouble() < 0.4 + (0.4 * _intensity) ? 1 + (int)Math.Round(_intensity * random.NextDouble()) : 0;
            var reasons = new List<string>();
            var calls = new List<int>();
            for (var i = 0; i < count; i++)
            {
                var call = random.Next(0, _calls.Count);
                var delivery = MalformedDeliveries.Garbage(random, NewId(), random.Pick(_keys), floatAccepted: i == 0);
                _calls[call].Insert(random.Next(0, _calls[call].Count + 1), delivery);
                reasons.Add($"call {call + 1}: {delivery.Malformed}");
                calls.Add(call);
            }

            for (var i = 0; i < copies; i++)
            {
                var e = random.Pick(_events.Values.ToList());
                var first = Find(e);
                var call = random.Next(0, first.Call + 1);
                var at = call == first.Call ? random.Next(0, first.Index + 1) : random.Next(0, _calls[call].Count + 1);
                var delivery = MalformedDeliveries.CorruptedCopy(random, e);
                _calls[call].Insert(at, delivery);
                reasons.Add($"call {call + 1}: {delivery.Malformed}");
                calls.Add(call);
            }

            _summary.Add($"{count + copies} malformed");
            Decide(ConsumerFaultKinds.MalformedDelivery, Calls(calls),
                $"{count + copies} malformed deliveries" + (copies > 0 ? $", {copies} of them corrupted copies sent before the valid copy" : string.Empty),
                Params(("count", count + copies), ("corrupted_copies", copies)), reasons.Select((r, i) => ($"delivery_{i + 1}", r)));
        }

        /// <summary>The offsets store's answers by attempt: transient failures a retry gets past, and maybe an outage of 3 or more attempts in a row.</summary>
        private DependencyScript DrawCommitScript(int callCount)
        {
            var random = Stream("commit");
            var failures = new int[callCount];
            var transient = 1 + (int)Math.Round(2 * _intensity * random.NextDouble());
            for (var i = 0; i < transient; i++)
            {
                failures[random.Next(0, callCount)] = random.Next(1, 3);
            }

            var outageAt = random.NextDouble() < 0.5 + (0.5 * _intensity) ? random.Next(0, callCount - 1) : -1;
            var outage = 0;
            if (outageAt >= 0)
            {
                outage = 3 + random.Next(0, 1 + (int)Math.Round(2 * _intensity));
                failures[outageAt] = 3;
                failures[outageAt + 1] = outage - 3;
            }

            var responses = new List<ScriptedResponse>();
            for (var call = 0; call < callCount; call++)
            {
                for (var f = 0; f < failures[call]; f++)
                {
                    responses.Add(ScriptedResponse.Raising(random.Pick(["TransientError", "TimeoutError", "ConnectionError"]), "offsets store unavailable"));
                }

                if (failures[call] < 3)
                {
                    responses.Add(ScriptedResponse.Returns(JsonValue.Create(true)));
                }
            }

            var failing = Enumerable.Range(0, callCount).Where(c => failures[c] > 0).ToList();
            var transientOnly = failing.Where(c => outage == 0 || (c != outageAt && c != outageAt + 1)).ToList();
            _summary.Add("commit failing in " + Calls(failing));
            Decide(ConsumerFaultKinds.CommitFailure, Calls(failing),
                (outage > 0 ? $"the offsets store fails {outage} attempts in a row from call {outageAt + 1}" : string.Empty)
                + (outage > 0 && transientOnly.Count > 0 ? "; " : string.Empty)
                + (transientOnly.Count > 0 ? $"it fails transiently (1-2 attempts) in {Calls(transientOnly)}" : string.Empty),
                Params(("outage_attempts", outage)), failing.Select(c => ($"call_{c + 1}_failures", failures[c].ToString(CultureInfo.InvariantCulture))));
            return new DependencyScript(responses, ScriptedResponse.Returns(JsonValue.Create(true)));
        }

        private ConsumerCase Finish(DependencyScript commit)
        {
            var model = new LedgerModel();
            var truth = _calls.Select((c, i) => model.Run(i, c)).ToList();
            var skipped = _events.Values.Where(e => model.SkippedIn(e) is not null).ToDictionary(e => e.Id, e => model.SkippedIn(e)!.Value, StringComparer.Ordinal);
            var harness = new HarnessCase(
                _id,
                [.. _calls.Select(c => (JsonNode?)new JsonArray([.. c.Select(d => d.Json?.DeepClone())]))],
                Dependencies: new Dictionary<string, DependencyScript> { ["commit"] = commit });
            var deliveries = _calls.Sum(c => c.Count);
            var description = string.Create(CultureInfo.InvariantCulture, $"{_keys.Count} accounts, {_calls.Count} calls, {deliveries} deliveries")
                + (_summary.Count > 0 ? ": " + string.Join(", ", _summary) : string.Empty);
            return new ConsumerCase(harness, [.. _calls], _events, truth, skipped, _faults, description);
        }

        private bool Reserve(string key, int from, int to)
        {
            if (_reserved.Any(r => r.Key == key && r.From <= to && from <= r.To))
            {
                return false;
            }

            _reserved.Add((key, from, to));
            return true;
        }

        private (int Call, int Index) Find(LedgerEvent e)
        {
            for (var call = 0; call < _calls.Count; call++)
            {
                var index = _calls[call].FindIndex(d => d.IsValid && d.Event == e);
                if (index >= 0)
                {
                    return (call, index);
                }
            }

            throw new InvalidOperationException($"{e} is not delivered.");
        }

        private void Decide(FaultKind kind, string trigger, string reason, Dictionary<string, string> parameters, IEnumerable<(string Key, string Value)>? details = null)
        {
            foreach (var (key, value) in details ?? [])
            {
                parameters[key] = value;
            }

            _faults.Add(new FaultDecision(kind.Name, Target, true, trigger, reason, parameters,
                new FaultDecisionInputs(draw.Seed, string.Empty, Target, string.Empty, index, 0, 1)));
        }

        private static Dictionary<string, string> Params(params (string Key, object Value)[] values) =>
            values.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? string.Empty);

        /// <summary>"call 3", "calls 2-5".</summary>
        private static string Calls(IEnumerable<int> calls)
        {
            var list = calls.Distinct().Order().ToList();
            return list.Count == 0 ? "no call"
                : list.Count == 1 ? $"call {list[0] + 1}"
                : $"calls {list[0] + 1}-{list[^1] + 1}";
        }
    }
}

/// <summary>Which delivery classes one case injects (only kinds of graded tiers the scenario allows); most cases mix several.</summary>
internal sealed record CasePlan(bool Duplicates, bool Malformed, bool Reorder, bool Late, bool Burst, bool Commit)
{
    public static CasePlan Draw(DeterministicRandom random, PieceDifficulty difficulty)
    {
        bool Allowed(Faults.FaultKind kind) =>
            difficulty.Kinds.Contains(kind.Name) && difficulty.GradedTiers.Contains(ConsumerFaultKinds.TierOf(kind));

        // At-least-once delivery always duplicates and sometimes garbles: every case has both.
        var duplicates = Allowed(ConsumerFaultKinds.DuplicateDelivery);
        var malformed = Allowed(ConsumerFaultKinds.MalformedDelivery);
        var (reorder, late) = Pair(random, Allowed(ConsumerFaultKinds.ReorderedDelivery), 0.85, Allowed(ConsumerFaultKinds.LateEvent), 0.6);
        var (burst, commit) = Pair(random, Allowed(ConsumerFaultKinds.DeliveryBurst), 0.5, Allowed(ConsumerFaultKinds.CommitFailure), 0.75);
        return new CasePlan(duplicates, malformed, reorder, late, burst, commit);
    }

    /// <summary>Each of a tier's two kinds with its own chance, and at least one of them when either is allowed.</summary>
    private static (bool First, bool Second) Pair(DeterministicRandom random, bool firstAllowed, double firstChance, bool secondAllowed, double secondChance)
    {
        var first = firstAllowed && random.NextDouble() < firstChance;
        var second = secondAllowed && random.NextDouble() < secondChance;
        if (!first && !second && (firstAllowed || secondAllowed))
        {
            return firstAllowed ? (true, second) : (first, true);
        }

        return (first, second);
    }
}

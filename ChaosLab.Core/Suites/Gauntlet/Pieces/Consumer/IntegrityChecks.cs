using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using static ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer.ConsumerOutput;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>Tier 1, data integrity: malformed deliveries rejected and counted, each event applied exactly once, balances exact.</summary>
internal static class IntegrityChecks
{
    public const int Tier = 1;
    public const string ExactlyOnce = "exactly_once";
    public const string MalformedRejected = "malformed_rejected";
    public const string BalancesExact = "balances_exact";

    public static IEnumerable<CheckResult> Check(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        yield return CheckExactlyOnce(c, calls);
        yield return CheckMalformedRejected(c, calls);
        yield return CheckBalances(c, calls);
    }

    private static CheckResult CheckExactlyOnce(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        var firstApplied = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var call = 0; call < calls.Count; call++)
        {
            if (!calls[call].Succeeded)
            {
                return Fail(ExactlyOnce, $"{CallName(call)} {calls[call].Describe()}, so its deliveries were not applied", Excerpt(c, call, 0));
            }

            var (ids, problem) = Ids(calls[call], "applied");
            if (ids is null)
            {
                return Fail(ExactlyOnce, $"{CallName(call)} {problem}", Excerpt(c, call, 0));
            }

            for (var i = 0; i < ids.Count; i++)
            {
                if (!c.Events.TryGetValue(ids[i], out var e))
                {
                    return Fail(ExactlyOnce, $"{CallName(call)} applied '{ids[i]}' (applied[{i}]), which is no valid event: {Unknown(c, ids[i], out var evidence)}", evidence);
                }

                if (!firstApplied.TryAdd(e.Id, call))
                {
                    return Fail(ExactlyOnce, $"{CallName(call)} applied {e} a second time (first in {CallName(firstApplied[e.Id])}): a duplicate delivery was applied twice", Evidence(c, e));
                }
            }
        }

        var missing = c.AppliedByEnd.FirstOrDefault(e => !firstApplied.ContainsKey(e.Id));
        return missing is null
            ? CheckResult.Pass(Tier, ExactlyOnce)
            : Fail(ExactlyOnce, $"{missing} ({Where(c, missing)}) was never applied", Evidence(c, missing));
    }

    /// <summary>Why an applied id is not an event, with the malformed delivery that carried it when there is one.</summary>
    private static string Unknown(ConsumerCase c, string id, out JsonNode evidence)
    {
        for (var call = 0; call < c.Calls.Count; call++)
        {
            for (var index = 0; index < c.Calls[call].Count; index++)
            {
                var d = c.Calls[call][index];
                if (!d.IsValid && PyValue.Get(d.Json, "id") is JsonValue v && PyValue.IsString(v) && v.GetValue<string>() == id)
                {
                    evidence = Excerpt(c, call, index);
                    return string.Create(CultureInfo.InvariantCulture, $"the malformed delivery at index {index} of call {call + 1} ({d.Malformed})");
                }
            }
        }

        evidence = new JsonObject { ["applied"] = id };
        return "no delivery of this case carries that id";
    }

    private static CheckResult CheckMalformedRejected(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        for (var call = 0; call < calls.Count; call++)
        {
            var malformed = c.Truth[call].Malformed;
            if (!calls[call].Succeeded)
            {
                return Fail(MalformedRejected, $"{CallName(call)} {calls[call].Describe()}", malformed.Count > 0 ? Excerpt(c, call, malformed[0]) : Excerpt(c, call, 0));
            }

            var reported = Count(PyValue.Get(calls[call].Returned, "rejected"));
            if (reported != malformed.Count)
            {
                var shown = reported is { } r ? "rejected=" + r.ToString(CultureInfo.InvariantCulture) : "rejected=" + PyValue.Show(PyValue.Get(calls[call].Returned, "rejected")) + " (not a count)";
                var which = malformed.Count == 0 ? "none of its deliveries is malformed"
                    : $"{malformed.Count} of its deliveries are malformed: " + string.Join(", ", malformed.Take(4).Select(i => string.Create(CultureInfo.InvariantCulture, $"index {i} ({c.Calls[call][i].Malformed})")));
                var evidence = new JsonObject
                {
                    ["call"] = call + 1,
                    ["malformed"] = new JsonObject(malformed.Take(8).Select(i => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), c.Calls[call][i].Json?.DeepClone()))),
                };
                return Fail(MalformedRejected, $"{CallName(call)} reported {shown}, but {which}", evidence);
            }
        }

        return CheckResult.Pass(Tier, MalformedRejected);
    }

    /// <summary>After every call each balance equals the sum of the events the consumer says it applied so far.</summary>
    private static CheckResult CheckBalances(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        var counted = new HashSet<string>(StringComparer.Ordinal);
        for (var call = 0; call < calls.Count; call++)
        {
            if (!calls[call].Succeeded)
            {
                return Fail(BalancesExact, $"{CallName(call)} {calls[call].Describe()}", Excerpt(c, call, 0));
            }

            foreach (var id in Ids(calls[call], "applied").Ids ?? [])
            {
                if (c.Events.TryGetValue(id, out var e) && counted.Add(id))
                {
                    expected[e.Key] = expected.GetValueOrDefault(e.Key) + e.Amount;
                }
            }

            var balances = PyValue.Get(calls[call].Returned, "balances");
            if (PyValue.Entries(balances) is not { } entries)
            {
                return Fail(BalancesExact, $"{CallName(call)} returned balances = {PyValue.Show(balances)}, not a dict of account balances", Excerpt(c, call, 0));
            }

            foreach (var key in expected.Keys.Union(entries.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                var want = expected.GetValueOrDefault(key);
                var node = entries.FirstOrDefault(p => p.Key == key).Value;
                var present = entries.Any(p => p.Key == key);
                if ((!present && want != 0) || (present && (!PyValue.TryFinite(node, out var got) || Math.Abs(got - want) > 1e-6 * Math.Max(1, Math.Abs(want)))))
                {
                    var shown = present ? PyValue.Show(node) : "missing";
                    var evidence = new JsonObject { ["call"] = call + 1, ["account"] = key, ["balance"] = node?.DeepClone(), ["expected"] = want };
                    return Fail(BalancesExact, string.Create(CultureInfo.InvariantCulture,
                        $"after {CallName(call)} the balance of {key} is {shown}, but the events the consumer applied to it sum to {want} (cents)"), evidence);
                }
            }
        }

        return CheckResult.Pass(Tier, BalancesExact);
    }

    private static CheckResult Fail(string check, string message, JsonNode? evidence) => CheckResult.Fail(Tier, check, "tier 1: " + message, evidence);
}

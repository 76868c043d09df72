using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using static ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer.ConsumerOutput;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// Tier 3, resilience: the state stays bounded, the offset commit is retried with backoff and a
/// bound, and the telemetry reports what really happened (checked against the model and the harness's record).
/// </summary>
internal static class ResilienceChecks
{
    public const int Tier = 3;
    public const string StateBounded = "state_bounded";
    public const string CommitRetried = "commit_retried";
    public const string TelemetryTruthful = "telemetry_truthful";

    /// <summary>The most items any one container in the state may hold.</summary>
    public const int MaxStateItems = 200;

    public const int MaxCommitAttempts = 3;

    public const string Dependency = "commit";

    public static IEnumerable<CheckResult> Check(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        yield return CheckState(c, calls);
        yield return CheckCommits(c, calls);
        yield return CheckTelemetry(c, calls);
    }

    private static CheckResult CheckState(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        for (var call = 0; call < calls.Count; call++)
        {
            if (calls[call].State is not { } state)
            {
                return Fail(StateBounded, $"{CallName(call)} {calls[call].Describe()}, and left no state to check", Excerpt(c, call, 0));
            }

            var largest = PyValue.LargestContainer(state);
            if (largest > MaxStateItems)
            {
                var path = PathOfLargest(state, "state", largest);
                return Fail(StateBounded, string.Create(CultureInfo.InvariantCulture,
                    $"after {CallName(call)} {path} holds {largest} items (the bound is {MaxStateItems}): dedupe memory must be a window by seq per account, not a record of every id"),
                    new JsonObject { ["call"] = call + 1, ["container"] = path, ["items"] = largest, ["bound"] = MaxStateItems, ["deliveries_so_far"] = c.Calls.Take(call + 1).Sum(d => d.Count) });
            }
        }

        return CheckResult.Pass(Tier, StateBounded);
    }

    /// <summary>"state['seen']": where the largest container sits, for the message.</summary>
    private static string PathOfLargest(JsonNode? node, string path, int size)
    {
        if (PyValue.Items(node) is { } items)
        {
            if (items.Count == size)
            {
                return path;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (PyValue.LargestContainer(items[i]) == size)
                {
                    return PathOfLargest(items[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), size);
                }
            }
        }

        if (PyValue.Entries(node) is { } entries)
        {
            if (entries.Count == size)
            {
                return path;
            }

            foreach (var (key, value) in entries)
            {
                if (PyValue.LargestContainer(value) == size)
                {
                    return PathOfLargest(value, $"{path}['{key}']", size);
                }
            }
        }

        return path;
    }

    private static CheckResult CheckCommits(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        for (var call = 0; call < calls.Count; call++)
        {
            var attempts = calls[call].Dependencies.Where(d => d.Name == Dependency).ToList();
            var evidence = Attempts(call, attempts);
            if (!calls[call].Succeeded)
            {
                return Fail(CommitRetried, $"{CallName(call)} {calls[call].Describe()}: consume must never raise, hang or storm, whatever the offsets store does", evidence);
            }

            if (attempts.Count == 0)
            {
                return Fail(CommitRetried, $"{CallName(call)} never committed its offsets", evidence);
            }

            if (attempts.Count > MaxCommitAttempts)
            {
                return Fail(CommitRetried, string.Create(CultureInfo.InvariantCulture, $"{CallName(call)} made {attempts.Count} commit attempts (the bound is {MaxCommitAttempts} per call)"), evidence);
            }

            var expected = c.Truth[call].Offsets;
            for (var i = 0; i < attempts.Count; i++)
            {
                if (!SameOffsets(attempts[i].Argument, expected))
                {
                    return Fail(CommitRetried, $"{CallName(call)} committed {PyValue.Show(attempts[i].Argument, 120)}, but the consumed offsets are {Show(expected)}", evidence);
                }

                if (!attempts[i].Response.IsRaise && i < attempts.Count - 1)
                {
                    return Fail(CommitRetried, $"{CallName(call)} committed again after a successful commit (attempt {i + 1})", evidence);
                }

                if (i > 0 && attempts[i].At <= attempts[i - 1].At)
                {
                    return Fail(CommitRetried, string.Create(CultureInfo.InvariantCulture,
                        $"{CallName(call)} retried the commit without backing off (attempts {i} and {i + 1} both at t={attempts[i].At:0.###}): sleep between attempts"), evidence);
                }
            }

            if (attempts[^1].Response.IsRaise && attempts[^1].Response.Raise != "PermanentError" && attempts.Count < MaxCommitAttempts)
            {
                return Fail(CommitRetried, string.Create(CultureInfo.InvariantCulture,
                    $"{CallName(call)} gave up after {attempts.Count} commit attempt(s) that failed with {attempts[^1].Response.Raise} (retry up to {MaxCommitAttempts})"), evidence);
            }
        }

        return CheckResult.Pass(Tier, CommitRetried);
    }

    private static bool SameOffsets(JsonNode? argument, IReadOnlyDictionary<string, int> expected) =>
        PyValue.Entries(argument) is { } entries
        && entries.Count == expected.Count
        && entries.All(p => expected.TryGetValue(p.Key, out var seq) && Count(p.Value) == seq);

    private static string Show(IReadOnlyDictionary<string, int> offsets) =>
        "{" + string.Join(", ", offsets.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => string.Create(CultureInfo.InvariantCulture, $"'{o.Key}': {o.Value}"))) + "}";

    private static JsonObject Attempts(int call, IReadOnlyList<DependencyCall> attempts) => new()
    {
        ["call"] = call + 1,
        ["commit_attempts"] = new JsonArray([.. attempts.Select(a => (JsonNode)new JsonObject
        {
            ["at"] = a.At,
            ["offsets"] = a.Argument?.DeepClone(),
            ["response"] = a.Response.ToString(),
        })]),
    };

    private static CheckResult CheckTelemetry(ConsumerCase c, IReadOnlyList<CallRun> calls)
    {
        for (var call = 0; call < calls.Count; call++)
        {
            if (!calls[call].Succeeded)
            {
                return Fail(TelemetryTruthful, $"{CallName(call)} {calls[call].Describe()}", Excerpt(c, call, 0));
            }

            var telemetry = PyValue.Get(calls[call].Returned, "telemetry");
            if (!PyValue.IsDict(telemetry))
            {
                return Fail(TelemetryTruthful, $"{CallName(call)} returned telemetry = {PyValue.Show(telemetry)}, not a dict", Excerpt(c, call, 0));
            }

            var observed = Observed(c, call, calls[call]);
            foreach (var (field, value) in observed)
            {
                var node = PyValue.Get(telemetry, field);
                if (Count(node) is not { } reported || PyValue.IsBool(node))
                {
                    return Fail(TelemetryTruthful, $"{CallName(call)} telemetry['{field}'] is {(node is null ? "missing" : PyValue.Show(node))}, not a count", Telemetry(call, telemetry, observed));
                }

                if (reported != value)
                {
                    return Fail(TelemetryTruthful, string.Create(CultureInfo.InvariantCulture,
                        $"{CallName(call)} telemetry says {field}={reported}, but {value} happened in that call"), Telemetry(call, telemetry, observed));
                }
            }

            var commits = calls[call].Dependencies.Where(d => d.Name == Dependency).ToList();
            var committed = commits.Count > 0 && !commits[^1].Response.IsRaise;
            var flag = PyValue.Get(telemetry, "committed");
            if (!PyValue.IsBool(flag) || flag!.GetValue<bool>() != committed)
            {
                return Fail(TelemetryTruthful, $"{CallName(call)} telemetry says committed={PyValue.Show(flag)}, but the commit {(committed ? "succeeded" : "did not succeed")} in that call", Telemetry(call, telemetry, observed));
            }
        }

        return CheckResult.Pass(Tier, TelemetryTruthful);
    }

    /// <summary>The counts a correct consumer's telemetry reports for the call: from the model, and the commit attempts from the harness's record.</summary>
    private static List<(string Field, long Value)> Observed(ConsumerCase c, int call, CallRun run)
    {
        var truth = c.Truth[call];
        return
        [
            ("received", c.Calls[call].Count),
            ("applied", truth.Applied.Count),
            ("reordered", truth.Reordered),
            ("duplicates", truth.Duplicates),
            ("rejected", truth.Malformed.Count),
            ("dead_lettered", truth.DeadLettered.Count),
            ("skipped", truth.Skipped),
            ("buffered", truth.Buffered),
            ("commit_attempts", run.Dependencies.Count(d => d.Name == Dependency)),
        ];
    }

    private static JsonObject Telemetry(int call, JsonNode? telemetry, List<(string Field, long Value)> observed) => new()
    {
        ["call"] = call + 1,
        ["telemetry"] = telemetry?.DeepClone(),
        ["observed"] = new JsonObject(observed.Select(o => KeyValuePair.Create(o.Field, (JsonNode?)o.Value))),
    };

    private static CheckResult Fail(string check, string message, JsonNode? evidence) => CheckResult.Fail(Tier, check, "tier 3: " + message, evidence);
}

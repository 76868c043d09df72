using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// Hand-built harness reports for check tests: what a correct consumer returns on a draw
/// (from the generator's truth, the commit script served the way the harness serves it), to be broken one field at a time.
/// </summary>
internal static class ConsumerReports
{
    public static ConsumerCases Draw(string tier = "expert", long seed = 7) =>
        (ConsumerCases)ConsumerPiece.Instance.Generate(new CaseDraw(seed, CaseDraw.HiddenStream, GauntletDifficulty.ForTier(ConsumerPiece.Instance, tier)));

    public static HarnessReport Perfect(ConsumerCases cases) => new(null, [.. cases.Generated.Select(PerfectCase)]);

    /// <summary>The report with one case's calls replaced.</summary>
    public static HarnessReport With(HarnessReport report, string caseId, Func<IReadOnlyList<CallRun>, IReadOnlyList<CallRun>> change) =>
        report with { Cases = [.. report.Cases.Select(c => c.Id == caseId ? c with { Calls = [.. change(c.Calls).Select(AsParsed)] } : c)] };

    /// <summary>
    /// The call with its values as the harness report's parser makes them: PyValue reads numbers
    /// from parsed JSON (a node built from a C# int does not convert to a double).
    /// </summary>
    private static CallRun AsParsed(CallRun call) => call with
    {
        Returned = Reparse(call.Returned),
        State = Reparse(call.State),
        Dependencies = [.. call.Dependencies.Select(d => d with { Argument = Reparse(d.Argument) })],
    };

    private static JsonNode? Reparse(JsonNode? node) => node is null ? null : JsonNode.Parse(node.ToJsonString());

    /// <summary>The call's returned dict with one field set.</summary>
    public static CallRun Returning(CallRun call, string field, JsonNode? value)
    {
        var returned = call.Returned!.DeepClone().AsObject();
        returned[field] = value;
        return call with { Returned = returned };
    }

    public static CallRun WithTelemetry(CallRun call, string field, JsonNode? value)
    {
        var returned = call.Returned!.DeepClone().AsObject();
        returned["telemetry"]![field] = value;
        return call with { Returned = returned };
    }

    public static IReadOnlyList<CallRun> Replace(IReadOnlyList<CallRun> calls, int index, Func<CallRun, CallRun> change) =>
        [.. calls.Select((c, i) => i == index ? change(c) : c)];

    public static CheckResult Result(IReadOnlyList<CaseVerdict> verdicts, string caseId, string check) =>
        verdicts.Single(v => v.CaseId == caseId).Checks.Single(c => c.Check == check);

    private static CaseRun PerfectCase(ConsumerCase c)
    {
        var script = c.Harness.Dependencies!["commit"];
        var served = 0;
        var clock = 0.0;
        var balances = new Dictionary<string, long>(StringComparer.Ordinal);
        var calls = new List<CallRun>();
        for (var call = 0; call < c.Calls.Count; call++)
        {
            var truth = c.Truth[call];
            foreach (var e in truth.Applied)
            {
                balances[e.Key] = balances.GetValueOrDefault(e.Key) + e.Amount;
            }

            var commits = new List<DependencyCall>();
            var sleeps = new List<double>();
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (attempt > 0)
                {
                    sleeps.Add(0.1 * attempt);
                    clock += 0.1 * attempt;
                }

                var response = served < script.Default.Count ? script.Default[served] : script.Then;
                commits.Add(new DependencyCall("commit", "*", served++, clock, response, Offsets(truth)));
                if (!response.IsRaise)
                {
                    break;
                }
            }

            var returned = new JsonObject
            {
                ["applied"] = new JsonArray([.. truth.Applied.Select(e => (JsonNode)e.Id)]),
                ["balances"] = new JsonObject(balances.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)b.Value))),
                ["rejected"] = truth.Malformed.Count,
                ["dead_letter"] = new JsonArray([.. truth.DeadLettered.Select(e => (JsonNode)e.Id)]),
                ["telemetry"] = new JsonObject
                {
                    ["received"] = c.Calls[call].Count,
                    ["applied"] = truth.Applied.Count,
                    ["reordered"] = truth.Reordered,
                    ["duplicates"] = truth.Duplicates,
                    ["rejected"] = truth.Malformed.Count,
                    ["dead_lettered"] = truth.DeadLettered.Count,
                    ["skipped"] = truth.Skipped,
                    ["buffered"] = truth.Buffered,
                    ["commit_attempts"] = commits.Count,
                    ["committed"] = !commits[^1].Response.IsRaise,
                },
            };
            var state = new JsonObject { ["offsets"] = Offsets(truth) };
            calls.Add(new CallRun(CallStatus.Ok, returned, state, null, string.Empty, commits, sleeps, clock, 1));
        }

        return new CaseRun(c.Id, [.. calls.Select(AsParsed)]);
    }

    private static JsonObject Offsets(CallTruth truth) => new(truth.Offsets.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value)));
}

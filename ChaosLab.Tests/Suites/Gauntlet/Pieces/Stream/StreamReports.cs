using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Harness reports built in C#, without a sandbox: what code that meets every requirement would
/// return on a draw (from the ground truth and the publish script), for check tests to break one
/// thing at a time.
/// </summary>
internal static class StreamReports
{
    public static StreamCases Draw(string tier, long seed, string stream = CaseDraw.HiddenStream) =>
        (StreamCases)StreamPiece.Instance.Generate(new CaseDraw(seed, stream, GauntletDifficulty.ForTier(StreamPiece.Instance, tier)));

    /// <summary>The first case of a tier's hidden draws (seeds 1, 2, …) that matches.</summary>
    public static (StreamCases Cases, StreamCaseTruth Truth, long Seed) Find(string tier, Func<StreamCaseTruth, bool> match)
    {
        for (var seed = 1; seed < 200; seed++)
        {
            var cases = Draw(tier, seed);
            if (cases.Truths.FirstOrDefault(match) is { } truth)
            {
                return (cases, truth, seed);
            }
        }

        throw new InvalidOperationException("No case matches in 200 seeds.");
    }

    public static bool Has(StreamCaseTruth truth, string kind) => truth.Faults.Any(f => f.Kind == kind);

    public static HarnessReport Ideal(StreamCases cases) => new(null, [.. cases.Truths.Select(Ideal)]);

    public static CaseRun Ideal(StreamCaseTruth truth)
    {
        var script = truth.Case.Dependencies!["publish"];
        var attempt = 0;
        var clock = truth.Case.ClockStart;
        var pending = new List<StreamEvent>();
        var windows = new Dictionary<string, List<double>>();
        var calls = new List<CallRun>();
        foreach (var call in truth.Calls)
        {
            var accepted = call.Accepted();
            foreach (var e in accepted)
            {
                if (!windows.TryGetValue(e.Sensor!, out var window))
                {
                    windows[e.Sensor!] = window = [];
                }

                window.Add(e.Value!.Value);
                if (window.Count > StreamRules.Window)
                {
                    window.RemoveAt(0);
                }
            }

            var backlog = pending.Concat(accepted).ToList();
            var deps = new List<DependencyCall>();
            var sleeps = new List<double>();
            var published = 0;
            for (var a = 0; a < StreamRules.MaxPublishAttempts && backlog.Count > 0; a++)
            {
                if (a > 0)
                {
                    var pause = a == 1 ? 0.5 : 1.0;
                    sleeps.Add(pause);
                    clock += pause;
                }

                var response = attempt < script.Default.Count ? script.Default[attempt] : script.Then;
                deps.Add(new DependencyCall("publish", "*", attempt, clock, response, Readings(backlog)));
                attempt++;
                if (!response.IsRaise)
                {
                    published = backlog.Count;
                    break;
                }
            }

            var shed = 0;
            if (published > 0)
            {
                pending = [];
            }
            else
            {
                shed = Math.Max(0, backlog.Count - StreamRules.MaxBuffer);
                pending = backlog.Skip(shed).ToList();
            }

            var returned = new JsonObject
            {
                ["readings"] = Readings(accepted),
                ["stats"] = new JsonObject(windows.Select(w => KeyValuePair.Create(w.Key, (JsonNode?)Stats(w.Value)))),
                ["telemetry"] = new JsonObject
                {
                    ["received"] = call.Events.Count,
                    ["accepted"] = accepted.Count,
                    ["dropped"] = new JsonObject(StreamRules.DropReasons.Select(r => KeyValuePair.Create(r, (JsonNode?)call.Dropped(r)))),
                    ["published"] = published,
                    ["publish_attempts"] = deps.Count,
                    ["pending"] = pending.Count,
                    ["shed"] = shed,
                    ["backpressure"] = pending.Count > 0 || shed > 0,
                },
            };
            var state = new JsonObject
            {
                ["windows"] = new JsonObject(windows.Select(w => KeyValuePair.Create(w.Key, (JsonNode?)new JsonArray([.. w.Value.Select(v => (JsonNode)v)])))),
                ["pending"] = Readings(pending),
            };
            calls.Add(new CallRun(CallStatus.Ok, Parsed(returned), Parsed(state), null, string.Empty, deps, sleeps, clock, 1));
        }

        return new CaseRun(truth.Id, calls);
    }

    public static JsonArray Readings(IEnumerable<StreamEvent> events) =>
        new([.. events.Select(e => (JsonNode)Reading(e))]);

    public static JsonObject Reading(StreamEvent e) => new() { ["sensor"] = e.Sensor, ["ts"] = e.Ts, ["value"] = e.Value };

    public static JsonObject Stats(IReadOnlyList<double> window)
    {
        var mean = window.Average();
        return new JsonObject
        {
            ["count"] = window.Count,
            ["mean"] = mean,
            ["std"] = Math.Sqrt(window.Sum(x => (x - mean) * (x - mean)) / window.Count),
        };
    }

    /// <summary>The report with one call of one case replaced.</summary>
    public static HarnessReport With(HarnessReport report, string caseId, int call, Func<CallRun, CallRun> change) =>
        report with
        {
            Cases = [.. report.Cases.Select(c => c.Id != caseId ? c : c with { Calls = [.. c.Calls.Select((r, i) => i == call ? change(r) : r)] })],
        };

    /// <summary>The call with its returned dict edited in place (on a copy).</summary>
    public static CallRun Edit(CallRun run, Action<JsonObject> edit)
    {
        var returned = run.Returned!.DeepClone().AsObject();
        edit(returned);
        return run with { Returned = Parsed(returned) };
    }

    /// <summary>
    /// The node as the grader gets it from a real report: parsed from JSON text (nodes built in
    /// C# hold CLR values, which PyValue does not read as numbers when they are ints).
    /// </summary>
    public static JsonNode Parsed(JsonNode node) => JsonNode.Parse(node.ToJsonString())!;

    public static CheckResult Result(IReadOnlyList<CaseVerdict> verdicts, string caseId, string check) =>
        verdicts.Single(v => v.CaseId == caseId).Checks.Single(c => c.Check == check);
}

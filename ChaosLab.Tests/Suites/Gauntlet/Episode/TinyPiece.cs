using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Tests.Suites.Gauntlet.Episode;

/// <summary>
/// A test-only piece, small enough to read at a glance, so the episode is tested apart from the
/// real pieces: <c>double(values, state)</c> returns the numbers doubled (tier 1: skip None, keep
/// zeros), a running total in the state (tier 2), and a telemetry count (tier 3).
/// </summary>
internal sealed class TinyPiece : IFragilePiece
{
    public static readonly FaultKind NoneValue = new("tiny_none_value", FaultFamily.Data, "a None among the numbers");
    public static readonly FaultKind ZeroValue = new("tiny_zero_value", FaultFamily.Data, "a zero among the numbers");
    public static readonly FaultKind LongBatch = new("tiny_long_batch", FaultFamily.Shape, "a longer batch than usual");

    public static TinyPiece Instance { get; } = new();

    public const string Original = """
        def double(values, state):
            return {"values": [v * 2 for v in values]}
        """;

    /// <summary>Skips None and zeros alike (`if v`): a quick patch that loses zeros.</summary>
    public const string Naive = """
        def double(values, state):
            return {"values": [v * 2 for v in values if v]}
        """;

    public const string Tier1 = """
        def double(values, state):
            return {"values": [v * 2 for v in values if v is not None]}
        """;

    public const string Stuffed = """
        # guardrails: validated, bounded, telemetry
        def double(values, state):
            telemetry = {"count": True, "guardrails": True}
            return {"values": [v * 2 for v in values], "telemetry": telemetry}
        """;

    public const string Hardened = """
        def double(values, state):
            doubled = [v * 2 for v in values if v is not None]
            state["total"] = state.get("total", 0) + sum(doubled)
            return {"values": doubled, "total": state["total"], "telemetry": {"count": len(doubled)}}
        """;

    public string Id => "tiny";

    public string Title => "Double some numbers";

    public string Guidance => "Double every number of a batch; keep a running total; report how many you doubled.";

    public string EntryPoint => "double";

    public IReadOnlyList<string> Dependencies => [];

    public string OriginalSource => Original;

    public string Requirements => "# double\nTier 1: values = every number doubled, None skipped, zeros kept.\nTier 2: total = running sum across calls.\nTier 3: telemetry.count = numbers doubled in this call.\n";

    public IReadOnlyList<RequirementTier> RequirementTiers { get; } =
    [
        new(1, "data integrity", "every number doubled, nothing else"),
        new(2, "statistical stability", "a running total across calls"),
        new(3, "resilience", "a truthful count in the telemetry"),
    ];

    public IReadOnlyList<FaultKind> FaultKinds { get; } = [NoneValue, ZeroValue, LongBatch];

    public PieceBaselines Baselines { get; } = new(Naive, Tier1, Stuffed);

    public PieceCases Generate(CaseDraw draw)
    {
        var cases = new List<HarnessCase>();
        var faults = new List<FaultDecision>();
        var prefix = draw.Stream == CaseDraw.HiddenStream ? "h" : "p";
        for (var i = 0; i < draw.Difficulty.Cases; i++)
        {
            var id = prefix + (i + 1).ToString(CultureInfo.InvariantCulture);
            var random = SeededStreams.Stream(draw.Seed, $"gauntlet|tiny|{draw.Stream}|{i}|values");
            var calls = new List<JsonNode?>();
            for (var c = 0; c < 3; c++)
            {
                var batch = new JsonArray();
                var length = c == 2 && draw.Difficulty.Kinds.Contains(LongBatch.Name) ? 12 : 4;
                for (var v = 0; v < length; v++)
                {
                    batch.Add(random.Next(1, 100));
                }

                calls.Add(batch);
            }

            // Every case has a None in its first call and a zero in its second: the original
            // crashes on the first, the naive patch loses the second.
            calls[0]!.AsArray().Insert(1, null);
            calls[1]!.AsArray()[2] = 0;
            cases.Add(new HarnessCase(id, calls));
            faults.Add(Decision(NoneValue, id, draw.Seed, i, "call 0", "a None at index 1"));
            faults.Add(Decision(ZeroValue, id, draw.Seed, i, "call 1", "a zero at index 2"));
        }

        return new TinyCases(cases, faults, draw.Difficulty.GradedTiers);
    }

    private static FaultDecision Decision(FaultKind kind, string caseId, long seed, int index, string trigger, string reason) =>
        new(kind.Name, "case:" + caseId, true, trigger, reason, new Dictionary<string, string>(), new FaultDecisionInputs(seed, "", "case:" + caseId, "", index, 0, 1));

    private sealed class TinyCases(IReadOnlyList<HarnessCase> cases, IReadOnlyList<FaultDecision> faults, IReadOnlyList<int> tiers) : PieceCases
    {
        public override IReadOnlyList<HarnessCase> Cases => cases;

        public override IReadOnlyList<FaultDecision> Faults => faults;

        public override string Describe(string caseId) => $"{caseId}: 3 batches, a None in call 0, a zero in call 1";

        public override IReadOnlyList<CaseVerdict> Check(HarnessReport report) =>
            [.. cases.Select(c => new CaseVerdict(c.Id, CheckCase(c, report.Find(c.Id))))];

        private List<CheckResult> CheckCase(HarnessCase harnessCase, CaseRun? run)
        {
            var results = new List<CheckResult>();
            var doubled = true;
            var totals = true;
            var counts = true;
            string? why = null;
            double running = 0;
            for (var i = 0; i < harnessCase.Calls.Count; i++)
            {
                var expected = harnessCase.Calls[i]!.AsArray().Where(v => v is not null).Select(v => v!.GetValue<int>() * 2.0).ToList();
                running += expected.Sum();
                var call = run?.Calls[i];
                if (call is not { Succeeded: true })
                {
                    (doubled, totals, counts) = (false, false, false);
                    why ??= $"call {i} {call?.Describe() ?? "did not run"}";
                    continue;
                }

                var values = PyValue.Items(PyValue.Get(call.Returned, "values"))?.Select(v => PyValue.TryNumber(v, out var n) ? n : double.NaN).ToList();
                doubled &= values is not null && values.SequenceEqual(expected);
                totals &= PyValue.TryNumber(PyValue.Get(call.Returned, "total"), out var total) && total == running;
                counts &= PyValue.Get(call.Returned, "telemetry") is { } telemetry && !PyValue.IsBool(PyValue.Get(telemetry, "count"))
                    && PyValue.TryNumber(PyValue.Get(telemetry, "count"), out var count) && count == expected.Count;
            }

            results.Add(Verdict(1, "doubled", doubled, why ?? "tier 1: values are not every number doubled"));
            if (tiers.Contains(2))
            {
                results.Add(Verdict(2, "running_total", totals, why ?? "tier 2: total is not the running sum"));
            }

            if (tiers.Contains(3))
            {
                results.Add(Verdict(3, "telemetry_count", counts, why ?? "tier 3: telemetry.count is not the numbers doubled"));
            }

            return results;
        }

        private static CheckResult Verdict(int tier, string check, bool passed, string message) =>
            passed ? CheckResult.Pass(tier, check) : CheckResult.Fail(tier, check, message, new JsonObject { ["check"] = check });
    }
}

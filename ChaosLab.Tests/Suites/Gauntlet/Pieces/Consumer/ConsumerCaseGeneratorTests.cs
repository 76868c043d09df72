using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Consumer;

public sealed class ConsumerCaseGeneratorTests
{
    private static readonly ConsumerPiece Piece = ConsumerPiece.Instance;

    private static ConsumerCases Generate(string tier, long seed, string stream = CaseDraw.HiddenStream) =>
        (ConsumerCases)Piece.Generate(new CaseDraw(seed, stream, GauntletDifficulty.ForTier(Piece, tier)));

    private static string Bytes(ConsumerCases cases) =>
        new JsonArray([.. cases.Cases.Select(c => (JsonNode)c.ToJson())]).ToJsonString()
        + string.Join("\n", cases.Faults.Select(f => $"{f.Kind}|{f.Target}|{f.Trigger}|{f.Reason}|{string.Join(",", f.Parameters.Select(p => p.Key + "=" + p.Value))}"));

    private static IEnumerable<ConsumerCase> Over20Seeds(string tier) => Enumerable.Range(1, 20).SelectMany(seed => Generate(tier, seed).Generated);

    [Fact]
    public void Generate_SameDraw_SameBytes_AndPublicDiffersFromHidden()
    {
        Assert.Equal(Bytes(Generate("expert", 42)), Bytes(Generate("expert", 42)));
        Assert.NotEqual(Bytes(Generate("expert", 42)), Bytes(Generate("expert", 43)));
        Assert.NotEqual(Bytes(Generate("expert", 42, CaseDraw.PublicStream)), Bytes(Generate("expert", 42)));
    }

    [Theory]
    [InlineData("warmup", 8)]
    [InlineData("expert", 12)]
    public void Generate_CasesOfTheDifficulty_Have3To8CallsAndMatchingFaultTargets(string tier, int cases)
    {
        var draw = Generate(tier, 5);

        Assert.Equal(cases, draw.Cases.Count);
        Assert.All(draw.Cases, c => Assert.InRange(c.Calls.Count, 3, 8));
        Assert.Equal(draw.Cases.Count, draw.Cases.Select(c => c.Id).Distinct().Count());
        Assert.All(draw.Faults, f => Assert.Contains(draw.Cases, c => f.Target == "case:" + c.Id));
        Assert.All(draw.Cases, c => Assert.False(string.IsNullOrEmpty(draw.Describe(c.Id))));
    }

    [Fact]
    public void Generate_Over20Seeds_EveryKindAppears_AndWarmupOnlyUsesTier1Kinds()
    {
        var expert = Over20Seeds("expert").SelectMany(c => c.Faults).Select(f => f.Kind).ToHashSet();
        var warmup = Over20Seeds("warmup").SelectMany(c => c.Faults).Select(f => f.Kind).ToHashSet();

        Assert.Equal(ConsumerFaultKinds.All.Select(k => k.Name).Order(), expert.Order());
        Assert.Equal(["consumer_duplicate_delivery", "consumer_malformed_delivery"], warmup.Order());
    }

    [Fact]
    public void Generate_ScenarioWithoutAKind_NeverInjectsIt()
    {
        var difficulty = GauntletDifficulty.ForTier(Piece, "expert") with { Kinds = ["consumer_duplicate_delivery", "consumer_reordered_delivery"] };

        var kinds = Enumerable.Range(1, 10).SelectMany(seed => Piece.Generate(new CaseDraw(seed, CaseDraw.HiddenStream, difficulty)).Faults).Select(f => f.Kind).ToHashSet();

        Assert.Equal(["consumer_duplicate_delivery", "consumer_reordered_delivery"], kinds.Order());
    }

    [Fact]
    public void Generate_WarmupCases_ArriveInOrderPerAccount_WithDuplicatesAndMalformedInEveryCase()
    {
        Assert.All(Over20Seeds("warmup"), c =>
        {
            Assert.All(c.Truth, t => Assert.Equal((0, 0, 0, 0), (t.Reordered, t.Skipped, t.Buffered, t.DeadLettered.Count)));
            Assert.True(c.Truth.Sum(t => t.Duplicates) >= 2);
            Assert.True(c.Truth.Sum(t => t.Malformed.Count) >= 2);
        });
    }

    [Fact]
    public void Generate_MalformedDeliveries_BreakTheRules_AndValidOnesKeepThem()
    {
        foreach (var c in Over20Seeds("expert"))
        {
            foreach (var d in c.Calls.SelectMany(x => x))
            {
                Assert.True(WellFormed(d.Json) == d.IsValid, $"{d.Json?.ToJsonString()} labelled {d.Malformed ?? "valid"}");
            }
        }
    }

    [Fact]
    public void Generate_ReorderingAndLateness_KeepAMarginFromTheWindow()
    {
        // When an event first arrives, its account's highest delivered seq is either within 10 of it
        // (it waits in the buffer) or at least window + 2 past it (it is late): never near the edge.
        foreach (var c in Over20Seeds("expert"))
        {
            var highest = new Dictionary<string, int>();
            var seen = new HashSet<string>();
            foreach (var e in c.Calls.SelectMany(x => x).Where(d => d.IsValid).Select(d => d.Event!))
            {
                if (seen.Add(e.Id) && highest.TryGetValue(e.Key, out var top) && top > e.Seq)
                {
                    var ahead = top - e.Seq;
                    Assert.True(ahead <= 10 || ahead >= LedgerModel.ReorderWindow + 2, $"{e} arrived {ahead} seqs behind its account in case {c.Id}");
                    Assert.Equal(ahead >= LedgerModel.ReorderWindow, c.SkippedIn.ContainsKey(e.Id));
                }

                highest[e.Key] = Math.Max(highest.GetValueOrDefault(e.Key), e.Seq);
            }
        }
    }

    [Fact]
    public void Generate_CasesGradedOnTier3_CarryMoreEventsThanTheStateBound()
    {
        Assert.All(Over20Seeds("intermediate"), c => Assert.True(c.Events.Count > ResilienceChecks.MaxStateItems * 1.3, $"{c.Id}: {c.Events.Count} events"));
    }

    [Fact]
    public void Generate_ExpertTier2And3Cases_ExerciseTheirRulesAcrossCalls()
    {
        var cases = Over20Seeds("expert").ToList();

        Assert.True(cases.Count(c => c.Truth.Any(t => t.DeadLettered.Count > 0)) >= cases.Count / 3);
        Assert.True(cases.Count(c => c.Truth.Any(t => t.Buffered > 0)) >= cases.Count / 3, "reordering crosses a batch boundary");
        Assert.True(cases.Count(c => c.Harness.Dependencies!["commit"].Default.Count(r => r.IsRaise) >= 3) >= cases.Count / 3, "commit outages");
    }

    /// <summary>requirements.md's "well-formed delivery", independently of the generator's labels.</summary>
    private static bool WellFormed(JsonNode? json) =>
        json is JsonObject o
        && PyValue.IsString(o["id"]) && o["id"]!.GetValue<string>().Length > 0
        && PyValue.IsString(o["key"]) && o["key"]!.GetValue<string>().Length > 0
        && o["seq"] is JsonValue seq && seq.TryGetValue<int>(out var s) && s >= 1
        && o["amount"] is JsonValue amount && (amount.TryGetValue<long>(out _) || (amount.TryGetValue<double>(out var a) && double.IsFinite(a)));
}

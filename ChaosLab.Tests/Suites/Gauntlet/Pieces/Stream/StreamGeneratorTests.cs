using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Stream;

/// <summary>The stream piece's generator: deterministic, seeded per stream, covering its kinds, and labelling ground truth with margins any correct rule clears.</summary>
public sealed class StreamGeneratorTests
{
    private static readonly string[] Tiers = [.. GauntletDifficulty.Tiers];

    [Fact]
    public void Generate_SameDraw_SameBytesAndFaults()
    {
        var a = StreamReports.Draw("expert", 42);
        var b = StreamReports.Draw("expert", 42);

        Assert.Equal(Json(a), Json(b));
        Assert.Equal(a.Faults.Select(f => $"{f.Kind}|{f.Target}|{f.Trigger}|{f.Reason}|{string.Join(",", f.Parameters)}"), b.Faults.Select(f => $"{f.Kind}|{f.Target}|{f.Trigger}|{f.Reason}|{string.Join(",", f.Parameters)}"));
    }

    [Fact]
    public void Generate_PublicAndHiddenDraws_DifferAndAreNamedApart()
    {
        var hidden = StreamReports.Draw("expert", 7);
        var shown = (StreamCases)StreamPiece.Instance.Generate(new CaseDraw(7, CaseDraw.PublicStream, GauntletDifficulty.Public(GauntletDifficulty.ForTier(StreamPiece.Instance, "expert"))));

        Assert.Equal(12, hidden.Cases.Count);
        Assert.Equal(GauntletDifficulty.PublicCases, shown.Cases.Count);
        Assert.All(hidden.Cases, c => Assert.StartsWith("h", c.Id, StringComparison.Ordinal));
        Assert.All(shown.Cases, c => Assert.StartsWith("p", c.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(shown.Cases, p => hidden.Cases.Any(h => h.ToJson()["calls"]!.ToJsonString() == p.ToJson()["calls"]!.ToJsonString()));
    }

    [Theory]
    [InlineData("warmup", 1)]
    [InlineData("beginner", 2)]
    [InlineData("intermediate", 3)]
    [InlineData("expert", 3)]
    public void Generate_OverTwentySeeds_EveryKindOfTheGradedTiersAppears_AndNoOther(string tier, int highestTier)
    {
        var kinds = Enumerable.Range(1, 20).SelectMany(seed => StreamReports.Draw(tier, seed).Faults.Select(f => f.Kind)).ToHashSet();

        var expected = StreamFaultKinds.All.Where(k => StreamFaultKinds.TierOf(k) <= highestTier).Select(k => k.Name).ToHashSet();
        Assert.Equal(expected.Order(), kinds.Order());
    }

    [Fact]
    public void Generate_EveryCase_MixesKindsWithOneOfTierOne_AndStaysSmall()
    {
        foreach (var tier in Tiers)
        {
            foreach (var seed in Enumerable.Range(1, 20))
            {
                var cases = StreamReports.Draw(tier, seed);
                Assert.All(cases.Truths, t =>
                {
                    Assert.Contains(t.Faults, f => StreamFaultKinds.TierOf(StreamFaultKinds.All.Single(k => k.Name == f.Kind)) == 1);
                    Assert.InRange(t.Calls.Count, 3, 8);
                    Assert.All(t.Calls, c => Assert.InRange(c.Events.Count, 40, 2_000));
                    Assert.All(t.Faults, f => Assert.Equal($"case:{t.Id}", f.Target));
                });
                Assert.InRange(cases.Truths.Average(t => t.Faults.Count), 2, 12);
                Assert.InRange(cases.Truths.Sum(t => t.Calls.Sum(c => c.Events.Count)), 1, 20_000);
            }
        }
    }

    [Fact]
    public void Generate_TimestampLabels_HaveWideMargins()
    {
        foreach (var seed in Enumerable.Range(1, 20))
        {
            foreach (var truth in StreamReports.Draw("expert", seed).Truths.Concat(StreamReports.Draw("warmup", seed).Truths))
            {
                var clock = truth.Case.ClockStart;
                var emitted = double.NegativeInfinity;
                var keys = new HashSet<(string, double)>();
                foreach (var call in truth.Calls)
                {
                    foreach (var e in call.Events)
                    {
                        if (e is { Sensor: { } s, Ts: { } ts })
                        {
                            Assert.True(keys.Add((s, ts)), $"{truth.Id}: ({s}, {ts}) twice");
                        }

                        switch (e.Label)
                        {
                            case StreamLabel.Future:
                                Assert.True(e.Ts >= clock + 3600, $"{truth.Id}: a drifted reading only {e.Ts - clock} s ahead");
                                break;
                            case StreamLabel.Late:
                                Assert.True(e.Ts <= emitted - 30, $"{truth.Id}: a late reading only {emitted - e.Ts} s behind");
                                break;
                            case StreamLabel.Invalid:
                                break;
                            default:
                                Assert.True(e.Ts > emitted && e.Ts <= clock, $"{truth.Id}: a reading at {e.Ts} outside its call's minute");
                                break;
                        }
                    }

                    emitted = Math.Max(emitted, call.Accepted().Max(e => e.Ts!.Value));
                }
            }
        }
    }

    /// <summary>
    /// The spike labels equal what the documented median/MAD rule decides, and still do when its
    /// constants move: any correct implementation, whatever its exact thresholds, agrees.
    /// </summary>
    [Theory]
    [InlineData(6, 3, 0.10)]
    [InlineData(4.5, 3, 0.10)]
    [InlineData(9, 3, 0.10)]
    [InlineData(6, 2.5, 0.10)]
    [InlineData(6, 4, 0.10)]
    [InlineData(6, 3, 0.07)]
    [InlineData(6, 3, 0.15)]
    public void Generate_SpikeLabels_MatchTheRobustRule_UnderVariedConstants(double k, double radius, double share)
    {
        foreach (var tier in new[] { "beginner", "intermediate", "expert" })
        {
            foreach (var seed in Enumerable.Range(1, 20))
            {
                foreach (var truth in StreamReports.Draw(tier, seed).Truths.Concat(StreamReports.Draw(tier, seed, CaseDraw.PublicStream).Truths))
                {
                    var windows = new Dictionary<string, List<double>>();
                    foreach (var call in truth.Calls)
                    {
                        foreach (var group in call.Events.Where(e => e.Accepted || e.Label == StreamLabel.Spike).GroupBy(e => e.Sensor!))
                        {
                            var window = windows.GetValueOrDefault(group.Key) ?? [];
                            var flags = SpikeFlags(window, [.. group.Select(e => e.Value!.Value)], k, radius, share);
                            Assert.All(group.Zip(flags), p => Assert.True(p.First.Label == StreamLabel.Spike == p.Second,
                                $"{tier} seed {seed} {truth.Id} call {call.Index}: {p.First.Label} {p.First.Sensor} = {p.First.Value} judged {(p.Second ? "a spike" : "kept")}"));
                        }

                        foreach (var e in call.Accepted())
                        {
                            var window = windows.TryGetValue(e.Sensor!, out var w) ? w : windows[e.Sensor!] = [];
                            window.Add(e.Value!.Value);
                            if (window.Count > StreamRules.Window)
                            {
                                window.RemoveAt(0);
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void FaultKinds_NamesAreUniqueAcrossSuites_AndEachBelongsToATier()
    {
        var names = StreamFaultKinds.All.Select(k => k.Name).Concat(ToolsFaultKinds.All.Select(k => k.Name)).Concat(MastFaultKinds.All.Select(k => k.Name)).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal([1, 2, 3], StreamFaultKinds.All.Select(StreamFaultKinds.TierOf).Distinct().Order());
    }

    [Fact]
    public void Requirements_SpellOutEveryConstantTheChecksUse()
    {
        var requirements = StreamPiece.Instance.Requirements;

        foreach (var constant in new[] { "MAX_CLOCK_SKEW = 300", "WINDOW = 60", "SPIKE_K = 6", "PATTERN_SHARE = 10%", "PATTERN_RADIUS = 3", "MAX_BUFFER = 240", "MAX_PUBLISH_ATTEMPTS = 3", "MAX_PENDING = 240", "64 KB", "1e-6" })
        {
            Assert.Contains(constant, requirements, StringComparison.Ordinal);
        }

        Assert.All(StreamRules.TelemetryCounts.Concat(StreamRules.DropReasons), f => Assert.Contains($"`{f}`", requirements, StringComparison.Ordinal));
        Assert.Contains("MAX_BUFFER = 240", StreamPiece.Instance.OriginalSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NamesTheSensorsAndInjectedFaults_AndRejectsUnknownCases()
    {
        var cases = StreamReports.Draw("expert", 1);
        var truth = cases.Truths[0];

        var description = cases.Describe(truth.Id);

        Assert.Contains(truth.Sensors[0].Name, description, StringComparison.Ordinal);
        Assert.Contains(" at call", description, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cases.Describe("nope"));
    }

    private static bool[] SpikeFlags(List<double> window, double[] candidates, double k, double radius, double share)
    {
        var reference = window.Concat(candidates).Order().ToArray();
        var median = Median(reference);
        var mad = Median([.. reference.Select(x => Math.Abs(x - median)).Order()]);
        var scale = Math.Max(1.4826 * mad, Math.Max(0.01, 0.001 * Math.Abs(median)));
        return [.. candidates.Select(v => Math.Abs(v - median) > k * scale && reference.Count(x => Math.Abs(x - v) <= radius * scale) < share * reference.Length)];
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private static string Json(StreamCases cases) => string.Join("\n", cases.Cases.Select(c => c.ToJson().ToJsonString()));
}

using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Retry;

public sealed class RetryGeneratorTests
{
    private static readonly RetryPiece Piece = RetryPiece.Instance;

    [Theory]
    [InlineData("warmup")]
    [InlineData("expert")]
    public void Generate_SameDraw_SameBytes(string tier)
    {
        var draw = Draw(7, CaseDraw.HiddenStream, tier);

        Assert.Equal(Bytes(Generate(draw)), Bytes(Generate(draw)));
    }

    [Fact]
    public void Generate_PublicAndHiddenDraws_Differ()
    {
        var hidden = Generate(Draw(7, CaseDraw.HiddenStream, "expert"));
        var shown = Generate(new CaseDraw(7, CaseDraw.PublicStream, GauntletDifficulty.Public(GauntletDifficulty.ForTier(Piece, "expert"))));

        Assert.Equal(GauntletDifficulty.PublicCases, shown.All.Count);
        Assert.All(shown.All, c => Assert.StartsWith("p", c.Id, StringComparison.Ordinal));
        Assert.NotEqual(Bytes(hidden).Take(GauntletDifficulty.PublicCases), Bytes(shown));
    }

    [Fact]
    public void Generate_OverTwentySeeds_UsesEveryKind_AndOnlyTheGradedTiersKinds()
    {
        foreach (var tier in GauntletDifficulty.Tiers)
        {
            var difficulty = GauntletDifficulty.ForTier(Piece, tier);
            var kinds = Enumerable.Range(1, 20).SelectMany(seed => Generate(Draw(seed, CaseDraw.HiddenStream, tier)).Faults).Select(f => f.Kind).ToHashSet();
            var expected = RetryFaultKinds.All.Where(k => difficulty.GradedTiers.Contains(RetryFaultKinds.TierOf(k))).Select(k => k.Name).ToHashSet();

            Assert.Equal(expected.Order(), kinds.Order());
        }
    }

    [Fact]
    public void Generate_ScenarioLeavesAKindOut_ItNeverAppears()
    {
        var difficulty = GauntletDifficulty.ForTier(Piece, "expert") with { Kinds = [.. RetryFaultKinds.All.Select(k => k.Name).Where(n => n != "host_outage")] };

        var faults = Enumerable.Range(1, 20).SelectMany(seed => Piece.Generate(new CaseDraw(seed, CaseDraw.HiddenStream, difficulty)).Faults);

        Assert.DoesNotContain(faults, f => f.Kind == "host_outage");
    }

    [Theory]
    [InlineData("warmup")]
    [InlineData("beginner")]
    [InlineData("intermediate")]
    [InlineData("expert")]
    public void Generate_EveryCase_ExercisesEveryGradedTier_WithAKindTheDeployedCodeFailsOn(string tier)
    {
        var difficulty = GauntletDifficulty.ForTier(Piece, tier);
        foreach (var seed in Enumerable.Range(1, 20))
        {
            var cases = Generate(Draw(seed, CaseDraw.HiddenStream, tier));
            Assert.Equal(difficulty.Cases, cases.All.Count);
            foreach (var c in cases.All)
            {
                Assert.Equal(difficulty.GradedTiers.Order(), c.Tiers);
                Assert.InRange(c.Calls.Count, 3, 8);
                var kinds = c.Faults.Select(f => f.Kind).ToList();
                Assert.Contains(kinds, k => k is "http_client_error" or "malformed_request" or "content_type_body");
                Assert.All(c.Faults, f => Assert.Equal("case:" + c.Id, f.Target));
            }
        }
    }

    [Fact]
    public void Generate_IdsAndUrls_AreUniquePerCase_SoEveryAttemptHasOneOwner()
    {
        foreach (var seed in Enumerable.Range(1, 20))
        {
            foreach (var c in Generate(Draw(seed, CaseDraw.HiddenStream, "expert")).All)
            {
                var requests = c.Calls.SelectMany(call => call).ToList();
                var ids = requests.Where(r => r.Id is not null).Select(r => r.Id).ToList();
                var urls = requests.Where(r => r.Url is not null).Select(r => r.Url).ToList();
                Assert.Equal(ids.Count, ids.Distinct().Count());
                Assert.Equal(urls.Count, urls.Distinct().Count());
            }
        }
    }

    /// <summary>
    /// The margins a correct client needs: every scripted success is reachable within the
    /// attempt limit, a Retry-After is either clearly waitable or clearly beyond the limit, a
    /// recovery is preceded by a call slower than the cool-down, a fan-out wants more retries
    /// than the budget.
    /// </summary>
    [Fact]
    public void Generate_Scripts_KeepTheirMargins()
    {
        foreach (var seed in Enumerable.Range(1, 20))
        {
            foreach (var c in Generate(Draw(seed, CaseDraw.HiddenStream, "expert")).All)
            {
                var script = c.Harness.Dependencies!["transport"];
                foreach (var (url, answers) in script.PerKey!)
                {
                    var firstSuccess = answers.ToList().FindIndex(a => !a.IsRaise && Status(a) is >= 200 and < 300);
                    Assert.True(firstSuccess < RetryRules.MaxAttempts, $"{url}: success at attempt {firstSuccess + 1}");
                    foreach (var retryAfter in answers.Where(a => Status(a) == 429).Select(a => RetryAfterSeconds(a, c.Harness.ClockStart)))
                    {
                        Assert.True(retryAfter <= 15 || retryAfter >= 60, $"{url}: Retry-After {retryAfter} s is too close to the {RetryRules.MaxRetryAfter} s limit");
                    }
                }

                foreach (var gate in script.Gates?.Values ?? [])
                {
                    Assert.InRange(RetryAfterSeconds(gate.Closed, c.Harness.ClockStart), 1, 15);
                    Assert.InRange(gate.OpenAt - c.Harness.ClockStart, 1, 15);
                }

                foreach (var fault in c.Faults.Where(f => f.Kind == "retry_fanout"))
                {
                    Assert.True(int.Parse(fault.Parameters["retries_wanted"], CultureInfo.InvariantCulture) > RetryRules.RetryBudget);
                }

                foreach (var fault in c.Faults.Where(f => f.Kind == "host_outage" && f.Parameters["recovered"] == "true"))
                {
                    var lastOutageCall = c.Calls[int.Parse(fault.Parameters["to_call"], CultureInfo.InvariantCulture) - 1];
                    var slow = script.PerKey[lastOutageCall[^1].Url!].Single();
                    Assert.True(slow.Latency > RetryRules.BreakerCoolDown);
                    Assert.Contains(c.Calls[int.Parse(fault.Parameters["to_call"], CultureInfo.InvariantCulture)], r => r.Host == fault.Parameters["host"]);
                }
            }
        }
    }

    private static int? Status(ScriptedResponse answer) =>
        PyValue.TryNumber(PyValue.Get(CallRecorder.Reparse(answer.Value), "status"), out var status) ? (int)status : null;

    private static double RetryAfterSeconds(ScriptedResponse answer, double clockStart)
    {
        var value = PyValue.Entries(PyValue.Get(answer.Value, "headers"))!.Single(h => h.Key.Equals("retry-after", StringComparison.OrdinalIgnoreCase)).Value!.GetValue<string>();
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : DateTimeOffset.ParseExact(value, "r", CultureInfo.InvariantCulture).ToUnixTimeSeconds() - clockStart;
    }

    private static CaseDraw Draw(long seed, string stream, string tier) => new(seed, stream, GauntletDifficulty.ForTier(Piece, tier));

    private static RetryCases Generate(CaseDraw draw) => (RetryCases)Piece.Generate(draw);

    private static IEnumerable<string> Bytes(RetryCases cases) =>
        cases.All.Select(c => c.Harness.ToJson().ToJsonString() + "|" + string.Join(";", c.Faults.Select(f => $"{f.Kind}/{f.Trigger}/{f.Reason}")) + "|" + c.Summary);
}

using ChaosLab.Core.Curriculum;

namespace ChaosLab.Tests.Core.Curriculum;

/// <summary>The advancement rules on their own: thresholds, the window, one tier at a time, no demotion.</summary>
public sealed class CurriculumPolicyTests
{
    private static readonly string[] Ladder = ["warmup", "beginner", "intermediate", "expert"];
    private static readonly CurriculumRules Rules = CurriculumRules.Default(Ladder);

    [Fact]
    public void Default_FourTiers_ReferenceWindowAndBars()
    {
        Assert.Equal(15, Rules.Window);
        Assert.Equal(
            [("warmup", new AdvanceBar(5, 0.6)), ("beginner", new AdvanceBar(8, 0.5)), ("intermediate", new AdvanceBar(10, 0.4)), ("expert", (AdvanceBar?)null)],
            Rules.Tiers.Select(t => (t.Tier, t.Advance)));
        Assert.Empty(Rules.Problems());
    }

    [Fact]
    public void Default_SixTiers_RepeatsTheHardestBarAndLastTierHasNone()
    {
        var rules = CurriculumRules.Default(["a", "b", "c", "d", "e", "f"]);

        Assert.Equal([new AdvanceBar(5, 0.6), new AdvanceBar(8, 0.5), new AdvanceBar(10, 0.4), new AdvanceBar(10, 0.4), new AdvanceBar(10, 0.4), null], rules.Tiers.Select(t => t.Advance));
        Assert.Empty(rules.Problems());
    }

    [Fact]
    public void Decide_NoEpisodesYet_StaysAtFirstTier()
    {
        var decision = CurriculumPolicy.Decide(Rules, "warmup", []);

        Assert.Equal(("warmup", false, 0, 0), (decision.Tier, decision.Advanced, decision.WindowEpisodes, decision.WindowSuccesses));
        Assert.Equal("stays at warmup: 0 of 0 graded episodes at warmup succeeded; the bar is 5 episodes at 60% to reach beginner", decision.Reason);
    }

    [Theory]
    [InlineData("warmup", new[] { true, true, true, false, false }, "beginner")]       // 5 at exactly 60%
    [InlineData("warmup", new[] { true, true, false, false, false }, "warmup")]        // 5 at 40%
    [InlineData("warmup", new[] { true, true, true, true }, "warmup")]                 // 100%, but only 4
    [InlineData("beginner", new[] { true, true, true, true, false, false, false, false }, "intermediate")] // 8 at 50%
    [InlineData("beginner", new[] { true, true, true, true, true, true, true }, "beginner")]                // 7 episodes
    [InlineData("intermediate", new[] { true, true, true, true, false, false, false, false, false, false }, "expert")] // 10 at 40%
    [InlineData("intermediate", new[] { true, true, true, false, false, false, false, false, false, false }, "intermediate")]
    public void Decide_AgainstTheTiersBar_AdvancesExactlyWhenCleared(string tier, bool[] newestFirst, string expected)
    {
        var decision = CurriculumPolicy.Decide(Rules, tier, newestFirst);

        Assert.Equal(expected, decision.Tier);
        Assert.Equal(expected != tier, decision.Advanced);
        Assert.Equal(tier, decision.FromTier);
    }

    [Fact]
    public void Decide_Cleared_ReasonSaysWhatWasMeasuredAndTheBar()
    {
        var decision = CurriculumPolicy.Decide(Rules, "warmup", [true, true, true, true, false]);

        Assert.Equal("advanced from warmup to beginner: 4 of 5 graded episodes at warmup succeeded (80%); the bar is 5 episodes at 60%", decision.Reason);
        Assert.Equal((5, 4), (decision.WindowEpisodes, decision.WindowSuccesses));
    }

    [Fact]
    public void Decide_OldSuccessesBeyondTheWindow_DoNotCount()
    {
        // Newest first: 15 recent failures, then a long run of old successes.
        var outcomes = Enumerable.Repeat(false, 15).Concat(Enumerable.Repeat(true, 50)).ToArray();

        var decision = CurriculumPolicy.Decide(Rules, "warmup", outcomes);

        Assert.Equal(("warmup", 15, 0), (decision.Tier, decision.WindowEpisodes, decision.WindowSuccesses));
    }

    [Fact]
    public void Decide_RecentSuccessesAfterOldFailures_WindowSlidesAndAdvances()
    {
        // 9 recent successes and 6 failures inside the window, 40 older failures outside it.
        var outcomes = Enumerable.Repeat(true, 9).Concat(Enumerable.Repeat(false, 46)).ToArray();

        var decision = CurriculumPolicy.Decide(Rules, "warmup", outcomes);

        Assert.Equal(("beginner", 15, 9), (decision.Tier, decision.WindowEpisodes, decision.WindowSuccesses));
    }

    [Fact]
    public void Decide_PerfectRecord_MovesOneTierOnly()
    {
        var decision = CurriculumPolicy.Decide(Rules, "warmup", Enumerable.Repeat(true, 15).ToArray());

        Assert.Equal("beginner", decision.Tier);
    }

    [Fact]
    public void Decide_TopTierWithFailures_StaysThereAndNeverDemotes()
    {
        var atTop = CurriculumPolicy.Decide(Rules, "expert", Enumerable.Repeat(true, 15).ToArray());
        var failing = CurriculumPolicy.Decide(Rules, "intermediate", Enumerable.Repeat(false, 15).ToArray());

        Assert.Equal(("expert", false), (atTop.Tier, atTop.Advanced));
        Assert.StartsWith("stays at expert, the top tier", atTop.Reason, StringComparison.Ordinal);
        Assert.Equal("intermediate", failing.Tier);
    }

    [Fact]
    public void Decide_TierNotOnTheLadder_Throws()
    {
        Assert.Throws<ArgumentException>(() => CurriculumPolicy.Decide(Rules, "legendary", []));
    }

    [Fact]
    public void Problems_UnusableRules_EachNamed()
    {
        var rules = new CurriculumRules(4, [new TierRule("a", new AdvanceBar(5, 0.5)), new TierRule("b", null), new TierRule("c", new AdvanceBar(1, 0.5))]);

        var problems = rules.Problems();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("'a': min_episodes must be 1 to the window (4)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'b' needs a bar to advance to 'c'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'c' is the last tier", StringComparison.Ordinal));
    }
}

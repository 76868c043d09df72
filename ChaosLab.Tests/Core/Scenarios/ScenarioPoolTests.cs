using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Scenarios;

/// <summary>A reset that names no scenario draws one from its task and tier pool by the seed.</summary>
public sealed class ScenarioPoolTests
{
    private static readonly ToolsSuite Suite = new();

    private static string Drawn(string? task, string? tier, long seed)
    {
        var resolved = Suite.Resolve(new ResetOptions { TaskId = task, Tier = tier, Seed = seed });
        Assert.True(resolved.Succeeded);
        return resolved.Value!.Id;
    }

    [Fact]
    public void Resolve_NoScenarioSameSeed_SameScenarioEveryTime()
    {
        Assert.All(Enumerable.Range(0, 50), seed => Assert.Equal(Drawn("task2", null, seed), Drawn("task2", null, seed)));
    }

    [Theory]
    [InlineData(null, null, 63)]
    [InlineData("task1", null, 28)]
    [InlineData(null, "expert", 16)]
    [InlineData("task3", "intermediate", 6)]
    public void Resolve_NoScenarioOverManySeeds_ReachesEveryMemberOfThePoolAndNothingElse(string? task, string? tier, int size)
    {
        var pool = ScenarioPool.Matching(Suite.Scenarios, task, tier).Select(s => s.Id).ToHashSet();

        var drawn = Enumerable.Range(0, size * 60).Select(seed => Drawn(task, tier, seed)).ToList();

        Assert.Equal(size, pool.Count);
        Assert.Equal(pool.Order(StringComparer.Ordinal), drawn.Distinct().Order(StringComparer.Ordinal));
        // Uniform: with 60 draws expected per member, no member is drawn under 25 or over 105 times
        // (each bound is beyond 4.5 standard deviations).
        Assert.All(drawn.CountBy(id => id), count => Assert.InRange(count.Value, 25, 105));
    }

    [Fact]
    public void Draw_Seed_UsesItsOwnStreamNotTheScenarios()
    {
        var pool = Enumerable.Range(0, 1000).ToList();

        var drawn = ScenarioPool.Draw(pool, 42);

        Assert.Equal((int)(SeededStreams.Hash(42, ScenarioPool.Purpose) % 1000), drawn);
        Assert.Equal("reset.scenario_pool", ScenarioPool.Purpose);
    }

    [Fact]
    public void Describe_ToolsSuite_PoolsForTheSuiteEachTaskEachTierAndEachNonEmptyPair()
    {
        var pools = ScenarioPool.Describe(Suite);

        Assert.Equal(63, pools.Single(p => p.TaskId is null && p.Tier is null).ScenarioIds.Count);
        Assert.Equal([28, 17, 18], pools.Where(p => p.Tier is null && p.TaskId is not null).Select(p => p.ScenarioIds.Count));
        Assert.Equal([15, 16, 16, 16], pools.Where(p => p.TaskId is null && p.Tier is not null).Select(p => p.ScenarioIds.Count));
        Assert.Equal(["W01", "W02", "W03", "W04", "W09", "W11", "W13", "F01"], pools.Single(p => p is { TaskId: "task1", Tier: "warmup" }).ScenarioIds);
    }
}

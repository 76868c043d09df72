using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class QueryBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    // The memory budget reads SQLite's heap counter; the provider is otherwise loaded by the first connection.
    public QueryBudgetTests() => SQLitePCL.Batteries_V2.Init();

    [Fact]
    public void Check_WithinEveryBudget_Continues()
    {
        var budget = new QueryBudget(new ManualTimeProvider(Start));
        budget.Start();
        Assert.False(budget.Check());
        Assert.Equal(QueryLimit.None, budget.Exceeded);
    }

    [Fact]
    public void Check_StepBudgetSpent_StopsForSteps()
    {
        var budget = new QueryBudget(new ManualTimeProvider(Start));
        budget.Start();
        for (var i = 0; i < QueryBudget.StepBudget; i++)
        {
            Assert.False(budget.Check());
        }

        Assert.True(budget.Check());
        Assert.Equal(QueryLimit.Steps, budget.Exceeded);
    }

    [Fact]
    public void Check_WallClockPastDeadline_StopsForTime()
    {
        var clock = new ManualTimeProvider(Start);
        var budget = new QueryBudget(clock);
        budget.Start();
        clock.Advance(QueryBudget.WallClockBudget);
        Assert.True(budget.Check());
        Assert.Equal(QueryLimit.Time, budget.Exceeded);
    }

    [Fact]
    public void Start_AfterAStoppedQuery_ResetsEveryBudget()
    {
        var clock = new ManualTimeProvider(Start);
        var budget = new QueryBudget(clock);
        budget.Start();
        clock.Advance(QueryBudget.WallClockBudget);
        budget.Check();
        budget.Start();
        Assert.False(budget.Check());
        Assert.Equal(QueryLimit.None, budget.Exceeded);
    }
}

using ChaosLab.Core.Suites.Mast.Simulation;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>The discrete-event clock: timers fire in time order, and Polly's strategies run on it inline, without waiting.</summary>
public sealed class SimulatedClockTests
{
    [Fact]
    public void Timers_FireInTimeOrder_AndMoveTheClock()
    {
        var clock = new SimulatedClock();
        var fired = new List<(string, long)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.NowMs)), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.NowMs)), null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        using var cancelled = clock.CreateTimer(_ => fired.Add(("cancelled", clock.NowMs)), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        cancelled.Dispose();

        clock.Advance(1_000);

        Assert.Equal([("early", 100L), ("late", 300L)], fired);
        Assert.Equal(1_000, clock.NowMs);
    }

    [Fact]
    public void PollyTimeout_CutsASimulatedCall_AtTheTimeoutOnTheClock()
    {
        var clock = new SimulatedClock();
        var pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = clock }.AddTimeout(TimeSpan.FromMilliseconds(5_000)).Build();

        var outcome = clock.RunToCompletion(pipeline.ExecuteOutcomeAsync(async (context, state) =>
        {
            var finished = await clock.SleepAsync(60_000, context.CancellationToken).ConfigureAwait(false);
            return finished ? Outcome.FromResult(1) : Outcome.FromException<int>(new OperationCanceledException());
        }, ResilienceContextPool.Shared.Get(), 0));

        Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.Equal(5_000, clock.NowMs);
    }

    [Fact]
    public void PollyRetry_DelaysOnTheClock_Exponentially()
    {
        var clock = new SimulatedClock();
        var attempts = new List<long>();
        var pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = 3, Delay = TimeSpan.FromMilliseconds(1_000), BackoffType = DelayBackoffType.Exponential, UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null),
            })
            .Build();

        var outcome = clock.RunToCompletion(pipeline.ExecuteOutcomeAsync((context, state) =>
        {
            attempts.Add(clock.NowMs);
            return ValueTask.FromResult(Outcome.FromException<int>(new InvalidOperationException("503")));
        }, ResilienceContextPool.Shared.Get(), 0));

        Assert.IsType<InvalidOperationException>(outcome.Exception);
        Assert.Equal([0L, 1_000L, 3_000L, 7_000L], attempts);
    }

    [Fact]
    public void RunToCompletion_RefusesAPipelineThatWaitsOnNothing()
    {
        var clock = new SimulatedClock();
        var never = new TaskCompletionSource<int>();

        Assert.Throws<InvalidOperationException>(() => clock.RunToCompletion(new ValueTask<int>(never.Task)));
    }
}

using System.Threading.Tasks.Sources;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// A discrete-event clock: time moves only when the driver fires the next timer, so Polly's
/// timeouts, retry delays and circuit-breaker windows, and the simulated model calls, all run
/// inline on the calling thread in time order, with no real waiting. One per simulation thread,
/// reset before every run.
/// </summary>
internal sealed class SimulatedClock : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PriorityQueue<TimerEntry, (long Due, long Order)> _queue = new();
    private readonly Stack<Sleep> _sleeps = new();
    private long _order;

    /// <summary>Milliseconds since the run started.</summary>
    public long NowMs { get; private set; }

    public override DateTimeOffset GetUtcNow() => Epoch.AddMilliseconds(NowMs);

    public override long GetTimestamp() => NowMs * TimeSpan.TicksPerMillisecond;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Reset()
    {
        _queue.Clear();
        NowMs = 0;
        _order = 0;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Work that takes <paramref name="milliseconds"/>: true when it finished, false when the token cut it short.</summary>
    public ValueTask<bool> SleepAsync(long milliseconds, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromResult(false);
        }

        if (milliseconds <= 0)
        {
            return ValueTask.FromResult(true);
        }

        var sleep = _sleeps.Count > 0 ? _sleeps.Pop() : new Sleep(this);
        return sleep.Start(milliseconds, cancellationToken);
    }

    /// <summary>Time that passes with no timer involved (a translator, a guard, a summary).</summary>
    public void Advance(long milliseconds)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        var target = NowMs + milliseconds;
        while (_queue.TryPeek(out _, out var priority) && priority.Due <= target)
        {
            FireNext();
        }

        NowMs = target;
    }

    /// <summary>Runs a pipeline's ValueTask to completion by firing timers in time order.</summary>
    public T RunToCompletion<T>(ValueTask<T> task)
    {
        while (!task.IsCompleted)
        {
            if (!FireNext())
            {
                throw new InvalidOperationException("The simulated pipeline waits on nothing: no timer is pending.");
            }
        }

        return task.Result;
    }

    private bool FireNext()
    {
        // A task completed under a custom synchronization context (a test runner's) queues its
        // continuations to the thread pool instead of running them inline; fire without one.
        var context = SynchronizationContext.Current;
        if (context is null)
        {
            return FireNextInline();
        }

        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return FireNextInline();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private bool FireNextInline()
    {
        while (_queue.TryDequeue(out var entry, out var priority))
        {
            if (entry.Timer.Version != entry.Version)
            {
                continue;
            }

            NowMs = Math.Max(NowMs, priority.Due);
            entry.Timer.Fire();
            return true;
        }

        return false;
    }

    private void Schedule(SimulatedTimer timer, long dueMs) => _queue.Enqueue(new TimerEntry(timer, timer.Version), (NowMs + dueMs, _order++));

    private readonly record struct TimerEntry(SimulatedTimer Timer, int Version);

    private sealed class SimulatedTimer(SimulatedClock clock, TimerCallback? callback, object? state) : ITimer
    {
        private long _periodMs = -1;

        /// <summary>Bumped on every change, so queue entries of an earlier schedule are skipped.</summary>
        public int Version { get; private set; }

        public Action? Elapsed { get; init; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Version++;
            _periodMs = period == Timeout.InfiniteTimeSpan ? -1 : (long)period.TotalMilliseconds;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                clock.Schedule(this, Math.Max(0, (long)dueTime.TotalMilliseconds));
            }

            return true;
        }

        public void Fire()
        {
            if (_periodMs > 0)
            {
                clock.Schedule(this, _periodMs);
            }
            else
            {
                Version++;
            }

            if (Elapsed is { } elapsed)
            {
                elapsed();
            }
            else
            {
                callback!(state);
            }
        }

        public void Dispose() => Version++;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A reusable awaitable for one simulated piece of work (no Task, no exception when cut).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A simulated timer holds no resource; Complete cancels it.")]
    private sealed class Sleep : IValueTaskSource<bool>
    {
        private readonly SimulatedClock _clock;
        private readonly SimulatedTimer _timer;
        private ManualResetValueTaskSourceCore<bool> _core;
        private CancellationTokenRegistration _registration;
        private bool _done;

        public Sleep(SimulatedClock clock)
        {
            _clock = clock;
            _timer = new SimulatedTimer(clock, null, null) { Elapsed = () => Complete(true) };
            _core.RunContinuationsAsynchronously = false;
        }

        public ValueTask<bool> Start(long milliseconds, CancellationToken cancellationToken)
        {
            _core.Reset();
            _done = false;
            _timer.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(static s => ((Sleep)s!).Complete(false), this);
            }

            return new ValueTask<bool>(this, _core.Version);
        }

        public bool GetResult(short token)
        {
            var result = _core.GetResult(token);
            _clock._sleeps.Push(this);
            return result;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        // Continuations run inline where the timer fires: never posted to a synchronization
        // context or the thread pool, whatever the awaiter asked for.
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, ValueTaskSourceOnCompletedFlags.None);

        private void Complete(bool elapsed)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            _timer.Dispose();
            _registration.Dispose();
            _registration = default;
            _core.SetResult(elapsed);
        }
    }
}

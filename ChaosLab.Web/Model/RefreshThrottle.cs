namespace ChaosLab.Web.Model;

/// <summary>
/// Runs a refresh at most once per interval however often it is requested: the first request
/// after a quiet period runs at once, a burst collapses into one run at the end of the interval.
/// </summary>
public sealed class RefreshThrottle(TimeProvider timeProvider, TimeSpan interval, Func<Task> refresh) : IDisposable
{
    private readonly Lock _lock = new();
    private DateTimeOffset _lastRun = DateTimeOffset.MinValue;
    private ITimer? _timer;
    private bool _scheduled;
    private bool _disposed;

    public void Request()
    {
        TimeSpan due;
        lock (_lock)
        {
            if (_disposed || _scheduled)
            {
                return;
            }

            _scheduled = true;
            var sinceLast = timeProvider.GetUtcNow() - _lastRun;
            due = sinceLast >= interval ? TimeSpan.Zero : interval - sinceLast;
            _timer?.Dispose();
        }

        // Outside the lock: a timer due now may run its callback before CreateTimer returns.
        var timer = timeProvider.CreateTimer(_ => _ = RunAsync(), null, due, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            if (_disposed)
            {
                timer.Dispose();
                return;
            }

            _timer = timer;
        }
    }

    private async Task RunAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _scheduled = false;
            _lastRun = timeProvider.GetUtcNow();
        }

        await refresh();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}

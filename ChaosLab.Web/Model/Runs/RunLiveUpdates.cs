using ChaosLab.Core.Evaluation;

namespace ChaosLab.Web.Model.Runs;

/// <summary>
/// Keeps a runs view fresh from both places runs move: progress events of runs played in this
/// process (<see cref="IEvaluationRuns.Subscribe"/>) and a poll of the store, which sees what no
/// event reports: another process writing the same database (the store allows it; the
/// data-directory lock keeps the command line and the server apart today) or an event missed
/// between a read and a subscription. Both only ask for a refresh; the throttle turns a burst
/// of them into one read.
/// </summary>
public sealed class RunLiveUpdates : IDisposable
{
    /// <summary>How often the store is read when nothing in this process reported progress.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Least time between two refreshes, however many events arrive.</summary>
    public static readonly TimeSpan ThrottleInterval = TimeSpan.FromMilliseconds(500);

    private readonly RefreshThrottle _throttle;
    private readonly IDisposable _subscription;
    private readonly ITimer _poll;

    /// <param name="concerns">Which progress events matter to the view (e.g. those of one run).</param>
    public RunLiveUpdates(IEvaluationRuns runs, TimeProvider timeProvider, Func<RunProgress, bool> concerns, Func<Task> refresh)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(concerns);
        _throttle = new RefreshThrottle(timeProvider, ThrottleInterval, refresh);
        _subscription = runs.Subscribe(progress =>
        {
            if (concerns(progress))
            {
                _throttle.Request();
            }
        });
        _poll = timeProvider.CreateTimer(_ => _throttle.Request(), null, PollInterval, PollInterval);
    }

    public void Dispose()
    {
        _poll.Dispose();
        _subscription.Dispose();
        _throttle.Dispose();
    }
}

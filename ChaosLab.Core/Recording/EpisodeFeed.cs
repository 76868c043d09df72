using System.Collections.Concurrent;
using System.Threading.Channels;
using ChaosLab.Core.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChaosLab.Core.Recording;

/// <summary>
/// Live episodes as they become durable: what the dashboard's leaderboard and live replay
/// subscribe to. Every event is published only after the rows it describes committed, so a
/// subscriber that reads the store on an event finds them.
/// </summary>
public interface IEpisodeFeed
{
    /// <summary>
    /// Calls <paramref name="onEvent"/> for every event (of one episode if
    /// <paramref name="episodeId"/> is set), one call at a time in publication order, on a
    /// background task. A subscriber that falls more than <see cref="EpisodeFeed.SubscriberCapacity"/>
    /// events behind loses the oldest ones; exceptions it throws are logged and swallowed.
    /// Dispose the subscription to stop.
    /// </summary>
    IDisposable Subscribe(Func<EpisodeFeedEvent, Task> onEvent, string? episodeId = null);
}

public abstract record EpisodeFeedEvent(string EpisodeId);

/// <param name="Reset">Step 0: the reset observation.</param>
public sealed record EpisodeStartedEvent(EpisodeSummary Episode, RecordedStep Reset) : EpisodeFeedEvent(Episode.Id);

/// <param name="FiredFaultKinds">The fault kinds that fired in this step.</param>
public sealed record StepAppendedEvent(RecordedStep Step, IReadOnlyList<string> FiredFaultKinds) : EpisodeFeedEvent(Step.EpisodeId);

/// <summary>The episode ended: graded, or abandoned (<see cref="EpisodeSummary.Outcome"/> is "abandoned").</summary>
public sealed record EpisodeFinishedEvent(EpisodeSummary Episode) : EpisodeFeedEvent(Episode.Id);

public sealed partial class EpisodeFeed(ILogger<EpisodeFeed>? logger = null) : IEpisodeFeed
{
    /// <summary>Events a subscriber may fall behind before the oldest are dropped.</summary>
    public const int SubscriberCapacity = 1024;

    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly ILogger _logger = logger ?? NullLogger<EpisodeFeed>.Instance;

    public int SubscriberCount => _subscriptions.Count;

    /// <summary>
    /// Called with every event this process's recorder publishes, after its subscribers got it:
    /// the replica relay hands it on to the other replicas sharing the store.
    /// </summary>
    public event Action<EpisodeFeedEvent>? Published;

    public IDisposable Subscribe(Func<EpisodeFeedEvent, Task> onEvent, string? episodeId = null)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var subscription = new Subscription(this, onEvent, episodeId);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>Hands the event to every subscriber's queue; never waits for a subscriber.</summary>
    internal void Publish(EpisodeFeedEvent feedEvent)
    {
        Offer(feedEvent);
        Published?.Invoke(feedEvent);
    }

    /// <summary>An event another replica's recorder published, read back from the shared store: to this process's subscribers only.</summary>
    public void PublishFromReplica(EpisodeFeedEvent feedEvent)
    {
        ArgumentNullException.ThrowIfNull(feedEvent);
        Offer(feedEvent);
    }

    /// <summary>Whether someone follows <paramref name="episodeId"/> itself (a replay), not only the feed as a whole.</summary>
    public bool HasEpisodeSubscriber(string episodeId) => _subscriptions.Keys.Any(s => s.Follows(episodeId));

    private void Offer(EpisodeFeedEvent feedEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Offer(feedEvent);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An episode feed subscriber failed on {EventType} of episode {EpisodeId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string eventType, string episodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An episode feed subscriber fell behind; dropped its oldest event ({EventType} of episode {EpisodeId})")]
    private static partial void LogDropped(ILogger logger, string eventType, string episodeId);

    private sealed class Subscription : IDisposable
    {
        private readonly EpisodeFeed _feed;
        private readonly Func<EpisodeFeedEvent, Task> _onEvent;
        private readonly string? _episodeId;
        private readonly Channel<EpisodeFeedEvent> _events;
        private volatile bool _disposed;

        public Subscription(EpisodeFeed feed, Func<EpisodeFeedEvent, Task> onEvent, string? episodeId)
        {
            _feed = feed;
            _onEvent = onEvent;
            _episodeId = episodeId;
            _events = Channel.CreateBounded<EpisodeFeedEvent>(
                new BoundedChannelOptions(SubscriberCapacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleReader = true,
                },
                dropped => LogDropped(_feed._logger, dropped.GetType().Name, dropped.EpisodeId));
            _ = Task.Run(PumpAsync);
        }

        public bool Follows(string episodeId) => string.Equals(_episodeId, episodeId, StringComparison.Ordinal);

        public void Offer(EpisodeFeedEvent feedEvent)
        {
            if (_episodeId is null || string.Equals(_episodeId, feedEvent.EpisodeId, StringComparison.Ordinal))
            {
                _events.Writer.TryWrite(feedEvent);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _feed._subscriptions.TryRemove(this, out _);
            _events.Writer.TryComplete();
        }

        private async Task PumpAsync()
        {
            await foreach (var feedEvent in _events.Reader.ReadAllAsync())
            {
                if (_disposed)
                {
                    return;
                }

                try
                {
                    await _onEvent(feedEvent);
                }
#pragma warning disable CA1031 // A subscriber's bug must not stop its own feed, let alone the writer.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogSubscriberFailed(_feed._logger, ex, feedEvent.GetType().Name, feedEvent.EpisodeId);
                }
            }
        }
    }
}

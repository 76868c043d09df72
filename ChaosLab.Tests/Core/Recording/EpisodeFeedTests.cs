using System.Threading.Channels;
using ChaosLab.Core;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Core.Recording;

public sealed class EpisodeFeedTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly EpisodeFeed _feed = new();
    private EpisodeRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        var clock = new ManualTimeProvider(Epoch);
        await new SchemaMigrator(clock).MigrateAsync(_directory.File("chaoslab.db"));
        _recorder = new EpisodeRecorder(
            new SqliteStoreDatabase(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }), new SchemaMigrator(TimeProvider.System)),
            // The manual clock would hold a group commit until advanced.
            Options.Create(new RecordingOptions { CommitDelay = TimeSpan.Zero }),
            _feed,
            clock);
        await _recorder.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _recorder.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Subscribe_WholeEpisode_StartedStepsAndFinishedInOrder()
    {
        var events = Channel.CreateUnbounded<EpisodeFeedEvent>();
        using var subscription = _feed.Subscribe(e => events.Writer.WriteAsync(e).AsTask());

        await RecordEpisodeAsync(_recorder, Start(Info("ep-feed")), steps: 2, faults: ["rate_limit"]);

        var received = await ReadAsync(events.Reader, 5);
        Assert.Collection(
            received,
            e => Assert.Equal(0, Assert.IsType<EpisodeStartedEvent>(e).Reset.StepIndex),
            e =>
            {
                // The episode is running: what fired, and the clean result, are not disclosed yet.
                var appended = Assert.IsType<StepAppendedEvent>(e);
                Assert.Empty(appended.FiredFaultKinds);
                Assert.Equal("[]", appended.Step.FaultsJson);
                Assert.Null(appended.Step.CleanResult);
            },
            e => Assert.Equal(2, Assert.IsType<StepAppendedEvent>(e).Step.StepIndex),
            e => Assert.True(Assert.IsType<StepAppendedEvent>(e).Step.Done),
            e =>
            {
                var finished = Assert.IsType<EpisodeFinishedEvent>(e).Episode;
                Assert.Equal(("correct", 3), (finished.Outcome, finished.StepCount));
                Assert.Equal(["rate_limit"], finished.FaultKinds);
            });
        Assert.All(received, e => Assert.Equal("ep-feed", e.EpisodeId));
    }

    [Fact]
    public async Task Subscribe_OneEpisode_ReceivesOnlyThatEpisode()
    {
        var events = Channel.CreateUnbounded<EpisodeFeedEvent>();
        using var subscription = _feed.Subscribe(e => events.Writer.WriteAsync(e).AsTask(), episodeId: "ep-b");

        await RecordEpisodeAsync(_recorder, Start(Info("ep-a")), steps: 1);
        await RecordEpisodeAsync(_recorder, Start(Info("ep-b")), steps: 1);

        var received = await ReadAsync(events.Reader, 4);
        Assert.All(received, e => Assert.Equal("ep-b", e.EpisodeId));
        Assert.IsType<EpisodeFinishedEvent>(received[^1]);
    }

    [Fact]
    public async Task Subscribe_SubscriberThrows_OthersAndLaterEventsStillDelivered()
    {
        var events = Channel.CreateUnbounded<EpisodeFeedEvent>();
        using var failing = _feed.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));
        using var working = _feed.Subscribe(e => events.Writer.WriteAsync(e).AsTask());

        await RecordEpisodeAsync(_recorder, Start(Info("ep-1")), steps: 0);
        await RecordEpisodeAsync(_recorder, Start(Info("ep-2")), steps: 0);

        var received = await ReadAsync(events.Reader, 6);
        Assert.Equal(["ep-1", "ep-1", "ep-1", "ep-2", "ep-2", "ep-2"], received.Select(e => e.EpisodeId));
        Assert.True(_recorder.Health.Healthy);
    }

    [Fact]
    public async Task Dispose_Subscription_NoFurtherCallbacks()
    {
        var calls = 0;
        var subscription = _feed.Subscribe(_ =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        var events = Channel.CreateUnbounded<EpisodeFeedEvent>();
        using var witness = _feed.Subscribe(e => events.Writer.WriteAsync(e).AsTask());
        Assert.Equal(2, _feed.SubscriberCount);

        subscription.Dispose();
        await RecordEpisodeAsync(_recorder, Start(Info("ep-after")), steps: 0);
        await ReadAsync(events.Reader, 3);

        Assert.Equal(1, _feed.SubscriberCount);
        Assert.Equal(0, Volatile.Read(ref calls));
    }

    private static async Task<List<EpisodeFeedEvent>> ReadAsync(ChannelReader<EpisodeFeedEvent> reader, int count)
    {
        var received = new List<EpisodeFeedEvent>();
        while (received.Count < count)
        {
            received.Add(await reader.ReadAsync());
        }

        return received;
    }
}

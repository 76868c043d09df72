using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Replicas;
using Npgsql;

namespace ChaosLab.Web.Services.Replicas;

/// <summary>
/// Every replica's dashboard sees every replica's episodes live. On PostgreSQL each event this
/// replica's recorder publishes is announced with <c>NOTIFY</c> (ids only: payloads are capped at
/// 8000 bytes and the rows are in the shared store anyway), and each announcement from another
/// replica is read back from the store, through the disclosure rules, and published to this
/// replica's subscribers. Finished episodes reach every subscriber (the leaderboard refreshes on
/// them); a running episode's start and steps are read back only while someone here follows that
/// episode (a replay), so replicas do not read each other's every step. Live updates are best
/// effort, as within one process: a note lost while the database was unreachable is not resent.
/// On SQLite (one process) the relay does nothing.
/// </summary>
internal sealed partial class ReplicaFeedRelay(
    StoreDatabase database, EpisodeFeed feed, EpisodeStore episodes, ReplicaIdentity replica, TimeProvider time, ILogger<ReplicaFeedRelay> logger) : BackgroundService
{
    /// <summary>The PostgreSQL notification channel the replicas share.</summary>
    public const string ChannelName = "chaoslab_feed";

    private readonly Channel<FeedNote> _outbound = Channel.CreateBounded<FeedNote>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Channel<FeedNote> _inbound = Channel.CreateBounded<FeedNote>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresStoreDatabase postgres)
        {
            return;
        }

        feed.Published += OnPublished;
        try
        {
            // Never block Npgsql's reader: parse, queue, return.
            var listen = PostgresChannel.ListenAsync(postgres.DataSource, ChannelName, payload =>
            {
                if (FeedNote.TryParse(payload) is { } note && note.Replica != replica.Id)
                {
                    _inbound.Writer.TryWrite(note);
                }
            }, onListening: null, time, logger, stoppingToken);
            await Task.WhenAll(SendAsync(postgres.DataSource, stoppingToken), listen, ReadBackAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            feed.Published -= OnPublished;
        }
    }

    private void OnPublished(EpisodeFeedEvent feedEvent) => _outbound.Writer.TryWrite(FeedNote.Of(replica.Id, feedEvent));

    /// <summary>Announces this replica's events, as many as are waiting in one round trip.</summary>
    private async Task SendAsync(NpgsqlDataSource dataSource, CancellationToken stoppingToken)
    {
        var batch = new List<string>();
        while (await _outbound.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < 500 && _outbound.Reader.TryRead(out var note))
            {
                batch.Add(JsonSerializer.Serialize(note, FeedNoteJson.Default.FeedNote));
            }

            try
            {
                await PostgresChannel.NotifyAsync(dataSource, ChannelName, batch, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogSendFailed(logger, ex, batch.Count);
                await PostgresChannel.PauseAfterFailureAsync(time, stoppingToken);
            }

            batch.Clear();
        }
    }

    /// <summary>Turns another replica's notes into events, read from the store as any page would read them.</summary>
    private async Task ReadBackAsync(CancellationToken stoppingToken)
    {
        await foreach (var note in _inbound.Reader.ReadAllAsync(stoppingToken))
        {
            var wanted = note.Kind == FeedNote.Finished ? feed.SubscriberCount > 0 : feed.HasEpisodeSubscriber(note.Episode);
            if (!wanted)
            {
                continue;
            }

            try
            {
                if (await episodes.GetTrajectoryAsync(note.Episode, stoppingToken) is { } trajectory && Event(note, trajectory) is { } feedEvent)
                {
                    feed.PublishFromReplica(feedEvent);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogReadBackFailed(logger, ex, note.Episode);
            }
        }
    }

    /// <summary>The event a note stands for, from the episode as the store discloses it now (null if the step is not there).</summary>
    internal static EpisodeFeedEvent? Event(FeedNote note, EpisodeTrajectory trajectory) => note.Kind switch
    {
        FeedNote.Started when trajectory.Steps is [var reset, ..] => new EpisodeStartedEvent(trajectory.Episode, reset),
        FeedNote.Step when trajectory.Steps.FirstOrDefault(s => s.StepIndex == note.Index) is { } step =>
            new StepAppendedEvent(step, trajectory.Episode.EndedAt is null ? [] : FiredFaultKinds.Split(FiredFaultKinds.FromDecisions(step.FaultsJson))),
        FeedNote.Finished when trajectory.Episode.EndedAt is not null => new EpisodeFinishedEvent(trajectory.Episode),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce {Count} episode events to the other replicas")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read back episode {EpisodeId} announced by another replica")]
    private static partial void LogReadBackFailed(ILogger logger, Exception exception, string episodeId);
}

/// <summary>What one replica tells the others: which episode changed and how (never its content).</summary>
/// <param name="Replica">Who recorded it (a replica ignores its own notes).</param>
/// <param name="Index">The step index of a <see cref="Step"/> note.</param>
internal sealed record FeedNote(
    [property: JsonPropertyName("r")] string Replica,
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("e")] string Episode,
    [property: JsonPropertyName("i")] int Index)
{
    public const string Started = "started";
    public const string Step = "step";
    public const string Finished = "finished";

    public static FeedNote Of(string replica, EpisodeFeedEvent feedEvent) => feedEvent switch
    {
        EpisodeStartedEvent started => new(replica, Started, started.EpisodeId, 0),
        StepAppendedEvent appended => new(replica, Step, appended.EpisodeId, appended.Step.StepIndex),
        _ => new(replica, Finished, feedEvent.EpisodeId, 0),
    };

    /// <summary>The note in <paramref name="payload"/>, or null for anything else on the channel.</summary>
    public static FeedNote? TryParse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, FeedNoteJson.Default.FeedNote) is { Replica.Length: > 0, Episode.Length: > 0, Kind: Started or Step or Finished } note ? note : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(FeedNote))]
internal sealed partial class FeedNoteJson : JsonSerializerContext;

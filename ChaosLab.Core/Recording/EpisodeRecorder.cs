using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Recording;

/// <summary>
/// Records episodes off the request path. Callers serialize their records and queue them
/// (<see cref="RecordingOptions.QueueCapacity"/>); one background writer drains the queue in
/// batches of up to <see cref="RecordingOptions.MaxBatchSize"/>, one transaction per batch, with
/// group commit: whatever queued while the previous batch committed forms the next one, and running
/// steps wait up to <see cref="RecordingOptions.CommitDelay"/> for company, so a lone client's
/// episode costs two commits (its start, then its steps with the final one) rather than one per step. On SQLite, checkpoints of the
/// write-ahead log run on their own connection (<see cref="WalCheckpointer"/>), never inside a commit.
/// A failed write is retried with exponential backoff, in order, while <see cref="Health"/>
/// reports degraded; a record that can never be stored (a constraint violation, e.g. a reused
/// episode id) is isolated, logged as an error and skipped so it cannot block the rest.
/// The final step of an episode waits until its batch committed, at most
/// <see cref="RecordingOptions.MaxWait"/>; past that it returns and the episode stays queued.
/// Stopping the host drains the queue within the host's shutdown timeout. Core has no hosting
/// dependency, so the host calls <see cref="StartAsync"/> and <see cref="StopAsync"/> from a
/// hosted service.
/// </summary>
public sealed partial class EpisodeRecorder : IEpisodeRecorder, IAsyncDisposable
{
    private readonly Channel<RecordingItem> _queue;
    private readonly ConcurrentDictionary<string, OpenEpisode> _open = new(StringComparer.Ordinal);
    private readonly RecordingStore _store;
    private readonly WalCheckpointer? _checkpointer;
    private readonly EpisodeFeed _feed;
    private readonly TimeProvider _timeProvider;
    private readonly RecordingOptions _options;
    private readonly ILogger _logger;
    private readonly ChaosLabMetrics? _metrics;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _healthLock = new();
    private RecorderHealth _health = RecorderHealth.Ok;
    private string? _failure;
    private long _dropped;
    private int _disposed;
    private bool _stopping;
    private TaskCompletionSource? _commitNow;
    private Task? _writer;

    /// <summary>Written with every episode this process records: a replica's episodes are ended by another only once it is gone.</summary>
    private readonly string? _replica;

    public EpisodeRecorder(
        StoreDatabase database,
        IOptions<RecordingOptions> options,
        EpisodeFeed feed,
        TimeProvider timeProvider,
        ILogger<EpisodeRecorder>? logger = null,
        ChaosLabMetrics? metrics = null,
        Replicas.ReplicaIdentity? replica = null)
    {
        _options = options.Value;
        _replica = replica?.Id;
        _feed = feed;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<EpisodeRecorder>.Instance;
        _metrics = metrics;
        ArgumentNullException.ThrowIfNull(database);
        _store = new RecordingStore(WriterConnection.For(database, _options), _options.BusyTimeout);
        // Only SQLite has a write-ahead log of ChaosLab's to checkpoint; a server engine runs its own.
        _checkpointer = database is SqliteStoreDatabase sqlite
            ? new WalCheckpointer(sqlite.DatabasePath, _options.CheckpointInterval, timeProvider, _logger)
            : null;
        _queue = Channel.CreateBounded<RecordingItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public RecorderHealth Health
    {
        get
        {
            lock (_healthLock)
            {
                return _health;
            }
        }
    }

    /// <summary>Raised (on the writer's task) whenever <see cref="Health"/> changes.</summary>
    public event EventHandler<RecorderHealth>? HealthChanged;

    /// <summary>Records that could not be queued (queue full while the store failed, or after shutdown).</summary>
    public long DroppedRecords => Interlocked.Read(ref _dropped);

    /// <summary>Records queued and not yet committed (excluding the batch being written).</summary>
    public int QueuedRecords => _queue.Reader.Count;

    public void EpisodeStarted(EpisodeStart start, StepResult reset)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(reset);
        var info = start.Episode;
        var episode = new EpisodeEntity
        {
            Id = info.EpisodeId,
            Suite = info.Suite,
            TaskId = info.TaskId,
            Tier = info.Tier,
            ScenarioId = info.ScenarioId,
            ScenarioVersion = info.ScenarioVersion,
            Seed = info.Seed,
            MaxSteps = info.MaxSteps,
            Agent = start.Agent,
            ClientKind = start.ClientKind,
            Mode = info.Mode.Name(),
            StartedAt = start.StartedAt,
            Prompt = info.Prompt,
            Replica = _replica,
        };
        var open = new OpenEpisode(episode);
        if (!_open.TryAdd(info.EpisodeId, open))
        {
            LogDuplicateStart(_logger, info.EpisodeId);
            return;
        }

        var firedKinds = open.Add(reset);
        var item = new EpisodeStartItem(episode, ToStep(info.EpisodeId, reset, TimeSpan.Zero), firedKinds, open.Summary());
        if (!TryEnqueue(item))
        {
            // Its steps would have no episode row to belong to.
            _open.TryRemove(info.EpisodeId, out _);
        }
    }

    public ValueTask StepRecordedAsync(string episodeId, StepResult result, TimeSpan wallTime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_open.TryGetValue(episodeId, out var open))
        {
            LogUnknownEpisode(_logger, episodeId, result.Record.Index);
            return ValueTask.CompletedTask;
        }

        var firedKinds = open.Add(result);
        var step = ToStep(episodeId, result, wallTime);
        if (!result.Done)
        {
            var item = new StepItem(step, firedKinds, Finish: null, Durable: null);
            return _queue.Writer.TryWrite(item) ? ValueTask.CompletedTask : EnqueueStepWhenFullAsync(item, cancellationToken);
        }

        _open.TryRemove(episodeId, out _);
        var grade = result.Grade;
        var endedAt = _timeProvider.GetUtcNow();
        var submission = result.Record.Submission;
        var finish = new EpisodeFinish(
            endedAt,
            grade?.Outcome,
            grade?.Score,
            grade?.Success,
            grade is null ? null : JsonSerializer.Serialize(grade, CoreJsonContext.Default.EpisodeGrade),
            result.Reward,
            submission,
            open.Summary(endedAt, grade?.Outcome, grade?.Score, grade?.Success, result.Reward, submission, abandonReason: null));
        return FinishAsync(new StepItem(step, firedKinds, finish, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)), cancellationToken);
    }

    public void EpisodeAbandoned(string episodeId, string reason)
    {
        if (!_open.TryRemove(episodeId, out var open))
        {
            LogAbandonUnknown(_logger, episodeId);
            return;
        }

        var endedAt = _timeProvider.GetUtcNow();
        TryEnqueue(new EpisodeAbandonItem(episodeId, endedAt, reason, open.Summary(endedAt, "abandoned", abandonReason: reason)));
    }

    /// <summary>Starts the background writer; records queued before it wait for it.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _checkpointer?.Start();
        _writer ??= Task.Run(() => RunWriterAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking records and waits until every queued one is stored, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        StopGathering();
        _queue.Writer.TryComplete();
        if (_writer is null)
        {
            return;
        }

        try
        {
            await _writer.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
            await _writer;
            // The writer reports the batch it held; only what it never took from the queue is left.
            if (_queue.Reader.Count is > 0 and var queued)
            {
                LogShutdownLost(_logger, queued);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        StopGathering();
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _abort.CancelAsync();
            await _writer;
        }

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }

        _store.Dispose();
        _abort.Dispose();
    }

    /// <summary>From now on the writer commits whatever it holds without waiting for more.</summary>
    private void StopGathering()
    {
        Volatile.Write(ref _stopping, true);
        CommitNow();
    }

    private async ValueTask EnqueueStepWhenFullAsync(StepItem item, CancellationToken cancellationToken) =>
        await EnqueueWhenFullAsync(item, cancellationToken);

    private async ValueTask FinishAsync(StepItem item, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(item) && !await EnqueueWhenFullAsync(item, cancellationToken))
        {
            return;
        }

        CommitNow();

        try
        {
            await item.Durable!.Task.WaitAsync(_options.MaxWait, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogNotYetDurable(_logger, item.EpisodeId, _options.MaxWait, Health.Reason ?? "the store is slow");
        }
    }

    /// <summary>
    /// Back-pressure: while the store is healthy the writer is draining, so wait (bounded) for
    /// room. While it is failing nothing drains; waiting would stall the environment for nothing.
    /// </summary>
    private async ValueTask<bool> EnqueueWhenFullAsync(StepItem item, CancellationToken cancellationToken)
    {
        if (!Health.Healthy)
        {
            return TryEnqueue(item);
        }

        using var timeout = new CancellationTokenSource(_options.MaxWait, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(item, linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Drop(item, "the queue stayed full");
            return false;
        }
        catch (ChannelClosedException)
        {
            Drop(item, "the recorder has stopped");
            return false;
        }
    }

    private bool TryEnqueue(RecordingItem item)
    {
        if (_queue.Writer.TryWrite(item))
        {
            return true;
        }

        Drop(item, _abort.IsCancellationRequested || _queue.Reader.Completion.IsCompleted ? "the recorder has stopped" : "the queue is full");
        return false;
    }

    private void Drop(RecordingItem item, string why)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        LogDropped(_logger, item.GetType().Name, item.EpisodeId, why, dropped);
        if (_failure is not null)
        {
            SetHealth(_failure);
        }
    }

    private async Task RunWriterAsync(CancellationToken abort)
    {
        var batch = new List<RecordingItem>(_options.MaxBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(abort))
            {
                if (!Drain(batch) && _options.CommitDelay > TimeSpan.Zero)
                {
                    await GatherAsync(batch, abort);
                }

                await WriteAsync(batch, abort);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            if (batch.Count > 0)
            {
                LogShutdownLost(_logger, batch.Count);
            }
        }
    }

    /// <summary>Moves queued records into <paramref name="batch"/>.</summary>
    /// <returns>
    /// True when the batch should be committed now: it is full, holds a final step (whose client
    /// waits) or an episode's start, or the recorder is stopping. A start is the largest record
    /// (the first observation lists every tool); stored while the episode runs, it is not part of
    /// the commit the final step waits for.
    /// </returns>
    private bool Drain(List<RecordingItem> batch)
    {
        var commitNow = Volatile.Read(ref _stopping);
        while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var item))
        {
            batch.Add(item);
            commitNow |= item is StepItem { Durable: not null } or EpisodeStartItem;
        }

        return commitNow || batch.Count >= _options.MaxBatchSize;
    }

    /// <summary>
    /// Group commit: running steps and abandons, which nobody waits for, wait up to
    /// <see cref="RecordingOptions.CommitDelay"/> for the records that follow them, so that one
    /// transaction carries many, instead of one commit per step. A final step ends the wait at once.
    /// </summary>
    private async Task GatherAsync(List<RecordingItem> batch, CancellationToken abort)
    {
        var commitNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _commitNow, commitNow);
        try
        {
            // Whatever was queued before the signal was in place is looked at here instead.
            if (Drain(batch))
            {
                return;
            }

            using var linger = CancellationTokenSource.CreateLinkedTokenSource(abort);
            await Task.WhenAny(commitNow.Task, Task.Delay(_options.CommitDelay, _timeProvider, linger.Token));
            await linger.CancelAsync();
            Drain(batch);
        }
        finally
        {
            Interlocked.Exchange(ref _commitNow, null);
        }
    }

    /// <summary>Ends the writer's group-commit wait, if it is waiting.</summary>
    private void CommitNow()
    {
        // Pairs with the exchange in GatherAsync: either the writer sees the record, or this sees its signal.
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _commitNow)?.TrySetResult();
    }

    private async Task WriteAsync(List<RecordingItem> batch, CancellationToken abort)
    {
        var next = 0;
        var failures = 0;
        // After a constraint violation the batch is written one record at a time, to find the
        // record that can never be stored without giving up the others.
        var isolating = false;
        while (next < batch.Count)
        {
            var count = isolating ? 1 : batch.Count - next;
            var started = _timeProvider.GetTimestamp();
            try
            {
                _store.Write(batch, next, count);
                _metrics?.StoreWritten(_timeProvider.GetElapsedTime(started), succeeded: true);
                _checkpointer?.Committed();
                Committed(batch, next, count);
                next += count;
                failures = 0;
                SetHealth(null);
            }
            catch (DbException ex) when (StoreErrors.IsConstraintViolation(ex))
            {
                if (count > 1)
                {
                    isolating = true;
                    continue;
                }

                LogRejected(_logger, ex, batch[next].GetType().Name, batch[next].EpisodeId);
                (batch[next] as StepItem)?.Durable?.TrySetException(new InvalidOperationException(
                    $"The final step of episode '{batch[next].EpisodeId}' was rejected by the store: {ex.Message}"));
                next++;
            }
#pragma warning disable CA1031 // Whatever the store throws, the records are kept and retried.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _metrics?.StoreWritten(_timeProvider.GetElapsedTime(started), succeeded: false);
                failures++;
                var delay = Backoff(failures);
                SetHealth($"Recording store unavailable, retrying ({failures} failed attempts, {batch.Count - next + _queue.Reader.Count} records waiting): {ex.Message}");
                LogWriteFailed(_logger, ex, failures, delay);
                await Task.Delay(delay, _timeProvider, abort);
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryInitialDelay.Ticks * factor, _options.RetryMaxDelay.Ticks));
        return delay < _options.RetryMaxDelay ? delay : _options.RetryMaxDelay;
    }

    private void Committed(List<RecordingItem> batch, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            switch (batch[i])
            {
                case EpisodeStartItem started:
                    _feed.Publish(new EpisodeStartedEvent(EpisodeDisclosure.Summary(started.Summary), EpisodeDisclosure.RunningStep(started.Reset)));
                    break;
                case StepItem step:
                    step.Durable?.TrySetResult();
                    _feed.Publish(step.Finish is null
                        ? new StepAppendedEvent(EpisodeDisclosure.RunningStep(step.Step), [])
                        : new StepAppendedEvent(step.Step, step.FiredFaultKinds));
                    if (step.Finish is { } finish)
                    {
                        _feed.Publish(new EpisodeFinishedEvent(finish.Summary));
                    }

                    break;
                case EpisodeAbandonItem abandoned:
                    _feed.Publish(new EpisodeFinishedEvent(abandoned.Summary));
                    break;
            }
        }
    }

    /// <param name="failure">Null when a write succeeded.</param>
    private void SetHealth(string? failure)
    {
        RecorderHealth health;
        lock (_healthLock)
        {
            var wasFailing = _failure is not null;
            _failure = failure;
            var dropped = DroppedRecords;
            health = failure is null
                ? RecorderHealth.Ok
                : new RecorderHealth(false, dropped > 0 ? $"{failure} ({dropped} records dropped)" : failure);
            if (health == _health)
            {
                return;
            }

            _health = health;
            if (wasFailing && failure is null)
            {
                LogRecovered(_logger);
            }
        }

        HealthChanged?.Invoke(this, health);
    }

    private static RecordedStep ToStep(string episodeId, StepResult result, TimeSpan wallTime)
    {
        var record = result.Record;
        return new RecordedStep
        {
            EpisodeId = episodeId,
            StepIndex = record.Index,
            ActionJson = record.Action?.ToJsonString(),
            ObservationJson = result.Observation.ToJsonString(),
            CleanResult = record.CleanResult,
            DeliveredResult = record.DeliveredResult,
            FaultsJson = JsonSerializer.Serialize(record.Faults, CoreJsonContext.Default.IReadOnlyListFaultDecision),
            RewardComponentsJson = JsonSerializer.Serialize(record.RewardComponents, CoreJsonContext.Default.IReadOnlyListRewardComponent),
            Reward = result.Reward,
            Done = result.Done,
            EpisodeTime = record.EpisodeTime,
            WallTimeUs = (long)wallTime.TotalMicroseconds,
            Error = record.Error,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Episode {EpisodeId} was started twice; the second start is not recorded")]
    private static partial void LogDuplicateStart(ILogger logger, string episodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Index} of episode {EpisodeId} is not recorded: the episode is not running (never started, already over, or its start was dropped)")]
    private static partial void LogUnknownEpisode(ILogger logger, string episodeId, int index);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Abandoning episode {EpisodeId} records nothing: it is not running")]
    private static partial void LogAbandonUnknown(ILogger logger, string episodeId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording dropped {RecordType} of episode {EpisodeId}: {Why} ({Dropped} records dropped so far)")]
    private static partial void LogDropped(ILogger logger, string recordType, string episodeId, string why, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing episodes failed (attempt {Failures}); retrying in {Delay}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writing episodes works again; recording is healthy")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store rejected {RecordType} of episode {EpisodeId}; it is skipped")]
    private static partial void LogRejected(ILogger logger, Exception exception, string recordType, string episodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Episode {EpisodeId} is not durable after {MaxWait}; replying anyway, it stays queued for retry ({Reason})")]
    private static partial void LogNotYetDurable(ILogger logger, string episodeId, TimeSpan maxWait, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown timed out with {Count} episode records not stored")]
    private static partial void LogShutdownLost(ILogger logger, int count);

    /// <summary>What the recorder knows of a running episode, to summarise it without reading the store.</summary>
    private sealed class OpenEpisode(EpisodeEntity episode)
    {
        private readonly Lock _lock = new();
        private readonly SortedSet<string> _faultKinds = new(StringComparer.Ordinal);
        private int _stepCount;

        /// <returns>The fault kinds that fired in this step, without repeats.</returns>
        public string[] Add(StepResult result)
        {
            var fired = result.Record.Faults.Where(f => f.Fired).Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToArray();
            lock (_lock)
            {
                _stepCount = Math.Max(_stepCount, result.Record.Index);
                _faultKinds.UnionWith(fired);
            }

            return fired;
        }

        /// <summary>The episode as it stands; the end fields are null while it runs.</summary>
        public EpisodeSummary Summary(
            DateTimeOffset? endedAt = null,
            string? outcome = null,
            double? score = null,
            bool? success = null,
            double? finalReward = null,
            string? submission = null,
            string? abandonReason = null)
        {
            lock (_lock)
            {
                return new EpisodeSummary(
                    episode.Id, episode.Suite, episode.TaskId, episode.Tier, episode.ScenarioId, episode.ScenarioVersion,
                    episode.Seed, episode.Agent, episode.ClientKind, episode.Mode, episode.StartedAt, endedAt, outcome, score, success, finalReward,
                    _stepCount, episode.MaxSteps, episode.Prompt, submission, abandonReason, [.. _faultKinds]);
            }
        }
    }
}

using System.Data.Common;
using System.Text.Json.Nodes;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Core.Recording;

/// <summary>
/// The recorder against a real store (SQLite in a temp directory, or a PostgreSQL database), with a
/// manual clock for retries and waits. Outages of a SQLite file (moved away) have a PostgreSQL twin
/// (the database refuses connections).
/// </summary>
public sealed class EpisodeRecorderTests : IAsyncLifetime
{
    private static readonly RecordingOptions Options = new()
    {
        MaxWait = TimeSpan.FromSeconds(10),
        RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromSeconds(1),

        // The manual clock would hold group commits and checkpoints until a test advances it;
        // the tests of those set their own.
        CommitDelay = TimeSpan.Zero,
        CheckpointInterval = TimeSpan.FromHours(1),
    };

    private readonly ManualTimeProvider _clock = new(Epoch);
    private readonly EpisodeFeed _feed = new();
    private TestStore? _store;
    private EpisodeRecorder? _recorder;

    private TestStore Store => _store ?? throw new InvalidOperationException("Call StartAsync first.");

    private EpisodeRecorder Recorder => _recorder ?? throw new InvalidOperationException("Call StartAsync first.");

    private string DataDirectory => Store.DataDirectory;

    private string DatabasePath => Path.Combine(DataDirectory, "chaoslab.db");

    /// <summary>Steps in the order they were inserted: SQLite's rowid, PostgreSQL's row position (the table only grows here).</summary>
    private string InsertionOrder => Store.Provider == StoreProvider.Postgres ? "ctid" : "rowid";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_recorder is not null)
        {
            await _recorder.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>A migrated store on <paramref name="provider"/> and a started recorder on it.</summary>
    private async Task StartAsync(StoreProvider provider)
    {
        _store = await TestStore.CreateAsync(provider);
        _recorder = CreateRecorder(Options);
        await Recorder.StartAsync(CancellationToken.None);
    }

    [StoreTheory]
    public async Task StepRecordedAsync_InterleavedEpisodes_StoresEveryStepInOrder(StoreProvider provider)
    {
        await StartAsync(provider);
        var ids = Enumerable.Range(0, 20).Select(i => $"ep-{i:D2}").ToArray();
        foreach (var id in ids)
        {
            Recorder.EpisodeStarted(Start(Info(id)), Reset());
        }

        // Many records queue up before the writer drains them, so they are written in batches.
        for (var step = 1; step <= 30; step++)
        {
            foreach (var id in ids)
            {
                await Recorder.StepRecordedAsync(id, Step(step, firedFaults: step % 10 == 0 ? ["rate_limit"] : []), TimeSpan.FromMicroseconds(step));
            }
        }

        await Task.WhenAll(ids.Select(id => Recorder.StepRecordedAsync(id, Final(31, "12.5 billion"), TimeSpan.Zero).AsTask()));

        foreach (var id in ids)
        {
            var indexes = await QueryAsync($"SELECT step_index FROM steps WHERE episode_id = '{id}' ORDER BY {InsertionOrder}", r => r.GetInt32(0));
            Assert.Equal(Enumerable.Range(0, 32), indexes);
        }

        Assert.Equal(31L * ids.Length, await ScalarAsync<long>("SELECT SUM(step_count) FROM episodes"));
        Assert.Equal(ids.Length, await ScalarAsync<long>("SELECT COUNT(*) FROM episode_faults WHERE kind = 'rate_limit'"));
        Assert.True(Recorder.Health.Healthy);
    }

    [StoreTheory]
    public async Task StepRecordedAsync_FinalStep_CompletesOnlyOnceTheEpisodeIsReadableFromAFreshConnection(StoreProvider provider)
    {
        await StartAsync(provider);
        Recorder.EpisodeStarted(Start(Info("ep-final")), Reset());
        for (var i = 1; i <= 5; i++)
        {
            await Recorder.StepRecordedAsync("ep-final", Step(i), TimeSpan.Zero);
        }

        await Recorder.StepRecordedAsync("ep-final", Final(6, "12.5 billion"), TimeSpan.Zero);

        await using var fresh = FreshConnection();
        await fresh.OpenAsync();
        await using var command = fresh.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM steps WHERE episode_id = 'ep-final') || '|' || outcome || '|' || step_count FROM episodes WHERE id = 'ep-final'";
        Assert.Equal("7|correct|6", await command.ExecuteScalarAsync());
    }

    [StoreTheory]
    public async Task StepRecordedAsync_WholeEpisode_StoresEveryColumnOfTheReplay(StoreProvider provider)
    {
        await StartAsync(provider);
        var info = Info("ep-cols", suite: "mast", task: "diagnose", tier: "hard", scenario: "M03", seed: 99, maxSteps: 12, prompt: "How many orders shipped?");
        Recorder.EpisodeStarted(Start(info, agent: "resilient", client: "http", startedAt: Epoch.AddMinutes(5)), Reset("How many orders shipped?"));
        await Recorder.StepRecordedAsync("ep-cols", Step(1, 0.25, "rate_limit", "truncate"), TimeSpan.FromMilliseconds(1.5));
        await Recorder.StepRecordedAsync("ep-cols", Step(2, 0.5, "rate_limit"), TimeSpan.FromMilliseconds(2));
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Recorder.StepRecordedAsync("ep-cols", Final(3, new JsonObject { ["orders"] = 42, ["unit"] = "orders" }, 0.75, "partial"), TimeSpan.Zero);

        var trajectory = await ReadTrajectoryAsync("ep-cols");

        var episode = trajectory.Episode;
        Assert.Equivalent(
            new EpisodeSummary("ep-cols", "mast", "diagnose", "hard", "M03", 3, 99, "resilient", "http", "sealed", Epoch.AddMinutes(5), Epoch.AddSeconds(30),
                "partial", 0.75, false, 0.75, 3, 12, "How many orders shipped?", """{"orders":42,"unit":"orders"}""", null, ["rate_limit", "truncate"]),
            episode,
            strict: true);
        var grade = JsonNode.Parse(trajectory.GradeJson!)!;
        Assert.Equal("partial", (string?)grade["outcome"]);
        Assert.Equal("12.5 billion USD", (string?)grade["answer_key"]!["revenue"]);
        Assert.Equal("revenue", (string?)grade["criteria"]![0]!["name"]);

        Assert.Equal([0, 1, 2, 3], trajectory.Steps.Select(s => s.StepIndex));
        var step = trajectory.Steps[1];
        Assert.Equal("""{"type":"call_tool","tool":"search","arguments":{"q":"query 1"}}""", step.ActionJson);
        Assert.Equal("""{"result":"result 1"}""", step.ObservationJson);
        Assert.Equal("clean 1", step.CleanResult);
        Assert.Equal("faulty 1", step.DeliveredResult);
        Assert.Equal("HTTP 503", step.Error);
        Assert.Equal(0.25, step.Reward);
        Assert.False(step.Done);
        Assert.Equal(Epoch.AddSeconds(1), step.EpisodeTime);
        Assert.Equal(1500, step.WallTimeUs);
        var faults = JsonNode.Parse(step.FaultsJson)!.AsArray();
        Assert.Equal(["rate_limit", "truncate", "timeout"], faults.Select(f => (string?)f!["kind"]));
        Assert.Equal(0.95, (double?)faults[2]!["inputs"]!["roll"]);
        Assert.Equal("2", (string?)faults[0]!["parameters"]!["retry_after_steps"]);
        Assert.Equal("""[{"name":"progress","value":0.25,"reason":"found a relevant document"}]""", step.RewardComponentsJson);
        Assert.Null(trajectory.Steps[0].ActionJson);
        Assert.True(trajectory.Steps[3].Done);
    }

    [StoreTheory]
    public async Task EpisodeAbandoned_RunningEpisode_StoredAsAbandonedWithReasonAndLaterStepsIgnored(StoreProvider provider)
    {
        await StartAsync(provider);
        var finished = new TaskCompletionSource<EpisodeSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _feed.Subscribe(e =>
        {
            if (e is EpisodeFinishedEvent end)
            {
                finished.TrySetResult(end.Episode);
            }

            return Task.CompletedTask;
        });
        Recorder.EpisodeStarted(Start(Info("ep-gone")), Reset());
        await Recorder.StepRecordedAsync("ep-gone", Step(1, firedFaults: "stale"), TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromMinutes(2));

        Recorder.EpisodeAbandoned("ep-gone", "client disconnected");
        await Recorder.StepRecordedAsync("ep-gone", Step(2), TimeSpan.Zero);

        var summary = await finished.Task;
        Assert.Equal(("abandoned", "client disconnected", Epoch.AddMinutes(2), 1),
            (summary.Outcome, summary.AbandonReason, summary.EndedAt!.Value, summary.StepCount));
        Assert.Equal(["stale"], summary.FaultKinds);
        var stored = await ReadTrajectoryAsync("ep-gone");
        Assert.Equivalent(summary, stored.Episode, strict: true);
        Assert.Equal(2, stored.Steps.Count);
        Assert.Null(stored.GradeJson);
    }

    [Fact]
    public async Task Write_DatabaseDirectoryGone_DegradedUntilRestoredThenEverythingStoredInOrder()
    {
        await StartAsync(StoreProvider.Sqlite);
        var moved = DataDirectory + "-away";
        var degraded = WhenHealth(h => !h.Healthy);
        var backoff = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(100));
        Directory.Move(DataDirectory, moved);

        Recorder.EpisodeStarted(Start(Info("ep-outage")), Reset());
        for (var i = 1; i <= 3; i++)
        {
            // The environment keeps serving: non-final steps return at once during the outage.
            var step = Recorder.StepRecordedAsync("ep-outage", Step(i), TimeSpan.Zero);
            Assert.True(step.IsCompletedSuccessfully);
        }

        var final = Recorder.StepRecordedAsync("ep-outage", Final(4, "12.5 billion"), TimeSpan.Zero).AsTask();

        var health = await degraded;
        Assert.Contains("chaoslab.db", health.Reason, StringComparison.Ordinal);
        Assert.Contains("retrying", health.Reason, StringComparison.Ordinal);
        await backoff;
        Assert.False(final.IsCompleted);

        // Still failing: the next attempt backs off longer.
        var longerBackoff = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(200));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await longerBackoff;
        Assert.False(Recorder.Health.Healthy);

        var healthy = WhenHealth(h => h.Healthy);
        Directory.Move(moved, DataDirectory);
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        await healthy;
        await final;
        Assert.Equal(RecorderHealth.Ok, Recorder.Health);
        var stored = await ReadTrajectoryAsync("ep-outage");
        Assert.Equal([0, 1, 2, 3, 4], stored.Steps.Select(s => s.StepIndex));
        Assert.Equal("correct", stored.Episode.Outcome);
        Assert.Equal(0, Recorder.DroppedRecords);
    }

    [Fact]
    public async Task StepRecordedAsync_FinalStepWhileStoreFails_CompletesAfterMaxWaitAndEpisodeStoredOnRecovery()
    {
        await StartAsync(StoreProvider.Sqlite);
        var moved = DataDirectory + "-away";
        var degraded = WhenHealth(h => !h.Healthy);
        var backoff = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(100));
        var finalWait = _clock.NextTimerAsync(Options.MaxWait);
        Directory.Move(DataDirectory, moved);
        Recorder.EpisodeStarted(Start(Info("ep-late")), Reset());

        var final = Recorder.StepRecordedAsync("ep-late", Final(1, "12.5 billion"), TimeSpan.Zero).AsTask();
        await degraded;
        await backoff;
        await finalWait;
        Assert.False(final.IsCompleted);

        // The bound: the client gets its reply after MaxWait although nothing is stored yet.
        var retry = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(200));
        _clock.Advance(Options.MaxWait);
        await final;
        await retry;
        Assert.Equal(0L, await CountEpisodesAsync(moved));

        var healthy = WhenHealth(h => h.Healthy);
        Directory.Move(moved, DataDirectory);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await healthy;
        var stored = await ReadTrajectoryAsync("ep-late");
        Assert.Equal("correct", stored.Episode.Outcome);
    }

    [PostgresFact]
    public async Task Write_PostgresRefusesConnections_DegradedUntilItAcceptsThemThenEverythingStoredInOrder()
    {
        await StartAsync(StoreProvider.Postgres);
        await StartCommittedAsync("ep-outage");
        var degraded = WhenHealth(h => !h.Healthy);
        var backoff = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(100));
        await AcceptConnectionsAsync(false);

        for (var i = 1; i <= 3; i++)
        {
            var step = Recorder.StepRecordedAsync("ep-outage", Step(i), TimeSpan.Zero);
            Assert.True(step.IsCompletedSuccessfully);
        }

        var final = Recorder.StepRecordedAsync("ep-outage", Final(4, "12.5 billion"), TimeSpan.Zero).AsTask();
        Assert.Contains("retrying", (await degraded).Reason, StringComparison.Ordinal);
        await backoff;

        // Still refused: connecting again fails and backs off longer.
        var longerBackoff = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(200));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await longerBackoff;
        Assert.False(final.IsCompleted);

        var healthy = WhenHealth(h => h.Healthy);
        await AcceptConnectionsAsync(true);
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        await healthy;
        await final;
        var stored = await ReadTrajectoryAsync("ep-outage");
        Assert.Equal([0, 1, 2, 3, 4], stored.Steps.Select(s => s.StepIndex));
        Assert.Equal("correct", stored.Episode.Outcome);
        Assert.Equal(0, Recorder.DroppedRecords);
    }

    [StoreTheory]
    public async Task Write_EpisodeIdAlreadyStored_RejectsThatEpisodeAndStoresTheRestOfTheBatch(StoreProvider provider)
    {
        await StartAsync(provider);
        await RecordEpisodeAsync(Recorder, Start(Info("ep-dup")), steps: 1);

        // A second recorder (e.g. another process run) reuses the id; the store refuses it.
        await Recorder.StopAsync(CancellationToken.None);
        await _recorder!.DisposeAsync();
        _recorder = CreateRecorder(Options);
        Recorder.EpisodeStarted(Start(Info("ep-dup"), agent: "impostor"), Reset());
        Recorder.EpisodeStarted(Start(Info("ep-ok")), Reset());
        var rejected = Recorder.StepRecordedAsync("ep-dup", Final(1, "x"), TimeSpan.Zero).AsTask();
        var accepted = Recorder.StepRecordedAsync("ep-ok", Final(1, "12.5 billion"), TimeSpan.Zero).AsTask();
        await Recorder.StartAsync(CancellationToken.None);

        await accepted;
        await Assert.ThrowsAsync<InvalidOperationException>(() => rejected);
        Assert.Equal("naive", (await ReadTrajectoryAsync("ep-dup")).Episode.Agent);
        Assert.Equal("correct", (await ReadTrajectoryAsync("ep-ok")).Episode.Outcome);
        Assert.True(Recorder.Health.Healthy);
    }

    [StoreTheory]
    public async Task StopAsync_RecordsQueuedBeforeTheWriterRan_FlushesEveryOne(StoreProvider provider)
    {
        await StartAsync(provider);
        await _recorder!.DisposeAsync();
        _recorder = CreateRecorder(Options);
        for (var e = 0; e < 50; e++)
        {
            var id = $"ep-{e}";
            Recorder.EpisodeStarted(Start(Info(id)), Reset());
            for (var i = 1; i <= 10; i++)
            {
                await Recorder.StepRecordedAsync(id, Step(i), TimeSpan.Zero);
            }

            if (e % 2 == 0)
            {
                Recorder.EpisodeAbandoned(id, "server shutting down");
            }
        }

        Assert.Equal(50 * 11 + 25, Recorder.QueuedRecords);
        await Recorder.StartAsync(CancellationToken.None);
        await Recorder.StopAsync(CancellationToken.None);

        Assert.Equal(0, Recorder.QueuedRecords);
        Assert.Equal(550L, await ScalarAsync<long>("SELECT COUNT(*) FROM steps"));
        Assert.Equal(25L, await ScalarAsync<long>("SELECT COUNT(*) FROM episodes WHERE outcome = 'abandoned'"));
    }

    [Fact]
    public async Task StopAsync_DeadlinePassedWhileTheWriterRetries_ReportsTheLostRecordsOnce()
    {
        await StartAsync(StoreProvider.Sqlite);
        var log = new ErrorLog();
        await _recorder!.DisposeAsync();
        _recorder = CreateRecorder(Options, log);
        await Recorder.StartAsync(CancellationToken.None);
        var degraded = WhenHealth(h => !h.Healthy);
        var backoff = _clock.NextTimerAsync(TimeSpan.FromMilliseconds(100));
        Directory.Move(DataDirectory, DataDirectory + "-away");
        Recorder.EpisodeStarted(Start(Info("ep-lost")), Reset());
        await degraded;
        await backoff;

        // The host's shutdown deadline has passed: the record the writer holds is given up, and
        // nothing is left in the queue, so exactly one loss is reported, by the writer.
        await Recorder.StopAsync(new CancellationToken(canceled: true));

        Assert.Equal(["Shutdown timed out with 1 episode records not stored"], log.Errors);
        Directory.Move(DataDirectory + "-away", DataDirectory);
    }

    [StoreTheory]
    public async Task StepRecordedAsync_UnknownEpisode_IgnoredWithoutWriting(StoreProvider provider)
    {
        await StartAsync(provider);
        await Recorder.StepRecordedAsync("never-started", Final(1, "x"), TimeSpan.Zero);
        Recorder.EpisodeAbandoned("never-started", "reaped");
        await RecordEpisodeAsync(Recorder, Start(Info("ep-real")), steps: 1);

        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM steps WHERE episode_id = 'never-started'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM episodes"));
    }

    [Fact]
    public async Task StepRecordedAsync_QueueFullWhileStoreFails_DropsWithCountInsteadOfBlocking()
    {
        await StartAsync(StoreProvider.Sqlite);
        await _recorder!.DisposeAsync();
        _recorder = CreateRecorder(new RecordingOptions { QueueCapacity = 4, MaxBatchSize = 2, RetryInitialDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(1), CommitDelay = TimeSpan.Zero });
        Directory.Move(DataDirectory, DataDirectory + "-away");
        var degraded = WhenHealth(h => !h.Healthy);
        await Recorder.StartAsync(CancellationToken.None);
        Recorder.EpisodeStarted(Start(Info("ep-full")), Reset());
        await Recorder.StepRecordedAsync("ep-full", Step(1), TimeSpan.Zero);
        await degraded;

        for (var i = 2; i <= 10; i++)
        {
            await Recorder.StepRecordedAsync("ep-full", Step(i), TimeSpan.Zero);
        }

        Assert.True(Recorder.DroppedRecords > 0);
        Assert.Contains("records dropped", Recorder.Health.Reason, StringComparison.Ordinal);
        Directory.Move(DataDirectory + "-away", DataDirectory);
    }

    [StoreTheory]
    public async Task StepRecordedAsync_CommitDelay_StartStoredAtOnceRunningStepsWaitForTheFinalStep(StoreProvider provider)
    {
        await StartAsync(provider);
        await Recorder.DisposeAsync();
        var delay = TimeSpan.FromMilliseconds(5);
        _recorder = CreateRecorder(Timed(commitDelay: delay));
        var gathering = _clock.NextTimerAsync(delay);
        await Recorder.StartAsync(CancellationToken.None);
        await StartCommittedAsync("ep-group");
        for (var i = 1; i <= 3; i++)
        {
            await Recorder.StepRecordedAsync("ep-group", Step(i), TimeSpan.Zero);
        }

        await gathering;
        Assert.Equal([0], await QueryAsync("SELECT step_index FROM steps WHERE episode_id = 'ep-group'", r => r.GetInt32(0)));

        // The clock stands still: only the final step, whose client waits, ends the wait.
        await Recorder.StepRecordedAsync("ep-group", Final(4, "12.5 billion"), TimeSpan.Zero);

        Assert.Equal([0, 1, 2, 3, 4], await QueryAsync($"SELECT step_index FROM steps WHERE episode_id = 'ep-group' ORDER BY {InsertionOrder}", r => r.GetInt32(0)));
    }

    [StoreTheory]
    public async Task StepRecordedAsync_CommitDelayPassed_RunningStepsCommittedWithoutAFinalStep(StoreProvider provider)
    {
        await StartAsync(provider);
        await Recorder.DisposeAsync();
        var delay = TimeSpan.FromMilliseconds(5);
        _recorder = CreateRecorder(Timed(commitDelay: delay));
        var appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _feed.Subscribe(e =>
        {
            if (e is StepAppendedEvent { Step.StepIndex: 2 })
            {
                appended.TrySetResult();
            }

            return Task.CompletedTask;
        });
        var gathering = _clock.NextTimerAsync(delay);
        await Recorder.StartAsync(CancellationToken.None);
        await StartCommittedAsync("ep-linger");
        await Recorder.StepRecordedAsync("ep-linger", Step(1), TimeSpan.Zero);
        await Recorder.StepRecordedAsync("ep-linger", Step(2), TimeSpan.Zero);
        await gathering;

        _clock.Advance(delay);

        await appended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3L, await ScalarAsync<long>("SELECT COUNT(*) FROM steps WHERE episode_id = 'ep-linger'"));
    }

    [Fact]
    public async Task StepRecordedAsync_ManyCommits_LogCheckpointedOnlyByTheCheckpointerAfterItsInterval()
    {
        await StartAsync(StoreProvider.Sqlite);
        await Recorder.DisposeAsync();
        var interval = TimeSpan.FromSeconds(2);
        _recorder = CreateRecorder(Timed(checkpointInterval: interval));
        var checkpointDue = _clock.NextTimerAsync(interval);

        // The migration's pooled connection closes as the last one, which checkpoints the schema.
        SqliteConnection.ClearAllPools();
        var databaseBytes = new FileInfo(DatabasePath).Length;
        await Recorder.StartAsync(CancellationToken.None);

        // Well past SQLite's automatic checkpoint (1,000 pages of log), which would run inside a commit.
        var bulky = string.Concat(Enumerable.Range(0, 1_200).Select(_ => Guid.NewGuid().ToString("N")));
        for (var i = 0; i < 200; i++)
        {
            var id = $"ep-bulk-{i:D3}";
            Recorder.EpisodeStarted(Start(Info(id, prompt: bulky + i)), Reset());
            await Recorder.StepRecordedAsync(id, Final(1, "12.5 billion"), TimeSpan.Zero);
        }

        await checkpointDue;
        Assert.True(new FileInfo(DatabasePath + "-wal").Length > 1000 * 4096);
        Assert.Equal(databaseBytes, new FileInfo(DatabasePath).Length);

        _clock.Advance(interval);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new FileInfo(DatabasePath).Length == databaseBytes && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(new FileInfo(DatabasePath).Length > databaseBytes + 1000 * 4096);
    }

    /// <summary>Starts an episode and waits until its start is committed (a start is never held back).</summary>
    private async Task StartCommittedAsync(string id)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _feed.Subscribe(e =>
        {
            if (e is EpisodeStartedEvent)
            {
                started.TrySetResult();
            }

            return Task.CompletedTask;
        }, episodeId: id);
        Recorder.EpisodeStarted(Start(Info(id)), Reset());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static RecordingOptions Timed(TimeSpan? commitDelay = null, TimeSpan? checkpointInterval = null) => new()
    {
        MaxWait = Options.MaxWait,
        RetryInitialDelay = Options.RetryInitialDelay,
        RetryMaxDelay = Options.RetryMaxDelay,
        CommitDelay = commitDelay ?? Options.CommitDelay,
        CheckpointInterval = checkpointInterval ?? Options.CheckpointInterval,
    };

    private EpisodeRecorder CreateRecorder(RecordingOptions options, ILogger<EpisodeRecorder>? logger = null) => new(
        Store.Database,
        Microsoft.Extensions.Options.Options.Create(options),
        _feed,
        _clock,
        logger);

    /// <summary>The recorder's error messages, as formatted.</summary>
    private sealed class ErrorLog : ILogger<EpisodeRecorder>
    {
        private readonly List<string> _errors = [];

        public IReadOnlyList<string> Errors
        {
            get
            {
                lock (_errors)
                {
                    return [.. _errors];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                lock (_errors)
                {
                    _errors.Add(formatter(state, exception));
                }
            }
        }
    }

    private Task<RecorderHealth> WhenHealth(Func<RecorderHealth, bool> condition)
    {
        var reached = new TaskCompletionSource<RecorderHealth>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = Recorder;
        void OnChanged(object? sender, RecorderHealth health)
        {
            if (condition(health))
            {
                recorder.HealthChanged -= OnChanged;
                reached.TrySetResult(health);
            }
        }

        recorder.HealthChanged += OnChanged;
        return reached.Task;
    }

    private async Task<EpisodeTrajectory> ReadTrajectoryAsync(string id)
    {
        var trajectory = await Store.Get<EpisodeStore>().GetTrajectoryAsync(id);
        Assert.NotNull(trajectory);
        return trajectory;
    }

    /// <summary>
    /// PostgreSQL's outage: the test database stops accepting connections and the open ones are
    /// ended (as a server restart or failover does), or it accepts them again.
    /// </summary>
    private async Task AcceptConnectionsAsync(bool accept)
    {
        var target = new NpgsqlConnectionStringBuilder(Store.ConnectionString);
        var database = target.Database!;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Store.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = accept
            ? $"ALTER DATABASE {database} ALLOW_CONNECTIONS true"
            : $"ALTER DATABASE {database} ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'";
        await command.ExecuteNonQueryAsync();
        if (!accept)
        {
            // The pool's idle connections are ended too; without this the writer could draw one and fail once more.
            ((PostgresStoreDatabase)Store.Database).DataSource.Clear();
        }
    }

    private static async Task<long> CountEpisodesAsync(string directory)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "chaoslab.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM episodes";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<T> ScalarAsync<T>(string sql) => SingleAsync(sql, r => r.GetFieldValue<T>(0));

    private async Task<T> SingleAsync<T>(string sql, Func<DbDataReader, T> read) => (await QueryAsync(sql, read)).Single();

    /// <summary>A connection of its own, outside every pool: it sees only what was committed.</summary>
    private DbConnection FreshConnection() => Store.Provider == StoreProvider.Postgres
        ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Store.ConnectionString) { Pooling = false }.ConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read)
    {
        await using var connection = FreshConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

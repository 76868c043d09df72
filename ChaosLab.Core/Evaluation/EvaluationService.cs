using ChaosLab.Core.Agents;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Replicas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Plays evaluation runs with every replica sharing the store: a worker in this process claims
/// items (plan order, at most a run's concurrency leased over all replicas, at most
/// <see cref="EvaluationOptions.MaxConcurrency"/> here at once) under a lease it renews while it
/// plays, each a sealed episode through <see cref="IEvaluationEpisodes"/>. Every item move goes
/// through the <see cref="RunStore"/>'s guarded updates, so a result is recorded once whatever
/// stops a replica; a dead replica's items are taken over once their leases expire, and the
/// run completes when whichever replica finishes its last item.
/// </summary>
public sealed partial class EvaluationService(
    RunStore runs,
    AgentTraceStore traces,
    SuiteCatalog catalog,
    IEvaluationEpisodes episodes,
    EvaluationAgentFactory agents,
    RunOutputWriter outputs,
    TrajectoryExporter exporter,
    IOptions<EvaluationOptions> options,
    IOptions<ChaosLabOptions> serverOptions,
    ReplicaIdentity replica,
    TimeProvider timeProvider,
    ILogger<EvaluationService> logger) : IEvaluationRuns, IAsyncDisposable
{
    public const string OriginCli = "cli";
    public const string OriginWeb = "web";
    public const string OriginApi = "api";

    /// <summary>The variants of an ablation, in the order they are created and tabled.</summary>
    public static IReadOnlyList<string> AblationVariants { get; } = ["all", "none", "-h2", "-h3", "-h4", "-h5"];

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, JoinedRun> _joined = new(StringComparer.Ordinal);
    private readonly Dictionary<ItemHold, PlayingItem> _playing = [];
    private readonly Dictionary<string, RunPlayer> _players = new(StringComparer.Ordinal);
    private readonly HashSet<string> _endedHere = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrency);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _worker;
    private volatile bool _serving;
    private bool _stopped;
    private int _claiming;
    private readonly Lock _subscribersLock = new();
    private ImmutableSubscribers _subscribers = new([]);

    public async Task<EnvironmentResult<RunSummary>> CreateAsync(Assignment assignment, string origin, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(assignment, origin);
        if (!prepared.Succeeded)
        {
            return EnvironmentResult<RunSummary>.Invalid(prepared.Errors);
        }

        var run = await runs.CreateAsync(prepared.Value!.Run(origin), prepared.Value.Plan.Items, cancellationToken);
        return EnvironmentResult<RunSummary>.Success(run);
    }

    public async Task<EnvironmentResult<IReadOnlyList<RunSummary>>> CreateAblationAsync(Assignment assignment, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (assignment.Agent.Reference is { } reference)
        {
            return EnvironmentResult<IReadOnlyList<RunSummary>>.Invalid(new ValidationError("agent",
                $"The reference agent '{reference}' plays without a harness, so it has no layers to ablate; ablate a model profile."));
        }

        var variants = AblationVariants.Select(v => (Variant: v, Assignment: assignment with
        {
            Harness = Variant(v, assignment.Harness.H5TopK),
            Output = assignment.Output is { } output ? Path.Combine(output, VariantFolder(v)) : null,
        })).ToList();
        var prepared = variants.Select(v => (v.Variant, Prepared: Prepare(v.Assignment, origin))).ToList();
        if (prepared.Select(p => p.Prepared).Where(p => !p.Succeeded).Select(p => p.Errors).FirstOrDefault() is { } errors)
        {
            return EnvironmentResult<IReadOnlyList<RunSummary>>.Invalid(errors);
        }

        var ablationId = Guid.NewGuid().ToString("N");
        var created = new List<RunSummary>();
        foreach (var (variant, result) in prepared)
        {
            created.Add(await runs.CreateAsync(result.Value!.Run(origin) with { AblationId = ablationId, Variant = variant }, result.Value.Plan.Items, cancellationToken));
        }

        return EnvironmentResult<IReadOnlyList<RunSummary>>.Success(created);
    }

    /// <summary>The harness switches of an ablation variant.</summary>
    public static HarnessOptions Variant(string variant, int topK = HarnessOptions.DefaultTopK) => variant switch
    {
        "all" => HarnessOptions.All with { H5TopK = topK },
        "none" => HarnessOptions.None with { H5TopK = topK },
        "-h2" => (HarnessOptions.All with { H5TopK = topK }).Without(HarnessLayer.H2),
        "-h3" => (HarnessOptions.All with { H5TopK = topK }).Without(HarnessLayer.H3),
        "-h4" => (HarnessOptions.All with { H5TopK = topK }).Without(HarnessLayer.H4),
        "-h5" => (HarnessOptions.All with { H5TopK = topK }).Without(HarnessLayer.H5),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Not an ablation variant."),
    };

    /// <summary>The folder of a variant's output files under the ablation's output directory.</summary>
    public static string VariantFolder(string variant) => variant.StartsWith('-') ? "without" + variant : variant;

    public bool Start(string runId) => Join(runId, progress: null, transcript: null, CancellationToken.None) is not null;

    public Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(runId, progress, transcript: null, cancellationToken);

    /// <summary>Plays a stored run to its end in the caller's time, writing each finished episode's openenv block to <paramref name="transcript"/>.</summary>
    /// <exception cref="InvalidOperationException">The run is already playing in this process.</exception>
    public async Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, OpenEnvTranscript? transcript, CancellationToken cancellationToken)
    {
        var joined = Join(runId, progress, transcript, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} is already playing in this process.");
        await joined.Completion;
        return await runs.FindAsync(runId, CancellationToken.None) ?? throw new InvalidOperationException($"Unknown run {runId}.");
    }

    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!await runs.EndAsync(runId, RunStatus.Cancelled, cancellationToken: cancellationToken))
        {
            return false;
        }

        await EndedHereAsync(runId);
        return true;
    }

    public bool IsActive(string runId)
    {
        lock (_lock)
        {
            return _joined.ContainsKey(runId) || _playing.Values.Any(p => p.Hold.RunId == runId);
        }
    }

    public IDisposable Subscribe(Action<RunProgress> onProgress)
    {
        ArgumentNullException.ThrowIfNull(onProgress);
        lock (_subscribersLock)
        {
            _subscribers = _subscribers.With(onProgress);
        }

        return new Subscription(this, onProgress);
    }

    /// <summary>
    /// From now on this process also claims the items of every running run started on a server
    /// (dashboard, <c>/api/runs</c>), whichever replica started it: what a server does for its
    /// whole life. A command line plays only the runs it is given.
    /// </summary>
    public void Serve()
    {
        _serving = true;
        EnsureWorker();
        Wake();
    }

    /// <summary>
    /// The process is stopping: the items it plays go back to pending at once (any replica may
    /// take them), runs stay running in the store, and every run waited for here returns as it is.
    /// </summary>
    public async ValueTask DisposeAsync() => await StopAllAsync();

    /// <inheritdoc cref="DisposeAsync"/>
    public async Task StopAllAsync()
    {
        Task? worker;
        List<PlayingItem> playing;
        lock (_lock)
        {
            _stopped = true;
            worker = _worker;
            playing = [.. _playing.Values];
        }

        await _stop.CancelAsync();
        foreach (var item in playing)
        {
            item.Stop(release: true);
        }

        if (worker is not null)
        {
            await worker;
        }

        // The worker may have claimed an item between the first look and its stop (a slot freed by
        // an item stopping above): with the worker gone, this look is the last.
        lock (_lock)
        {
            playing = [.. _playing.Values];
        }

        foreach (var item in playing)
        {
            item.Stop(release: true);
        }

        await Task.WhenAll(playing.Select(p => p.Ended));
        List<JoinedRun> joined;
        lock (_lock)
        {
            joined = [.. _joined.Values];
            _joined.Clear();
        }

        // Nothing more is written: the runs go on (here after a restart, or on another replica) and
        // whoever completes one writes its files; a host stopping may take the store away meanwhile.
        foreach (var run in joined)
        {
            run.Ended();
        }
    }

    /// <summary>The output directory of a run: the assignment's (command line) or one folder per run under the server's output directory.</summary>
    public string? OutputDirectory(RunSummary run, Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(assignment);
        return run.Origin == OriginCli
            ? assignment.Output
            : Path.GetFullPath(Path.Combine(serverOptions.Value.DataDirectory, options.Value.OutputDirectory, run.Id));
    }

    /// <summary>Validates an assignment for <paramref name="origin"/> and resolves what the server decides for it.</summary>
    private EnvironmentResult<PreparedRun> Prepare(Assignment assignment, string origin)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (origin is not (OriginCli or OriginWeb or OriginApi))
        {
            return EnvironmentResult<PreparedRun>.Invalid(new ValidationError("origin", $"Unknown origin '{origin}'.", [OriginCli, OriginWeb, OriginApi]));
        }

        // A run started on the server uses the server's agents file and writes where the server
        // says: a person at the dashboard cannot point the server at its own files.
        var resolved = origin == OriginCli
            ? assignment
            : assignment with { Agent = assignment.Agent with { ProfilesFile = assignment.Agent.Reference is null ? options.Value.AgentsFile : null }, Output = null };
        var agent = agents.Create(resolved, resolved.Agent.ProfilesFile);
        using var built = agent.Value;
        var plan = EvaluationPlan.Expand(resolved, catalog);
        var errors = agent.Errors.Concat(plan.Errors).ToList();
        return errors.Count > 0
            ? EnvironmentResult<PreparedRun>.Invalid(errors)
            : EnvironmentResult<PreparedRun>.Success(new PreparedRun(resolved, built!.Label, built.Model, built.Harness, plan.Value!));
    }

    /// <summary>Registers a run to play here and makes it playable in the store; null if it is already registered.</summary>
    private JoinedRun? Join(string runId, IProgress<RunProgress>? progress, OpenEnvTranscript? transcript, CancellationToken cancellationToken)
    {
        var joined = new JoinedRun(runId, progress, transcript);
        lock (_lock)
        {
            if (_stopped || !_joined.TryAdd(runId, joined))
            {
                return null;
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var resumed = await runs.ResumeAsync(runId, CancellationToken.None);
                lock (_lock)
                {
                    joined.Resumed = true;
                }

                if (!resumed)
                {
                    // Completed or unknown: nothing to play.
                    await SettleAsync(runId);
                    return;
                }

                await PublishAsync(runId, null);
                joined.CancelWith(() => CancelAsync(runId), cancellationToken);
                EnsureWorker();
                Wake();
            }
#pragma warning disable CA1031 // The store failed: the run is left as it was and its caller is told.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRunFailed(logger, runId, e);
                lock (_lock)
                {
                    _joined.Remove(runId);
                }

                joined.Ended();
            }
        }, CancellationToken.None);
        return joined;
    }

    private void EnsureWorker()
    {
        lock (_lock)
        {
            if (_worker is null && !_stopped)
            {
                _worker = Task.Run(() => WorkAsync(_stop.Token), CancellationToken.None);
            }
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>
    /// The worker: while this process has a free slot it claims the next item of the runs it plays
    /// (and, serving, of every server run), and plays it; with nothing to claim it looks again when
    /// an item of its own ends or after <see cref="EvaluationOptions.PollInterval"/>.
    /// </summary>
    private async Task WorkAsync(CancellationToken stop)
    {
        var heartbeat = HeartbeatAsync(stop);
        try
        {
            await runs.RecoverInterruptedAsync(replica.Id, CancellationToken.None);
            while (!stop.IsCancellationRequested)
            {
                await _slots.WaitAsync(stop);
                PlayingItem? claimed = null;
                try
                {
                    claimed = await ClaimAsync(stop);
                }
#pragma warning disable CA1031 // The store may be out of reach for a moment: look again later.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogWorkerFailed(logger, e);
                }

                if (claimed is null)
                {
                    _slots.Release();
                    await ObserveJoinedAsync();
                    await WaitForWorkAsync(stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The process stops.
        }

        await heartbeat;
    }

    /// <summary>Claims one item and starts playing it; null when none is free, or no session is (the server's clients come first).</summary>
    private async Task<PlayingItem?> ClaimAsync(CancellationToken stop)
    {
        if (!episodes.HasFreeSession)
        {
            return null;
        }

        List<string> joined;
        lock (_lock)
        {
            joined = [.. _joined.Keys];
        }

        Interlocked.Increment(ref _claiming);
        try
        {
            foreach (var runId in joined.Append(null).Where(r => r is not null || _serving))
            {
                if (stop.IsCancellationRequested)
                {
                    return null;
                }

                var lease = new ItemLease(replica.Id, Guid.NewGuid().ToString("N"), timeProvider.GetUtcNow(), options.Value.LeaseDuration);
                // Not cancellable: a claim the store made must reach this process's list of items to give back.
                if (await runs.ClaimNextAsync(runId, lease, cancellationToken: CancellationToken.None) is { } item)
                {
                    var playing = new PlayingItem(new ItemHold(item.RunId, item.Key, lease.EpisodeId, replica.Id), stop);
                    lock (_lock)
                    {
                        _playing.Add(playing.Hold, playing);
                    }

                    playing.Run(PlayClaimedAsync(item, playing));
                    return playing;
                }
            }

            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _claiming);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stop)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var woken = _wake.WaitAsync(waiting.Token);
        var delay = Task.Delay(options.Value.PollInterval, timeProvider, waiting.Token);
        await Task.WhenAny(woken, delay);
        await waiting.CancelAsync();
        await Task.WhenAll(woken, delay).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        stop.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Every third of a lease: renews the leases of the items played here, stops those the store
    /// no longer gives this replica (taken over after an expiry: nothing of them is written) and
    /// gives back those of runs no longer running (cancelled or failed on any replica).
    /// </summary>
    private async Task HeartbeatAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.LeaseDuration / 3, timeProvider, stop);
                var held = await runs.RenewLeasesAsync(replica.Id, timeProvider.GetUtcNow() + options.Value.LeaseDuration, stop);
                List<PlayingItem> playing;
                lock (_lock)
                {
                    playing = [.. _playing.Values];
                }

                foreach (var item in playing)
                {
                    var stored = held.FirstOrDefault(h => h.RunId == item.Hold.RunId && h.Key == item.Hold.Key && h.EpisodeId == item.Hold.EpisodeId);
                    if (stored is null)
                    {
                        item.Stop(release: false);
                    }
                    else if (stored.RunStatus != RunStatus.Running)
                    {
                        item.Stop(release: true);
                    }
                }

                await ObserveJoinedAsync();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The store may be out of reach for a moment: the next beat tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWorkerFailed(logger, e);
            }
        }
    }

    private async Task PlayClaimedAsync(RunItem item, PlayingItem playing)
    {
        var finished = false;
        try
        {
            // A run cancelled between the claim and now: its canceller found nothing here to stop.
            if ((await runs.FindAsync(item.RunId, CancellationToken.None))?.Status != RunStatus.Running)
            {
                await runs.ReleaseItemAsync(playing.Hold, CancellationToken.None);
                return;
            }

            var player = await AcquirePlayerAsync(item.RunId);
            if (player is null)
            {
                await runs.ReleaseItemAsync(playing.Hold, CancellationToken.None);
                return;
            }

            try
            {
                finished = await PlayItemAsync(player, item, playing);
            }
            finally
            {
                ReleasePlayer(item.RunId);
            }
        }
#pragma warning disable CA1031 // An item's failure is the item's: the worker goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogItemFailed(logger, item.RunId, item.Key, e);
        }
        finally
        {
            lock (_lock)
            {
                _playing.Remove(playing.Hold);
            }

            _slots.Release();
            if (finished && await runs.TryCompleteAsync(item.RunId, CancellationToken.None))
            {
                await EndedHereAsync(item.RunId);
            }
            else
            {
                await SettleAsync(item.RunId);
            }

            Wake();
        }
    }

    /// <summary>This process ended a run in the store (its last item, a cancel, a failure): its own items of the run stop and go back.</summary>
    private async Task EndedHereAsync(string runId)
    {
        List<PlayingItem> stopping;
        lock (_lock)
        {
            _endedHere.Add(runId);
            stopping = [.. _playing.Values.Where(p => p.Hold.RunId == runId)];
        }

        foreach (var item in stopping)
        {
            item.Stop(release: true);
        }

        await SettleAsync(runId);
    }

    /// <summary>
    /// Once none of a run's items plays here any more: the output files of a run this process ended
    /// (unless it was asked to play it: that play writes them when it ends) and the end of a play
    /// asked for here once the run is over in the store.
    /// </summary>
    private async Task SettleAsync(string runId)
    {
        bool endedHere;
        JoinedRun? joined;
        lock (_lock)
        {
            if (_playing.Values.Any(p => p.Hold.RunId == runId) || Volatile.Read(ref _claiming) > 0 && _joined.ContainsKey(runId))
            {
                return;
            }

            // Asked for again but not yet made running in the store: it still reads as the end of its
            // previous play (a cancel), which a late settle of that play must not take for this one's.
            if (_joined.TryGetValue(runId, out joined) && !joined.Resumed)
            {
                return;
            }

            endedHere = _endedHere.Remove(runId);
        }

        if (joined is null)
        {
            if (endedHere)
            {
                // A command line writes its run's files where its assignment said, on its own disk.
                if ((await runs.FindAsync(runId, CancellationToken.None))?.Origin != OriginCli)
                {
                    await WriteOutputsAsync(runId);
                }

                await PublishAsync(runId, null);
            }

            return;
        }

        if (await runs.FindAsync(runId, CancellationToken.None) is not { } run || RunStatus.IsFinal(run.Status))
        {
            lock (_lock)
            {
                if (!_joined.Remove(runId))
                {
                    return;
                }
            }

            await FinishJoinedAsync(joined);
        }
    }

    /// <summary>The runs asked for here whose last item another replica finished (or that nobody completed after a crash).</summary>
    private async Task ObserveJoinedAsync()
    {
        List<string> joined;
        lock (_lock)
        {
            joined = [.. _joined.Keys];
        }

        foreach (var runId in joined)
        {
            if (await runs.TryCompleteAsync(runId, CancellationToken.None))
            {
                await EndedHereAsync(runId);
            }
            else
            {
                await SettleAsync(runId);
            }
        }
    }

    private async Task FinishJoinedAsync(JoinedRun joined)
    {
        try
        {
            await WriteOutputsAsync(joined.RunId);
            await PublishAsync(joined.RunId, null, joined.Progress);
        }
        finally
        {
            joined.Ended();
        }
    }

    private async Task WriteOutputsAsync(string runId)
    {
        if (await runs.FindAsync(runId, CancellationToken.None) is not { } summary
            || await runs.AssignmentJsonAsync(runId, CancellationToken.None) is not { } json
            || OutputDirectory(summary, AssignmentJson.Read(json)) is not { } directory)
        {
            return;
        }

        await outputs.WriteAsync(runId, directory, CancellationToken.None);
        await exporter.ExportAsync(runId, directory, CancellationToken.None);
    }

    /// <summary>The agent of a run, built by its first item here and disposed after its last; null if it cannot be built (the run fails).</summary>
    private async Task<RunPlayer?> AcquirePlayerAsync(string runId)
    {
        lock (_lock)
        {
            if (_players.TryGetValue(runId, out var shared))
            {
                shared.Users++;
                return shared;
            }
        }

        var assignment = AssignmentJson.Read((await runs.AssignmentJsonAsync(runId, CancellationToken.None))!);
        var agent = agents.Create(assignment, assignment.Agent.ProfilesFile);
        if (!agent.Succeeded)
        {
            if (await runs.EndAsync(runId, RunStatus.Failed, string.Join(" ", agent.Errors.Select(e => e.Message)), CancellationToken.None))
            {
                await EndedHereAsync(runId);
            }

            return null;
        }

        var player = new RunPlayer(agent.Value!, $"{assignment.Name}:{assignment.Split}");
        lock (_lock)
        {
            if (_players.TryGetValue(runId, out var raced))
            {
                player.Agent.Dispose();
                raced.Users++;
                return raced;
            }

            _players.Add(runId, player);
            return player;
        }
    }

    private void ReleasePlayer(string runId)
    {
        lock (_lock)
        {
            var player = _players[runId];
            if (--player.Users == 0)
            {
                _players.Remove(runId);
                player.Agent.Dispose();
            }
        }
    }

    /// <returns>Whether the item was finished (done or error); false if it went back or was lost.</returns>
    private async Task<bool> PlayItemAsync(RunPlayer player, RunItem item, PlayingItem playing)
    {
        var token = playing.Token;
        var hold = playing.Hold;
        var agent = player.Agent;
        var transcript = Joined(item.RunId)?.Transcript;
        var spec = new RunItemSpec(item.Suite, item.TaskId, item.Tier, item.ScenarioId, item.SeedIndex, item.Trial);
        await PublishAsync(item.RunId, item.Key);
        var suite = catalog.Find(item.Suite)!;
        IEvaluationEpisode? episode = null;
        ObservedPort? port = null;
        try
        {
            episode = await StartEpisodeAsync(spec, player.Evaluation, hold.EpisodeId, agent.Label, token);
            port = new ObservedPort(episode.Port);
            var trace = await agent.ForSuite(suite).PlayAsync(port, Brief(suite, item), token);
            var final = episode.Final;
            var result = final?.Grade is { } grade
                ? new ItemResult(grade.Outcome, grade.Score, grade.Success, final.Record.Index, Interventions(trace))
                : new ItemResult(AbandonedOutcome, 0, false, port.StepCount, Interventions(trace));

            // The sealed episode must be over before its trace exists anywhere: closing the
            // session ends (abandons) an episode the agent left unfinished.
            episode = await CloseAsync(episode);
            transcript?.WriteEpisode(item.ScenarioId, agent.Model ?? agent.Label, [.. port.Steps.Select(s => (s.Action, s.Reply))], result.Success == true, result.Score ?? 0);
            await traces.SaveAsync(hold.EpisodeId, item.RunId, StoredAgentTrace.From(trace, agent.Label, agent.Model, agent.Harness), CancellationToken.None);
            return await runs.CompleteItemAsync(hold, result, CancellationToken.None);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            episode = await CloseAsync(episode);
            if (playing.Release)
            {
                await runs.ReleaseItemAsync(hold, CancellationToken.None);
            }

            return false;
        }
        catch (Exception e) when (RunWideFailure(e) is { } reason)
        {
            // Every item would fail the same way (the credentials are refused or missing): the
            // item goes back to pending, the run fails with the reason and every replica stops it.
            episode = await CloseAsync(episode);
            WriteFailedTranscript(transcript, agent, item, port);
            await runs.ReleaseItemAsync(hold, CancellationToken.None);
            if (await runs.EndAsync(item.RunId, RunStatus.Failed, reason, CancellationToken.None))
            {
                await EndedHereAsync(item.RunId);
            }

            return false;
        }
#pragma warning disable CA1031 // Whatever the agent failed on is this item's error; the run goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogItemFailed(logger, item.RunId, item.Key, e);
            episode = await CloseAsync(episode);
            WriteFailedTranscript(transcript, agent, item, port);
            if (e is ModelEndpointException { Trace: { } partial })
            {
                await traces.SaveAsync(hold.EpisodeId, item.RunId, StoredAgentTrace.From(partial, agent.Label, agent.Model, agent.Harness), CancellationToken.None);
            }

            return await runs.FailItemAsync(hold, e.Message, CancellationToken.None);
        }
        finally
        {
            await CloseAsync(episode);
            await PublishAsync(item.RunId, item.Key);
        }
    }

    private JoinedRun? Joined(string runId)
    {
        lock (_lock)
        {
            return _joined.GetValueOrDefault(runId);
        }
    }

    /// <summary>A failure of the agent that no item can escape, or null for one that concerns this item only.</summary>
    private static string? RunWideFailure(Exception exception) => exception switch
    {
        ModelEndpointException { Failure.Status: 401 or 403 } refused => refused.Message,
        ProfileVariableException missing => missing.Message,
        _ => null,
    };

    /// <summary>Closes an episode (abandoned if it had not ended) before anything of its agent's side is saved.</summary>
    private static async Task<IEvaluationEpisode?> CloseAsync(IEvaluationEpisode? episode)
    {
        if (episode is not null)
        {
            await episode.DisposeAsync();
        }

        return null;
    }

    private static void WriteFailedTranscript(OpenEnvTranscript? transcript, EvaluationAgent agent, RunItem item, ObservedPort? port) =>
        transcript?.WriteEpisode(item.ScenarioId, agent.Model ?? agent.Label, [.. (port?.Steps ?? []).Select(s => (s.Action, s.Reply))], false, 0);

    /// <summary>The outcome of an episode the agent stopped playing before it ended (scored 0: giving up is the agent's result).</summary>
    public const string AbandonedOutcome = "abandoned";

    /// <summary>Starts the item's episode, waiting with backoff while the server is at capacity (its clients come first).</summary>
    private async Task<IEvaluationEpisode> StartEpisodeAsync(RunItemSpec spec, string evaluation, string episodeId, string agent, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            if (await episodes.StartAsync(spec, evaluation, episodeId, agent, cancellationToken) is { } episode)
            {
                return episode;
            }

            await Task.Delay(backoff, timeProvider, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private static TaskBrief Brief(ISuite suite, RunItem item)
    {
        var task = suite.Tasks.First(t => t.Id == item.TaskId);
        var scenario = suite.Scenarios.First(s => s.Id == item.ScenarioId);
        return new TaskBrief(suite.Name, task.Id, task.Title, task.Guidance, scenario.Tier, scenario.Family, task.MaxSteps);
    }

    private static Dictionary<string, int> Interventions(AgentEpisodeTrace trace) =>
        trace.Interventions.GroupBy(i => i.Layer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Tells the subscribers, and the caller waiting for the run here, that the run or one of its items moved.</summary>
    private async Task PublishAsync(string runId, string? itemKey, IProgress<RunProgress>? progress = null)
    {
        progress ??= Joined(runId)?.Progress;
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Handlers.Length == 0 && progress is null)
        {
            return;
        }

        var run = await runs.FindAsync(runId, CancellationToken.None);
        if (run is null)
        {
            return;
        }

        var item = itemKey is null ? null : await runs.ItemAsync(runId, itemKey, CancellationToken.None);
        var update = new RunProgress(run, item);
        progress?.Report(update);
        foreach (var handler in subscribers.Handlers)
        {
            try
            {
                handler(update);
            }
#pragma warning disable CA1031 // One subscriber's failure must not stop a run or the other subscribers.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(logger, e);
            }
        }
    }

    private void Unsubscribe(Action<RunProgress> handler)
    {
        lock (_subscribersLock)
        {
            _subscribers = _subscribers.Without(handler);
        }
    }

    private sealed record ImmutableSubscribers(Action<RunProgress>[] Handlers)
    {
        public ImmutableSubscribers With(Action<RunProgress> handler) => new([.. Handlers, handler]);

        public ImmutableSubscribers Without(Action<RunProgress> handler) => new([.. Handlers.Where(h => h != handler)]);
    }

    private sealed class Subscription(EvaluationService service, Action<RunProgress> handler) : IDisposable
    {
        public void Dispose() => service.Unsubscribe(handler);
    }

    /// <summary>A validated assignment as it is stored, with who plays it and what.</summary>
    private sealed record PreparedRun(Assignment Assignment, string Agent, string? Model, string Harness, EvaluationPlan Plan)
    {
        /// <remarks>
        /// The run's concurrency is the assignment's, over every replica together; each replica
        /// plays at most its own MaxConcurrency of it, so more replicas play a wide run faster.
        /// </remarks>
        public NewRun Run(string origin) =>
            new(Assignment.Name, Agent, Model, Harness, AssignmentJson.Write(Assignment), origin, Concurrency: Assignment.Concurrency);
    }

/// <summary>A run this process was asked to play (<see cref="Start"/>, <see cref="RunAsync(string, IProgress{RunProgress}?, CancellationToken)"/>): it ends once the run is over in the store and none of its items plays here.</summary>
    private sealed class JoinedRun(string runId, IProgress<RunProgress>? progress, OpenEnvTranscript? transcript)
    {
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenRegistration _callerCancelled;

        public string RunId { get; } = runId;

        public IProgress<RunProgress>? Progress { get; } = progress;

        public OpenEnvTranscript? Transcript { get; } = transcript;

        public Task Completion => _ended.Task;

        /// <summary>Whether the store has made the run playable again (or said it cannot be); guarded by the service's lock.</summary>
        public bool Resumed { get; set; }

        /// <summary>The caller of <see cref="RunAsync(string, IProgress{RunProgress}?, CancellationToken)"/> cancelling cancels the run.</summary>
        public void CancelWith(Func<Task> cancel, CancellationToken caller) =>
            _callerCancelled = caller.Register(() => _ = cancel());

        public void Ended()
        {
            _callerCancelled.Dispose();
            _ended.TrySetResult();
        }
    }

    /// <summary>An item this process plays under its lease, and how it was told to stop.</summary>
    private sealed class PlayingItem(ItemHold hold, CancellationToken stopping)
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private Task _played = Task.CompletedTask;

        public ItemHold Hold { get; } = hold;

        public CancellationToken Token => _stop.Token;

        /// <summary>Stopped with the item given back to pending (false: the item was taken over, nothing of it is written).</summary>
        public bool Release { get; private set; } = true;

        public Task Ended => _played;

        public void Run(Task played) => _played = played;

        public void Stop(bool release)
        {
            if (!_stop.IsCancellationRequested)
            {
                Release = release;
            }

            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The item ended meanwhile.
            }
        }
    }

    /// <summary>A run's agent in this process, shared by its items playing here.</summary>
    private sealed class RunPlayer(EvaluationAgent agent, string evaluation)
    {
        public EvaluationAgent Agent { get; } = agent;

        /// <summary>Names the derivation of the sealed seeds: the assignment's name and split.</summary>
        public string Evaluation { get; } = evaluation;

        public int Users { get; set; } = 1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation worker: the store could not be reached; trying again")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluation run {RunId} stopped on an unexpected error")]
    private static partial void LogRunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation run {RunId}: item {Key} failed")]
    private static partial void LogItemFailed(ILogger logger, string runId, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An evaluation progress subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}

using System.Collections.Concurrent;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Plays evaluation runs in this process: pending items in plan order, at most the assignment's
/// concurrency (capped by <see cref="EvaluationOptions.MaxConcurrency"/>) at once, each a sealed
/// episode through <see cref="IEvaluationEpisodes"/>. Every item move goes through the
/// <see cref="RunStore"/>'s guarded updates, so a result is recorded once whatever stops the
/// process; a run left running is resumed from its pending items.
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

    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
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

    public bool Start(string runId) => TryActivate(runId, progress: null, transcript: null, CancellationToken.None) is not null;

    public Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(runId, progress, transcript: null, cancellationToken);

    /// <summary>Plays a stored run to its end in the caller's time, writing each finished episode's openenv block to <paramref name="transcript"/>.</summary>
    /// <exception cref="InvalidOperationException">The run is already playing in this process.</exception>
    public async Task<RunSummary> RunAsync(string runId, IProgress<RunProgress>? progress, OpenEnvTranscript? transcript, CancellationToken cancellationToken)
    {
        var active = TryActivate(runId, progress, transcript, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} is already playing in this process.");
        await active.Completion;
        return await runs.FindAsync(runId, CancellationToken.None) ?? throw new InvalidOperationException($"Unknown run {runId}.");
    }

    public bool Cancel(string runId)
    {
        if (!_active.TryGetValue(runId, out var active))
        {
            return false;
        }

        active.Stop(RunStatus.Cancelled, null);
        return true;
    }

    public bool IsActive(string runId) => _active.ContainsKey(runId);

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
    /// The process is stopping: playing runs stop, their running items go back to pending and the
    /// runs stay running in the store, so the next start resumes them.
    /// </summary>
    public async ValueTask DisposeAsync() => await StopAllAsync();

    /// <inheritdoc cref="DisposeAsync"/>
    public async Task StopAllAsync()
    {
        var playing = _active.Values.ToList();
        foreach (var active in playing)
        {
            active.Stop(status: null, error: null);
        }

        await Task.WhenAll(playing.Select(a => a.Completion));
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

    private ActiveRun? TryActivate(string runId, IProgress<RunProgress>? progress, OpenEnvTranscript? transcript, CancellationToken cancellationToken)
    {
        var active = new ActiveRun(cancellationToken);
        if (!_active.TryAdd(runId, active))
        {
            active.Dispose();
            return null;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await PlayAsync(runId, active, progress, transcript);
            }
#pragma warning disable CA1031 // A run's failure is recorded with the run; the process goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRunFailed(logger, runId, e);
                await runs.EndAsync(runId, RunStatus.Failed, "The run stopped on an unexpected error: " + e.Message, CancellationToken.None);
            }
            finally
            {
                _active.TryRemove(runId, out _);
                active.Dispose();
                try
                {
                    await PublishAsync(runId, null, progress);
                }
                finally
                {
                    active.Ended();
                }
            }
        }, CancellationToken.None);
        return active;
    }

    private async Task PlayAsync(string runId, ActiveRun active, IProgress<RunProgress>? progress, OpenEnvTranscript? transcript)
    {
        if (!await runs.ResumeAsync(runId, CancellationToken.None))
        {
            return;
        }

        var summary = (await runs.FindAsync(runId, CancellationToken.None))!;
        var assignment = AssignmentJson.Read((await runs.AssignmentJsonAsync(runId, CancellationToken.None))!);
        await PublishAsync(runId, null, progress);
        var agent = agents.Create(assignment, assignment.Agent.ProfilesFile);
        if (!agent.Succeeded)
        {
            await runs.EndAsync(runId, RunStatus.Failed, string.Join(" ", agent.Errors.Select(e => e.Message)), CancellationToken.None);
            return;
        }

        using var player = agent.Value!;
        var context = new PlayContext(runId, $"{assignment.Name}:{assignment.Split}", player, active, progress, transcript);
        using (var slots = new SemaphoreSlim(Math.Min(assignment.Concurrency, options.Value.MaxConcurrency)))
        {
            var playing = new List<Task>();
            foreach (var item in await runs.PendingAsync(runId, CancellationToken.None))
            {
                try
                {
                    await slots.WaitAsync(active.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                // A stop's callbacks run one by one: an item cancelled before this wait's own
                // callback can free its slot to this wait, which then succeeds after the stop.
                if (active.Token.IsCancellationRequested)
                {
                    slots.Release();
                    break;
                }

                playing.Add(PlayItemWithSlotAsync(context, item, slots));
            }

            await Task.WhenAll(playing);
        }

        // A stop of the process (no status) leaves the run running in the store: it resumes.
        var status = active.StopStatus
            ?? (active.CallerCancelled ? RunStatus.Cancelled
            : active.Token.IsCancellationRequested ? null
            : RunStatus.Completed);
        if (status is not null)
        {
            await runs.EndAsync(runId, status, active.StopError, CancellationToken.None);
        }

        if (OutputDirectory(summary, assignment) is { } directory)
        {
            await outputs.WriteAsync(runId, directory, CancellationToken.None);
            await exporter.ExportAsync(runId, directory, CancellationToken.None);
        }
    }

    private async Task PlayItemWithSlotAsync(PlayContext context, RunItem item, SemaphoreSlim slots)
    {
        try
        {
            await PlayItemAsync(context, item);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task PlayItemAsync(PlayContext context, RunItem item)
    {
        var token = context.Active.Token;
        var spec = new RunItemSpec(item.Suite, item.TaskId, item.Tier, item.ScenarioId, item.SeedIndex, item.Trial);
        var episodeId = Guid.NewGuid().ToString("N");
        if (!await runs.StartItemAsync(context.RunId, item.Key, episodeId, CancellationToken.None))
        {
            return;
        }

        await PublishAsync(context.RunId, item.Key, context.Progress);
        var suite = catalog.Find(item.Suite)!;
        IEvaluationEpisode? episode = null;
        ObservedPort? port = null;
        try
        {
            episode = await StartEpisodeAsync(spec, context, episodeId, token);
            port = new ObservedPort(episode.Port);
            var trace = await context.Agent.ForSuite(suite).PlayAsync(port, Brief(suite, item), token);
            var final = episode.Final;
            var result = final?.Grade is { } grade
                ? new ItemResult(grade.Outcome, grade.Score, grade.Success, final.Record.Index, Interventions(trace))
                : new ItemResult(AbandonedOutcome, 0, false, port.StepCount, Interventions(trace));

            // The sealed episode must be over before its trace exists anywhere: closing the
            // session ends (abandons) an episode the agent left unfinished.
            episode = await CloseAsync(episode);
            context.Transcript?.WriteEpisode(item.ScenarioId, context.Agent.Model ?? context.Agent.Label, [.. port.Steps.Select(s => (s.Action, s.Reply))], result.Success == true, result.Score ?? 0);
            await traces.SaveAsync(episodeId, context.RunId, StoredAgentTrace.From(trace, context.Agent.Label, context.Agent.Model, context.Agent.Harness), CancellationToken.None);
            await runs.CompleteItemAsync(context.RunId, item.Key, episodeId, result, CancellationToken.None);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            episode = await CloseAsync(episode);
            await runs.ReleaseItemAsync(context.RunId, item.Key, episodeId, CancellationToken.None);
        }
        catch (Exception e) when (RunWideFailure(e) is { } reason)
        {
            // Every item would fail the same way (the credentials are refused or missing): the
            // item goes back to pending, the others stop, and the run fails with the reason.
            episode = await CloseAsync(episode);
            WriteFailedTranscript(context, item, port);
            await runs.ReleaseItemAsync(context.RunId, item.Key, episodeId, CancellationToken.None);
            context.Active.Stop(RunStatus.Failed, reason);
        }
#pragma warning disable CA1031 // Whatever the agent failed on is this item's error; the run goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogItemFailed(logger, context.RunId, item.Key, e);
            episode = await CloseAsync(episode);
            WriteFailedTranscript(context, item, port);
            if (e is ModelEndpointException { Trace: { } partial })
            {
                await traces.SaveAsync(episodeId, context.RunId, StoredAgentTrace.From(partial, context.Agent.Label, context.Agent.Model, context.Agent.Harness), CancellationToken.None);
            }

            await runs.FailItemAsync(context.RunId, item.Key, episodeId, e.Message, CancellationToken.None);
        }
        finally
        {
            await CloseAsync(episode);
            await PublishAsync(context.RunId, item.Key, context.Progress);
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

    private static void WriteFailedTranscript(PlayContext context, RunItem item, ObservedPort? port) =>
        context.Transcript?.WriteEpisode(item.ScenarioId, context.Agent.Model ?? context.Agent.Label, [.. (port?.Steps ?? []).Select(s => (s.Action, s.Reply))], false, 0);

    /// <summary>The outcome of an episode the agent stopped playing before it ended (scored 0: giving up is the agent's result).</summary>
    public const string AbandonedOutcome = "abandoned";

    /// <summary>Starts the item's episode, waiting with backoff while the server is at capacity (its clients come first).</summary>
    private async Task<IEvaluationEpisode> StartEpisodeAsync(RunItemSpec spec, PlayContext context, string episodeId, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            if (await episodes.StartAsync(spec, context.Evaluation, episodeId, context.Agent.Label, cancellationToken) is { } episode)
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

    private async Task PublishAsync(string runId, string? itemKey, IProgress<RunProgress>? progress)
    {
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
        public NewRun Run(string origin) => new(Assignment.Name, Agent, Model, Harness, AssignmentJson.Write(Assignment), origin);
    }

    private sealed record PlayContext(string RunId, string Evaluation, EvaluationAgent Agent, ActiveRun Active, IProgress<RunProgress>? Progress, OpenEnvTranscript? Transcript);

    /// <summary>A run playing in this process, and why it was told to stop.</summary>
    private sealed class ActiveRun : IDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly CancellationToken _caller;
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ActiveRun(CancellationToken caller)
        {
            _caller = caller;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(caller);
        }

        public CancellationToken Token => _stop.Token;

        /// <summary>Completes once the run has stopped playing and its last progress event is out.</summary>
        public Task Completion => _ended.Task;

        /// <summary>The run's end status if it was stopped for a reason that ends it; null for a stop of the process (it resumes later).</summary>
        public string? StopStatus { get; private set; }

        public string? StopError { get; private set; }

        /// <summary>The caller of <see cref="RunAsync(string, IProgress{RunProgress}?, CancellationToken)"/> cancelled: the run is cancelled.</summary>
        public bool CallerCancelled => _caller.IsCancellationRequested;

        public void Stop(string? status, string? error)
        {
            StopStatus ??= status;
            StopError ??= error;
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run ended meanwhile.
            }
        }

        public void Ended() => _ended.TrySetResult();

        public void Dispose() => _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluation run {RunId} stopped on an unexpected error")]
    private static partial void LogRunFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation run {RunId}: item {Key} failed")]
    private static partial void LogItemFailed(ILogger logger, string runId, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An evaluation progress subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}

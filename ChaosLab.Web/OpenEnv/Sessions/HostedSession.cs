using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;

namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>
/// One client's environment: the suite session it plays on, serialized so concurrent HTTP
/// requests on one episode cannot interleave, and recorded step by step.
/// </summary>
public sealed class HostedSession : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IEpisodeRecorder _recorder;
    private readonly SessionRegistry _registry;
    private readonly TimeProvider _timeProvider;
    private ISuite _suite;
    private IEpisodeSession _session;
    private readonly TaskCompletionSource _expired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastActivityTimestamp;
    private bool _episodeRunning;
    private int _holdsSlot = 1;

    internal HostedSession(string id, string clientKind, bool ownedBySocket, ISuite suite, IEpisodeRecorder recorder, SessionRegistry registry, TimeProvider timeProvider)
    {
        Id = id;
        _registry = registry;
        ClientKind = clientKind;
        OwnedBySocket = ownedBySocket;
        _suite = suite;
        _session = suite.CreateSession();
        _recorder = recorder;
        _timeProvider = timeProvider;
        Touch();
    }

    /// <summary>
    /// The session's secret: 122 random bits from the OS's cryptographic generator, never listed
    /// anywhere. Holding it is what controls the session (HTTP's <c>episode_token</c>, MCP's
    /// <c>session_id</c>); the public episode id only lets people view the record.
    /// </summary>
    public string Id { get; }

    public string ClientKind { get; }

    /// <summary>A WebSocket owns this session: it ends with the socket, and the socket closes it when expired.</summary>
    public bool OwnedBySocket { get; }

    public ISuite Suite => _suite;

    public EpisodeInfo? Episode => _session.Episode;

    public bool EpisodeRunning => Volatile.Read(ref _episodeRunning);

    /// <summary>Completes when the reaper expires the session; its transport then closes it.</summary>
    public Task Expired => _expired.Task;

    internal bool Closed { get; private set; }

    public TimeSpan IdleFor => _timeProvider.GetElapsedTime(Volatile.Read(ref _lastActivityTimestamp));

    public async Task<EnvironmentResult<StepResult>> ResetAsync(ResetRequest request, ISuite suite, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Closed)
            {
                return EnvironmentResult<StepResult>.Refused("The session is closed.");
            }

            Touch();
            if (!ReferenceEquals(suite, _suite))
            {
                AbandonRunningEpisode("reset onto another suite");
                _session.Dispose();
                _suite = suite;
                _session = suite.CreateSession();
            }

            var previous = _session.Episode;
            var episodeId = request.Options.EpisodeId ?? Guid.NewGuid().ToString("N");

            // Claimed before the engine runs, atomically across every session, so two resets
            // racing for one client-chosen id cannot both start an episode under it.
            if (!_registry.TryClaimEpisode(episodeId, this))
            {
                return EnvironmentResult<StepResult>.Invalid(new ValidationError(
                    "episode_id", $"Episode id '{episodeId}' is already taken; pick another or omit it to get a fresh one."));
            }

            var result = _session.Reset(request.Options with { EpisodeId = episodeId });
            if (!result.Succeeded)
            {
                _registry.ReleaseEpisode(episodeId, this);
                return result;
            }

            if (previous is not null)
            {
                _registry.ReleaseEpisode(previous.EpisodeId, this);
                if (_episodeRunning)
                {
                    _recorder.EpisodeAbandoned(previous.EpisodeId, "reset before the episode ended");
                }
            }

            var episode = _session.Episode!;
            _recorder.EpisodeStarted(new EpisodeStart(episode, request.Agent, ClientKind, _timeProvider.GetUtcNow()), result.Value!);
            _episodeRunning = !result.Value!.Done;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Closed)
            {
                return EnvironmentResult<StepResult>.Refused("The session is closed.");
            }

            Touch();
            var started = _timeProvider.GetTimestamp();

            // Past the gate a step runs to its end and is recorded even if the client goes away:
            // a step the engine spent but the record lacks would leave a gap in the trajectory.
            var result = await _session.StepAsync(action, CancellationToken.None);
            if (!result.Succeeded)
            {
                return result;
            }

            var step = result.Value!;
            if (step.Done)
            {
                _episodeRunning = false;
            }

            // For the final step this waits until the whole episode is durable.
            await _recorder.StepRecordedAsync(_session.Episode!.EpisodeId, step, _timeProvider.GetElapsedTime(started), CancellationToken.None);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<JsonObject> GetStateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Closed, this);
            Touch();
            return _session.State;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the session; a running episode is recorded as abandoned with <paramref name="reason"/>.</summary>
    internal async Task CloseAsync(string reason)
    {
        await _gate.WaitAsync();
        try
        {
            if (Closed)
            {
                return;
            }

            Closed = true;
            AbandonRunningEpisode(reason);
            _session.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync("session disposed");
        _gate.Dispose();
    }

    private void AbandonRunningEpisode(string reason)
    {
        if (_episodeRunning && _session.Episode is { } episode)
        {
            _recorder.EpisodeAbandoned(episode.EpisodeId, reason);
        }

        _episodeRunning = false;
    }

    internal void Expire() => _expired.TrySetResult();

    /// <summary>True exactly once: the session gives its capacity slot back.</summary>
    internal bool TryGiveUpSlot() => Interlocked.Exchange(ref _holdsSlot, 0) == 1;

    private void Touch() => Volatile.Write(ref _lastActivityTimestamp, _timeProvider.GetTimestamp());
}

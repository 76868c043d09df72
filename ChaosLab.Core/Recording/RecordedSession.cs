using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Telemetry;

namespace ChaosLab.Core.Recording;

/// <summary>
/// A suite session whose episodes are recorded: what every runner of episodes (the transports,
/// the playground, the seeder, an evaluation) plays on, so all of them record the same way.
/// Calls are serialized, so concurrent requests on one episode cannot interleave; episode ids
/// are claimed through <see cref="IEpisodeClaims"/> before the engine runs.
/// </summary>
public sealed class RecordedSession : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IEpisodeRecorder _recorder;
    private readonly IEpisodeClaims _claims;
    private readonly TimeProvider _timeProvider;
    private readonly ChaosLabMetrics _metrics;
    private ISuite _suite;
    private IEpisodeSession _session;
    private long _lastActivityTimestamp;
    private bool _episodeRunning;
    private volatile bool _closed;

    /// <param name="clientKind">Recorded with every episode: "ws", "http", "mcp", "ui" or "eval".</param>
    /// <exception cref="Exception">Whatever <paramref name="suite"/> throws creating its session.</exception>
    public RecordedSession(ISuite suite, string clientKind, IEpisodeRecorder recorder, IEpisodeClaims claims, TimeProvider timeProvider, ChaosLabMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(suite);
        _suite = suite;
        _session = suite.CreateSession();
        ClientKind = clientKind;
        _recorder = recorder;
        _claims = claims;
        _timeProvider = timeProvider;
        _metrics = metrics;
        Touch();
    }

    public string ClientKind { get; }

    public ISuite Suite => _suite;

    /// <summary>The running or last ended episode, or null before the first reset.</summary>
    public EpisodeInfo? Episode => _session.Episode;

    public bool EpisodeRunning => Volatile.Read(ref _episodeRunning);

    public bool Closed => _closed;

    /// <summary>Time since the last call; an idle session can be closed so it stops holding resources.</summary>
    public TimeSpan IdleFor => _timeProvider.GetElapsedTime(Volatile.Read(ref _lastActivityTimestamp));

    /// <summary>
    /// Starts an episode of <paramref name="suite"/> (the session moves to it if it played another
    /// one); a running episode is recorded as abandoned. The episode id is the one in
    /// <paramref name="options"/>, or a fresh one.
    /// </summary>
    /// <param name="agent">The agent's label, recorded with the episode.</param>
    public async Task<EnvironmentResult<StepResult>> ResetAsync(ISuite suite, ResetOptions options, string agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(options);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
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
            var episodeId = options.EpisodeId ?? Guid.NewGuid().ToString("N");
            using var trace = EpisodeTraces.StartReset(episodeId, suite.Name, options.Mode, ClientKind);

            // Claimed before the engine runs, atomically across every session, so two resets
            // racing for one client-chosen id cannot both start an episode under it.
            if (!_claims.TryClaim(episodeId, this))
            {
                var taken = EnvironmentResult<StepResult>.Invalid(new ValidationError(
                    "episode_id", $"Episode id '{episodeId}' is already taken; pick another or omit it to get a fresh one."));
                EpisodeTraces.Failed(trace, taken);
                return taken;
            }

            var result = _session.Reset(options with { EpisodeId = episodeId });
            if (!result.Succeeded)
            {
                _claims.Release(episodeId, this);
                EpisodeTraces.Failed(trace, result);
                return result;
            }

            EpisodeTraces.Started(trace, _session.Episode!);
            _metrics.EpisodeReset(suite.Name);

            if (previous is not null)
            {
                _claims.Release(previous.EpisodeId, this);
                if (_episodeRunning)
                {
                    _recorder.EpisodeAbandoned(previous.EpisodeId, "reset before the episode ended");
                }
            }

            _recorder.EpisodeStarted(new EpisodeStart(_session.Episode!, agent, ClientKind, _timeProvider.GetUtcNow()), result.Value!);
            _episodeRunning = !result.Value!.Done;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <param name="cancellationToken">Cancels only the wait for the gate: see the comment inside.</param>
    public async Task<EnvironmentResult<StepResult>> StepAsync(JsonElement action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                return EnvironmentResult<StepResult>.Refused("The session is closed.");
            }

            Touch();
            using var trace = _session.Episode is { } episode ? EpisodeTraces.StartStep(episode) : null;
            var started = _timeProvider.GetTimestamp();

            // Past the gate a step runs to its end and is recorded even if the client goes away:
            // a step the engine spent but the record lacks would leave a gap in the trajectory.
            var result = await _session.StepAsync(action, CancellationToken.None);
            if (!result.Succeeded)
            {
                EpisodeTraces.Failed(trace, result);
                return result;
            }

            var step = result.Value!;
            EpisodeTraces.Played(trace, step);
            if (step.Done)
            {
                _episodeRunning = false;
            }

            var elapsed = _timeProvider.GetElapsedTime(started);
            _metrics.StepPlayed(_suite.Name, elapsed);

            // For the final step this waits until the whole episode is durable.
            await _recorder.StepRecordedAsync(_session.Episode!.EpisodeId, step, elapsed, CancellationToken.None);
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
            ObjectDisposedException.ThrowIf(_closed, this);
            Touch();
            return _session.State;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the session: a running episode is recorded as abandoned with <paramref name="reason"/>, its id given back.</summary>
    public async Task CloseAsync(string reason)
    {
        await _gate.WaitAsync();
        try
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (_session.Episode is { } episode)
            {
                _claims.Release(episode.EpisodeId, this);
            }

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

    private void Touch() => Volatile.Write(ref _lastActivityTimestamp, _timeProvider.GetTimestamp());
}

using System.Collections.Concurrent;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>
/// Every open session of every transport, counted against <see cref="OpenEnvOptions.MaxSessions"/>.
/// HTTP and MCP sessions are found again by id; WebSocket sessions live as long as their socket.
/// </summary>
public sealed class SessionRegistry(IOptions<OpenEnvOptions> options, IEpisodeRecorder recorder, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, HostedSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostedSession> _byEpisode = new(StringComparer.Ordinal);
    private int _active;

    public int ActiveSessions => Volatile.Read(ref _active);

    public int MaxSessions => options.Value.MaxSessions;

    public string CapacityMessage =>
        $"Server at capacity: {ActiveSessions}/{MaxSessions} sessions active. Cannot accept new connections.";

    /// <summary>Opens a session on <paramref name="suite"/>, or returns null at capacity.</summary>
    /// <exception cref="Exception">Whatever the suite throws creating a session (the caller reports a factory error).</exception>
    public HostedSession? TryOpen(string clientKind, ISuite suite, bool ownedBySocket = false)
    {
        if (Interlocked.Increment(ref _active) > MaxSessions)
        {
            Interlocked.Decrement(ref _active);
            return null;
        }

        try
        {
            var session = new HostedSession(NewId(), clientKind, ownedBySocket, suite, recorder, this, timeProvider);
            _sessions[session.Id] = session;
            return session;
        }
        catch
        {
            Interlocked.Decrement(ref _active);
            throw;
        }
    }

    public HostedSession? Find(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var session) && !session.Closed ? session : null;

    /// <summary>Whether an episode id is taken by a session that is still open.</summary>
    public bool EpisodeInUse(string episodeId) =>
        _byEpisode.TryGetValue(episodeId, out var session) && !session.Closed;

    /// <summary>
    /// Takes <paramref name="episodeId"/> for <paramref name="session"/>, or returns false when another
    /// open session holds it. The claim lasts until the session resets again or closes; by then the
    /// episode is in the store, where the gateway looks first.
    /// </summary>
    internal bool TryClaimEpisode(string episodeId, HostedSession session)
    {
        while (true)
        {
            if (_byEpisode.TryAdd(episodeId, session))
            {
                return true;
            }

            if (!_byEpisode.TryGetValue(episodeId, out var holder))
            {
                continue;
            }

            if (ReferenceEquals(holder, session))
            {
                return false;
            }

            // A closed session's claim is stale: take it over only if nobody else did first.
            if (!holder.Closed || !_byEpisode.TryUpdate(episodeId, session, holder))
            {
                return false;
            }

            return true;
        }
    }

    internal void ReleaseEpisode(string episodeId, HostedSession session) =>
        _byEpisode.TryRemove(new KeyValuePair<string, HostedSession>(episodeId, session));

    /// <summary>
    /// Gives back the capacity slot of an HTTP session whose episode ended; it stays readable
    /// (<c>/state</c>) until it is reaped.
    /// </summary>
    public void ReleaseSlot(HostedSession session)
    {
        if (session.TryGiveUpSlot())
        {
            Interlocked.Decrement(ref _active);
        }
    }

    public async Task CloseAsync(HostedSession session, string reason)
    {
        if (!_sessions.TryRemove(session.Id, out _))
        {
            return;
        }

        if (session.Episode is { } episode)
        {
            _byEpisode.TryRemove(new KeyValuePair<string, HostedSession>(episode.EpisodeId, session));
        }

        ReleaseSlot(session);
        await session.CloseAsync(reason);
    }

    /// <summary>Sessions idle for longer than the configured timeout, oldest activity first.</summary>
    public IReadOnlyList<HostedSession> IdleSessions() =>
        [.. _sessions.Values.Where(s => s.IdleFor >= options.Value.SessionIdleTimeout).OrderByDescending(s => s.IdleFor)];

    private static string NewId() => Guid.NewGuid().ToString("N");
}

using System.Collections.Concurrent;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Replicas;
using ChaosLab.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>
/// Every open session of every transport, counted against <see cref="OpenEnvOptions.MaxSessions"/>.
/// HTTP and MCP sessions are found again by id; WebSocket sessions live as long as their socket.
/// Sessions live in this process only: an id starts with the replica that issued it
/// (<c>&lt;replica&gt;.&lt;32 hex&gt;</c>), so another replica can say where to go and a load balancer
/// can route by it.
/// </summary>
public sealed partial class SessionRegistry(IOptions<OpenEnvOptions> options, IEpisodeRecorder recorder, IEpisodeClaims claims, TimeProvider timeProvider, ReplicaIdentity replica, ChaosLabMetrics metrics)
    : ISessionCounts
{
    private readonly ConcurrentDictionary<string, HostedSession> _sessions = new(StringComparer.Ordinal);
    private int _active;

    public int ActiveSessions => Volatile.Read(ref _active);

    public int MaxSessions => options.Value.MaxSessions;

    /// <summary>The replica this registry's sessions live in.</summary>
    public string Replica => replica.Id;

    public string CapacityMessage =>
        $"Server at capacity: {ActiveSessions}/{MaxSessions} sessions active. Cannot accept new connections.";

    /// <summary>Opens a session on <paramref name="suite"/>, or returns null at capacity.</summary>
    /// <exception cref="Exception">Whatever the suite throws creating a session (the caller reports a factory error).</exception>
    public HostedSession? TryOpen(string clientKind, ISuite suite, SessionLifetime lifetime)
    {
        if (Interlocked.Increment(ref _active) > MaxSessions)
        {
            Interlocked.Decrement(ref _active);
            return null;
        }

        try
        {
            var recorded = new RecordedSession(suite, clientKind, recorder, claims, timeProvider, metrics);
            var session = new HostedSession(NewId(), lifetime, recorded, this);
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

    /// <summary>
    /// The replica that issued <paramref name="sessionId"/> when that is another one than this
    /// (read from the id's prefix), else null: this replica's own ids, and ids of no known shape.
    /// </summary>
    public string? HeldElsewhere(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var dot = sessionId.LastIndexOf('.');
        return dot > 0 && sessionId[..dot] is var holder && holder != replica.Id && ReplicaPrefix().IsMatch(holder) ? holder : null;
    }

    /// <summary>Whether an episode id is taken by a session that is still open.</summary>
    public bool EpisodeInUse(string episodeId) => claims.IsClaimed(episodeId);

    /// <summary>Gives back the capacity slot of a session, once; <see cref="HostedSession"/> calls it when its lifetime says so.</summary>
    internal void ReleaseSlot(HostedSession session)
    {
        if (session.TryGiveUpSlot())
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Closes the session (its running episode is recorded as abandoned with <paramref name="reason"/>) and frees its slot.</summary>
    public async Task CloseAsync(HostedSession session, string reason)
    {
        if (!_sessions.TryRemove(session.Id, out _))
        {
            return;
        }

        ReleaseSlot(session);
        await session.Recorded.CloseAsync(reason);
    }

    /// <summary>Sessions idle for longer than the configured timeout, oldest activity first.</summary>
    public IReadOnlyList<HostedSession> IdleSessions() =>
        [.. _sessions.Values.Where(s => s.IdleFor >= options.Value.SessionIdleTimeout).OrderByDescending(s => s.IdleFor)];

    private string NewId() => $"{replica.Id}.{Guid.NewGuid():N}";

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial System.Text.RegularExpressions.Regex ReplicaPrefix();
}

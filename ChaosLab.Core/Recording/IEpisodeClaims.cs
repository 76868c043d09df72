using System.Collections.Concurrent;

namespace ChaosLab.Core.Recording;

/// <summary>
/// Who runs which episode id right now. A client may choose its episode id, so two sessions can
/// race for one; the claim decides atomically, before the engine runs, which of them starts it.
/// An interface because several server replicas sharing one store would claim in that store.
/// </summary>
public interface IEpisodeClaims
{
    /// <summary>Takes <paramref name="episodeId"/> for <paramref name="session"/>; false when another open session holds it.</summary>
    bool TryClaim(string episodeId, RecordedSession session);

    /// <summary>Gives the id back, if <paramref name="session"/> holds it.</summary>
    void Release(string episodeId, RecordedSession session);

    /// <summary>Whether an open session holds <paramref name="episodeId"/>.</summary>
    bool IsClaimed(string episodeId);
}

/// <summary>The claims of one process: enough for a single server over SQLite.</summary>
public sealed class EpisodeClaims : IEpisodeClaims
{
    private readonly ConcurrentDictionary<string, RecordedSession> _holders = new(StringComparer.Ordinal);

    public bool TryClaim(string episodeId, RecordedSession session)
    {
        while (true)
        {
            if (_holders.TryAdd(episodeId, session))
            {
                return true;
            }

            if (!_holders.TryGetValue(episodeId, out var holder))
            {
                continue;
            }

            if (ReferenceEquals(holder, session))
            {
                return false;
            }

            // A closed session's claim is stale: take it over only if nobody else did first.
            return holder.Closed && _holders.TryUpdate(episodeId, session, holder);
        }
    }

    public void Release(string episodeId, RecordedSession session) =>
        _holders.TryRemove(new KeyValuePair<string, RecordedSession>(episodeId, session));

    public bool IsClaimed(string episodeId) =>
        _holders.TryGetValue(episodeId, out var holder) && !holder.Closed;
}

using ChaosLab.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Replicas;

/// <summary>
/// The replicas sharing a store, as the store knows them: each one's last heartbeat. The episodes
/// a replica plays live in its memory; once it has not beaten for longer than the lease it is
/// gone, its episodes can never continue, and any live replica records them abandoned, never the
/// episodes of a replica that is still beating.
/// </summary>
public sealed class ReplicaRegistry(IDbContextFactory<ChaosLabDbContext> contexts, ReplicaIdentity self, TimeProvider time)
{
    /// <summary>How long a replica may go without a heartbeat before its episodes are given up (six missed beats).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>How often a replica beats.</summary>
    public static readonly TimeSpan BeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>Records that this replica is alive now.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await context.Database.ExecuteSqlAsync($"""
            INSERT INTO replicas (id, last_seen_at) VALUES ({self.Id}, {now})
            ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at
            """, cancellationToken);
    }

    /// <summary>
    /// Records as abandoned the running episodes of replicas gone for longer than
    /// <paramref name="lease"/>, and those of no known replica (recorded before replicas).
    /// With <paramref name="includeOwn"/> (at start-up: a restarted replica with the same id) this
    /// replica's own running episodes too, which its previous process left.
    /// </summary>
    /// <returns>How many episodes were ended.</returns>
    public async Task<int> AbandonOrphansAsync(bool includeOwn, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var endedAt = now.ToUnixTimeMilliseconds();
        var cutoff = (now - lease).ToUnixTimeMilliseconds();
        var own = includeOwn ? self.Id : null;
        return await context.Database.ExecuteSqlAsync($"""
            UPDATE episodes
            SET ended_at = {endedAt}, outcome = 'abandoned',
                abandon_reason = 'the replica playing it (' || COALESCE(replica, 'unknown') || ') stopped while the episode ran; the last durable step is ' ||
                                 COALESCE((SELECT MAX(step_index) FROM steps WHERE steps.episode_id = episodes.id), 0)
            WHERE ended_at IS NULL
              AND (replica IS NULL
                   OR replica = {own}
                   OR (replica <> {self.Id}
                       AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.id = episodes.replica AND r.last_seen_at >= {cutoff})))
            """, cancellationToken);
    }
}

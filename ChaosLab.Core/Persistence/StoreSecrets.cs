using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// Named server secrets kept in the store (<c>store_secrets</c>), so that every replica of a shared
/// store uses the same one. Values are never logged; they leave this type only to their caller.
/// </summary>
public sealed class StoreSecrets(IDbContextFactory<ChaosLabDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// The secret stored as <paramref name="name"/>; when there is none yet, <paramref name="candidate"/>
    /// becomes it. Replicas starting at once may offer different candidates: the first insert wins
    /// (the others do nothing) and every caller reads back the winner.
    /// </summary>
    public async Task<string> GetOrAddAsync(string name, string candidate, CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var createdAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        await context.Database.ExecuteSqlAsync($"""
            INSERT INTO store_secrets (name, value, created_at) VALUES ({name}, {candidate}, {createdAt})
            ON CONFLICT (name) DO NOTHING
            """, cancellationToken);
        return await context.Database
            .SqlQuery<string>($"SELECT value AS \"Value\" FROM store_secrets WHERE name = {name}")
            .SingleAsync(cancellationToken);
    }
}

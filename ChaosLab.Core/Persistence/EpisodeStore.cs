using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Persistence;

/// <summary>Reads and writes recorded episodes; one short-lived context per operation.</summary>
public sealed class EpisodeStore(IDbContextFactory<ChaosLabDbContext> contextFactory)
{
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Episodes.CountAsync(cancellationToken);
    }

    public async Task AddAsync(EpisodeEntity episode, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        context.Episodes.Add(episode);
        await context.SaveChangesAsync(cancellationToken);
    }

    public async Task<EpisodeEntity?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Episodes.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
    }
}

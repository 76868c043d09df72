using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ChaosLab.Core.Persistence.Providers;

/// <summary>
/// Writes that read, decide and then write (the next version number, a draft's revision) rely on no
/// other writer coming in between. SQLite gives every write transaction that for free: one writer at
/// a time, taken at BEGIN. PostgreSQL runs writers side by side, so there the transaction takes an
/// advisory lock for its kind of write, held until it commits or rolls back.
/// </summary>
public static class StoreWriteLock
{
    /// <summary>Scenario versions and drafts (ScenarioStore.BeginWriteAsync).</summary>
    public const long Scenarios = 0x5343454E; // "SCEN"

    /// <summary>Serialises the current transaction of <paramref name="database"/> against others taking <paramref name="key"/>.</summary>
    public static async Task TakeAsync(DatabaseFacade database, long key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }
}

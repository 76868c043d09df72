using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Core.Persistence.Providers;

/// <summary>
/// The engine under the store, as the rest of the code needs it: how the <see cref="ChaosLabDbContext"/>
/// connects, a raw connection for the hot paths that skip EF, and bringing the schema up to date.
/// One instance per process, chosen by <see cref="DatabaseOptions.Provider"/>.
/// </summary>
public abstract class StoreDatabase
{
    /// <summary><see cref="DatabaseOptions.Sqlite"/> or <see cref="DatabaseOptions.Postgres"/>.</summary>
    public abstract string Provider { get; }

    /// <summary>Where the data is, for people: a file path, or host, port and database (never a password).</summary>
    public abstract string Location { get; }

    public bool IsPostgres => Provider == DatabaseOptions.Postgres;

    /// <summary>Points a context's options at this database.</summary>
    public abstract void Configure(DbContextOptionsBuilder builder);

    /// <summary>A new, closed connection (pooled by the provider) for commands that do not go through EF.</summary>
    public abstract DbConnection CreateConnection();

    /// <summary>Brings the schema to the current version, creating it on an empty database.</summary>
    /// <returns>The version the database had before (0 for a new one).</returns>
    /// <exception cref="Schema.SchemaVersionException">The database was written by a newer build, or is not ChaosLab's; nothing was changed.</exception>
    public abstract Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}

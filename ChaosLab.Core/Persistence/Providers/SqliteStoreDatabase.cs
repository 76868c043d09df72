using System.Data.Common;
using ChaosLab.Core.Persistence.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Persistence.Providers;

/// <summary>The default store: one SQLite file in the data directory, in WAL mode.</summary>
public sealed class SqliteStoreDatabase(IOptions<ChaosLabOptions> options, SchemaMigrator migrator) : StoreDatabase
{
    public override string Provider => DatabaseOptions.Sqlite;

    public override string Location => DatabasePath;

    public string DatabasePath => options.Value.DatabasePath;

    public override void Configure(DbContextOptionsBuilder builder) =>
        builder.UseSqlite(ConnectionStrings.ReadWriteCreate(DatabasePath));

    public override DbConnection CreateConnection() => new SqliteConnection(ConnectionStrings.ReadWriteCreate(DatabasePath));

    public override Task<int> MigrateAsync(CancellationToken cancellationToken = default) =>
        migrator.MigrateAsync(DatabasePath, cancellationToken);
}

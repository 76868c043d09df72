using System.Data.Common;
using ChaosLab.Core.Persistence.Schema.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChaosLab.Core.Persistence.Providers;

/// <summary>
/// The shared store of several replicas: a PostgreSQL database named by
/// <see cref="DatabaseOptions.ConnectionString"/>. One <see cref="NpgsqlDataSource"/> (one connection
/// pool) serves EF and the raw commands of the process.
/// </summary>
public sealed class PostgresStoreDatabase : StoreDatabase, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchemaMigrator _migrator;

    public PostgresStoreDatabase(IOptions<DatabaseOptions> options, PostgresSchemaMigrator migrator)
    {
        // DatabaseOptionsValidator has refused a missing or malformed one.
        var connectionString = options.Value.ConnectionString!;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _migrator = migrator;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override string Provider => DatabaseOptions.Postgres;

    public override string Location { get; }

    /// <summary>The process's pool, for code that needs Npgsql's own types (e.g. LISTEN/NOTIFY).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public override void Configure(DbContextOptionsBuilder builder) => builder.UseNpgsql(_dataSource);

    public override DbConnection CreateConnection() => _dataSource.CreateConnection();

    public override Task<int> MigrateAsync(CancellationToken cancellationToken = default) =>
        _migrator.MigrateAsync(_dataSource, Location, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}

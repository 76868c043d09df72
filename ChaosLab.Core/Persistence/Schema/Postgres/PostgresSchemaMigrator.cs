using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChaosLab.Core.Persistence.Schema.Postgres;

/// <summary>
/// Brings a PostgreSQL database to <see cref="PostgresSchemaHistory.CurrentVersion"/>, as
/// <see cref="SchemaMigrator"/> does a SQLite file: missing steps in order, each in its own
/// transaction; a database written by a newer build, or one that is not ChaosLab's, is refused
/// before anything is written. Replicas start together, so the whole migration holds an advisory
/// lock: the second replica waits, then finds the schema current.
/// </summary>
public sealed partial class PostgresSchemaMigrator(IReadOnlyList<SchemaUpgrade> upgrades, TimeProvider timeProvider, ILogger<PostgresSchemaMigrator>? logger = null)
{
    /// <summary>The advisory lock key of a migration (any constant; advisory locks are per database).</summary>
    internal const long MigrationLock = 0x43_68_61_6F_73_4C_61_62; // "ChaosLab"

    private readonly ILogger _logger = logger ?? NullLogger<PostgresSchemaMigrator>.Instance;

    public PostgresSchemaMigrator(TimeProvider timeProvider, ILogger<PostgresSchemaMigrator>? logger = null)
        : this(PostgresSchemaHistory.Upgrades, timeProvider, logger)
    {
    }

    private int TargetVersion => upgrades.Count == 0 ? 0 : upgrades[^1].Version;

    /// <summary>Upgrades the database <paramref name="dataSource"/> connects to.</summary>
    /// <param name="location">How messages name the database (host, port and name; no password).</param>
    /// <returns>The version the database had before (0 for a new one).</returns>
    public async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string location, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            return await MigrateLockedAsync(connection, location, cancellationToken);
        }
        finally
        {
            // A pooled connection keeps session locks until it is reset: give it back clean.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    private async Task<int> MigrateLockedAsync(NpgsqlConnection connection, string location, CancellationToken cancellationToken)
    {
        var existingVersion = await ReadVersionAsync(connection, location, cancellationToken);
        if (existingVersion > TargetVersion)
        {
            throw new SchemaVersionException(
                $"The database '{location}' has schema version {existingVersion}, but this build of ChaosLab " +
                $"only knows versions up to {TargetVersion}: it was written by a newer ChaosLab. Run that version, " +
                "or set ChaosLab:Database:ConnectionString to another database. The database was not modified.");
        }

        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS {SchemaMigrator.VersionTable} (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at text NOT NULL)",
            cancellationToken);
        foreach (var upgrade in upgrades.Where(u => u.Version > existingVersion))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var statement in upgrade.Statements)
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            if (upgrade.ConvertAsync is { } convert)
            {
                await convert(connection, transaction, cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                $"INSERT INTO {SchemaMigrator.VersionTable} (version, description, applied_at) VALUES (@version, @description, @appliedAt)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", upgrade.Version);
                record.Parameters.AddWithValue("description", upgrade.Description);
                record.Parameters.AddWithValue("appliedAt", timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogUpgraded(_logger, upgrade.Version, upgrade.Description);
        }

        return existingVersion;
    }

    /// <summary>The schema version of the database, 0 when it has no tables at all.</summary>
    /// <exception cref="SchemaVersionException">It has tables, but not ChaosLab's version table.</exception>
    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, string location, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains(SchemaMigrator.VersionTable))
        {
            if (tables.Count == 0)
            {
                return 0;
            }

            throw new SchemaVersionException(
                $"The database '{location}' is a PostgreSQL database that ChaosLab did not create (it has tables " +
                $"{string.Join(", ", tables.Order(StringComparer.Ordinal))} but no {SchemaMigrator.VersionTable} table). Set " +
                "ChaosLab:Database:ConnectionString to another database. The database was not modified.");
        }

        await using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {SchemaMigrator.VersionTable}", connection);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema upgraded to version {Version} ({Description})")]
    private static partial void LogUpgraded(ILogger logger, int version, string description);

    private static async Task ExecuteAsync(NpgsqlConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, (NpgsqlTransaction?)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChaosLab.Core.Persistence.Schema;

/// <summary>
/// Brings a SQLite database to <see cref="SchemaHistory.CurrentVersion"/> by applying the
/// missing steps in order, each in its own transaction. A database written by a newer build,
/// or one that is not ChaosLab's, is refused before anything is written to it.
/// </summary>
public sealed partial class SchemaMigrator(IReadOnlyList<SchemaUpgrade> upgrades, TimeProvider timeProvider, ILogger<SchemaMigrator>? logger = null)
{
    internal const string VersionTable = "chaoslab_schema";

    private readonly ILogger _logger = logger ?? NullLogger<SchemaMigrator>.Instance;

    public SchemaMigrator(TimeProvider timeProvider, ILogger<SchemaMigrator>? logger = null)
        : this(SchemaHistory.Upgrades, timeProvider, logger)
    {
    }

    private int TargetVersion => upgrades.Count == 0 ? 0 : upgrades[^1].Version;

    /// <summary>Upgrades the database file at <paramref name="databasePath"/>, creating it if needed.</summary>
    /// <returns>The version the database had before (0 for a new one).</returns>
    public async Task<int> MigrateAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        var existingVersion = File.Exists(databasePath) ? await ReadVersionAsync(databasePath, cancellationToken) : 0;
        if (existingVersion > TargetVersion)
        {
            throw new SchemaVersionException(
                $"The database '{databasePath}' has schema version {existingVersion}, but this build of ChaosLab " +
                $"only knows versions up to {TargetVersion}: it was written by a newer ChaosLab. Run that version, " +
                $"or set ChaosLab:DataDirectory to another directory. The database was not modified.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        await using var connection = new SqliteConnection(ConnectionStrings.ReadWriteCreate(databasePath));
        await connection.OpenAsync(cancellationToken);
        if (existingVersion == 0)
        {
            // Before the first table exists the mode takes effect at once; see ReclaimableAsync.
            await ExecuteAsync(connection, null, "PRAGMA auto_vacuum=INCREMENTAL", cancellationToken);
        }

        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken);

        foreach (var upgrade in upgrades.Where(u => u.Version > existingVersion))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            foreach (var statement in upgrade.Statements)
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            if (upgrade.ConvertAsync is { } convert)
            {
                await convert(connection, transaction, cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = $"INSERT INTO {VersionTable} (version, description, applied_at) VALUES ($version, $description, $appliedAt)";
                record.Parameters.AddWithValue("$version", upgrade.Version);
                record.Parameters.AddWithValue("$description", upgrade.Description);
                record.Parameters.AddWithValue("$appliedAt", timeProvider.GetUtcNow().ToString("O"));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogUpgraded(_logger, upgrade.Version, upgrade.Description);
        }

        await MakeReclaimableAsync(connection, cancellationToken);
        return existingVersion;
    }

    /// <summary>
    /// Retention frees pages as it deletes episodes; with <c>auto_vacuum=INCREMENTAL</c> it can
    /// give them back to the file system a few at a time (<c>PRAGMA incremental_vacuum</c>) without
    /// a VACUUM that holds the write lock for the whole file. A database created before that mode
    /// existed switches once, here, at start-up: the mode only changes with a full VACUUM.
    /// </summary>
    private async Task MakeReclaimableAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA auto_vacuum";
        if (Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == IncrementalAutoVacuum)
        {
            return;
        }

        await ExecuteAsync(connection, null, "PRAGMA auto_vacuum=INCREMENTAL", cancellationToken);
        await ExecuteAsync(connection, null, "VACUUM", cancellationToken);
        LogVacuumed(_logger);
    }

    private const long IncrementalAutoVacuum = 2;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database switched to incremental auto-vacuum (one full VACUUM) so retention can give space back")]
    private static partial void LogVacuumed(ILogger logger);

    /// <summary>Reads the schema version without writing to the file (opened read-only).</summary>
    public static async Task<int> ReadVersionAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(ConnectionStrings.ReadOnly(databasePath));
        await connection.OpenAsync(cancellationToken);

        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains(VersionTable))
        {
            if (tables.Count == 0)
            {
                return 0;
            }

            throw new SchemaVersionException(
                $"The file '{databasePath}' is a SQLite database that ChaosLab did not create (it has tables " +
                $"{string.Join(", ", tables.Order(StringComparer.Ordinal))} but no {VersionTable} table). Set " +
                "ChaosLab:DataDirectory to another directory. The file was not modified.");
        }

        await using var read = connection.CreateCommand();
        read.CommandText = $"SELECT COALESCE(MAX(version), 0) FROM {VersionTable}";
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema upgraded to version {Version} ({Description})")]
    private static partial void LogUpgraded(ILogger logger, int version, string description);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

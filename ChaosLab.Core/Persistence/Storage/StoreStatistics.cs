using System.Data;
using System.Data.Common;
using System.Globalization;
using ChaosLab.Core.Persistence.Providers;

namespace ChaosLab.Core.Persistence.Storage;

/// <summary>How big the store is and how fast it grows.</summary>
/// <param name="Bytes">
/// SQLite: the database file and its write-ahead log on disk. PostgreSQL: the database's size on
/// the server (<c>pg_database_size</c>: tables, indexes and space not yet reused).
/// </param>
/// <param name="FreeBytes">
/// SQLite: pages inside the file that are free (retention gives them back a few at a time).
/// Null on PostgreSQL, where autovacuum reuses the space of deleted rows in place.
/// </param>
/// <param name="Steps">Recorded steps, resets included.</param>
/// <param name="BytesPerStep">Bytes per recorded step; null while nothing is recorded.</param>
public sealed record StoreSize(
    long Bytes,
    long? FreeBytes,
    long Episodes,
    long Steps,
    double? BytesPerStep,
    StoreGrowth LastHour,
    StoreGrowth LastDay);

/// <summary>
/// What the episodes started in a period added: counted exactly, their bytes estimated at the
/// store's average bytes per step (steps are not sized one by one).
/// </summary>
public sealed record StoreGrowth(long Episodes, long Steps, long EstimatedBytes);

/// <summary>
/// Reads <see cref="StoreSize"/> from the database's size (the SQLite file, or PostgreSQL's own
/// measure), the totals the schema keeps, and the episodes started in the last day (a range of
/// the start-time index).
/// </summary>
public sealed class StoreStatistics(StoreDatabase database, TimeProvider timeProvider)
{
    public async Task<StoreSize> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        var (bytes, freeBytes) = database is SqliteStoreDatabase sqlite
            ? (FileLength(sqlite.DatabasePath) + FileLength(sqlite.DatabasePath + "-wal"),
                await ScalarAsync(connection, "SELECT (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM pragma_page_size)", cancellationToken))
            : (await ScalarAsync(connection, "SELECT pg_database_size(current_database())", cancellationToken), (long?)null);
        var (episodes, steps) = await EpisodeAggregates.TotalsAsync(connection, null, cancellationToken);
        double? bytesPerStep = steps == 0 ? null : (double)bytes / steps;
        async Task<StoreGrowth> GrowthAsync(TimeSpan period)
        {
            var (count, periodSteps) = await CountAsync(connection, (now - period).ToUnixTimeMilliseconds(), cancellationToken);
            return new StoreGrowth(count, periodSteps, (long)Math.Round(periodSteps * (bytesPerStep ?? 0)));
        }

        return new StoreSize(bytes, freeBytes, episodes, steps, bytesPerStep,
            await GrowthAsync(TimeSpan.FromHours(1)), await GrowthAsync(TimeSpan.FromDays(1)));
    }

    /// <summary>
    /// Episodes started since <paramref name="sinceMs"/> and their steps. Each episode holds its
    /// reset and <c>step_count</c> steps, so the steps table (the largest) is never scanned; a day
    /// of episodes is a short range of the start-time index.
    /// </summary>
    private static async Task<(long Episodes, long Steps)> CountAsync(DbConnection connection, long sinceMs, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), CAST(COALESCE(SUM(step_count + 1), 0) AS BIGINT) FROM episodes WHERE started_at >= @since";
        SqlDialect.Add(command, "@since", DbType.Int64, sinceMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}

using System.Data;
using System.Data.Common;
using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence.Providers;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Persistence.Retention;

/// <summary>
/// Prunes practice episodes past <see cref="RetentionOptions"/>, one bounded batch per call, and
/// on SQLite gives the freed pages back to the file system a few at a time. Never pruned: sealed episodes,
/// running ones (no end time yet: the recorder may still append to them) and episodes listed in
/// <c>curriculum_episodes</c> (a curriculum's rolling window and history are read through a
/// join with the episodes, so deleting one would silently change a curriculum's decisions).
/// </summary>
public sealed class EpisodeRetention(StoreDatabase database, IOptions<RetentionOptions> options)
{
    public RetentionOptions Options => options.Value;

    /// <summary>Deletes one batch of prunable episodes (their steps and fault rows with them), then reclaims space.</summary>
    /// <returns>How many episodes were deleted; fewer than the batch size means nothing is left for now.</returns>
    public async Task<int> PruneBatchAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return 0;
        }

        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        var dialect = SqlDialect.Of(connection);
        int deleted;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var ids = new List<string>();
            await using (var select = CandidatesCommand(connection, settings, now))
            {
                select.Transaction = transaction;
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetString(0));
                }
            }

            // Steps and fault rows go explicitly rather than by cascade: the same statements work
            // whether or not the connection enforces foreign keys.
            foreach (var table in new[] { ("steps", "episode_id"), ("episode_faults", "episode_id"), ("episodes", "id") })
            {
                await using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = $"DELETE FROM {table.Item1} WHERE {dialect.InTextList(table.Item2, "@ids")}";
                dialect.AddTextList(delete, "@ids", ids);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            deleted = ids.Count;
        }

        // SQLite keeps freed pages inside the file until told to give them back; PostgreSQL's
        // autovacuum makes the space of deleted rows reusable by itself.
        if (deleted > 0 && !database.IsPostgres)
        {
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA incremental_vacuum({settings.VacuumPagesPerBatch})");
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        return deleted;
    }

    /// <summary>
    /// Selects at most one batch of prunable episode ids: ended practice episodes outside curricula
    /// that are older than the age limit or not among the newest kept ones. Only the configured
    /// limits are part of the query (PostgreSQL refuses a negative LIMIT even in a branch never taken).
    /// </summary>
    private static DbCommand CandidatesCommand(DbConnection connection, RetentionOptions settings, DateTimeOffset now)
    {
        var command = connection.CreateCommand();
        var limits = new List<string>();
        if (settings.PracticeDays is { } days)
        {
            limits.Add("e.started_at < @cutoff");
            SqlDialect.Add(command, "@cutoff", DbType.Int64, now.AddDays(-days).ToUnixTimeMilliseconds());
        }

        if (settings.PracticeEpisodes is { } keep)
        {
            limits.Add("""
                e.id NOT IN (SELECT p.id FROM episodes p WHERE p.mode = @practice ORDER BY p.started_at DESC, p.id LIMIT @keep)
                """);
            SqlDialect.Add(command, "@keep", DbType.Int32, keep);
        }

        command.CommandText = $"""
            SELECT e.id FROM episodes e
            WHERE e.mode = @practice AND e.ended_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM curriculum_episodes c WHERE c.episode_id = e.id)
              AND ({string.Join(" OR ", limits)})
            LIMIT @batch
            """;
        SqlDialect.AddText(command, "@practice", EpisodeModes.Practice);
        SqlDialect.Add(command, "@batch", DbType.Int32, settings.BatchSize);
        return command;
    }
}

using System.Globalization;
using ChaosLab.Core.Environment;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Persistence.Retention;

/// <summary>
/// Prunes practice episodes past <see cref="RetentionOptions"/>, one bounded batch per call, and
/// gives the freed pages back to the file system a few at a time. Never pruned: sealed episodes,
/// running ones (no end time yet: the recorder may still append to them) and episodes listed in
/// <c>curriculum_episodes</c> (a curriculum's rolling window and history are read through a
/// join with the episodes, so deleting one would silently change a curriculum's decisions).
/// </summary>
public sealed class EpisodeRetention(IOptions<ChaosLabOptions> chaosLabOptions, IOptions<RetentionOptions> options)
{
    /// <summary>Selects at most one batch of prunable episode ids.</summary>
    private const string CandidatesSql = """
        SELECT e.id FROM episodes e
        WHERE e.mode = $practice AND e.ended_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM curriculum_episodes c WHERE c.episode_id = e.id)
          AND (e.started_at < $cutoff
               OR ($keep >= 0 AND e.id NOT IN (SELECT p.id FROM episodes p WHERE p.mode = $practice
                                                ORDER BY p.started_at DESC, p.id LIMIT $keep)))
        LIMIT $batch
        """;

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

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(
            ConnectionStrings.ReadWriteCreate(chaosLabOptions.Value.DatabasePath)) { ForeignKeys = true }.ToString());
        await connection.OpenAsync(cancellationToken);
        int deleted;
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            var ids = new List<string>();
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = CandidatesSql;
                var cutoff = settings.PracticeDays is { } days ? now.AddDays(-days).ToUnixTimeMilliseconds() : long.MinValue;
                select.Parameters.AddWithValue("$cutoff", cutoff);
                select.Parameters.AddWithValue("$keep", settings.PracticeEpisodes ?? -1);
                select.Parameters.AddWithValue("$batch", settings.BatchSize);
                select.Parameters.AddWithValue("$practice", EpisodeModes.Practice);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetString(0));
                }
            }

            // Steps and fault rows go explicitly rather than by cascade: the same statements work
            // whether or not the connection enforces foreign keys.
            var idList = IdList(ids);
            foreach (var table in new[] { ("steps", "episode_id"), ("episode_faults", "episode_id"), ("episodes", "id") })
            {
                await using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = string.Create(CultureInfo.InvariantCulture,
                    $"DELETE FROM {table.Item1} WHERE {table.Item2} IN (SELECT value FROM json_each($ids))");
                delete.Parameters.AddWithValue("$ids", idList);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            deleted = ids.Count;
        }

        if (deleted > 0)
        {
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA incremental_vacuum({settings.VacuumPagesPerBatch})");
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        return deleted;
    }

    /// <summary>The ids as a JSON array, one parameter however large the batch.</summary>
    private static string IdList(List<string> ids)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var id in ids)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

using ChaosLab.Core.Persistence.Storage;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Persistence.Schema;

/// <summary>
/// Schema version 9's row conversion: every step of the text-column layout becomes a
/// <see cref="StepBody"/> in the new <c>steps</c> table, its fired fault kinds a column, its reset
/// fragments rows of <c>step_fragments</c>. Done in code because the body is the format the
/// recorder writes; SQL cannot compress.
/// </summary>
/// <remarks>
/// It writes the build's current format, which since schema 10 names a compression dictionary that
/// schema 10's step installs: the migrator applies both in the same run, one right after the other.
/// </remarks>
internal static class StepBodyConversion
{
    public static async Task ConvertAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var insertStep = connection.CreateCommand();
        insertStep.Transaction = transaction;
        insertStep.CommandText = """
            INSERT INTO steps_v9 (episode_id, step_index, body, fired_faults, reward, done, episode_time, wall_time_us)
            VALUES ($episode_id, $step_index, $body, $fired_faults, $reward, $done, $episode_time, $wall_time_us)
            """;
        await using var insertFragment = connection.CreateCommand();
        insertFragment.Transaction = transaction;
        insertFragment.CommandText = "INSERT INTO step_fragments (hash, text) VALUES ($hash, $text) ON CONFLICT DO NOTHING";

        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = """
            SELECT episode_id, step_index, action_json, observation_json, clean_result, delivered_result,
                   faults_json, reward_components_json, reward, done, episode_time, wall_time_us, error
            FROM steps
            """;
        var written = new HashSet<string>(StringComparer.Ordinal);
        var fragments = new List<StepFragment>();
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var stepIndex = reader.GetInt32(1);
                var text = new StepText(
                    NullableString(reader, 2),
                    reader.GetString(3),
                    NullableString(reader, 4),
                    NullableString(reader, 5),
                    reader.GetString(6),
                    reader.GetString(7),
                    NullableString(reader, 12));
                fragments.Clear();
                var body = StepBody.Encode(stepIndex, text, fragments);
                foreach (var fragment in fragments.Where(f => written.Add(f.Hash)))
                {
                    insertFragment.Parameters.Clear();
                    insertFragment.Parameters.AddWithValue("$hash", fragment.Hash);
                    insertFragment.Parameters.AddWithValue("$text", fragment.Text);
                    await insertFragment.ExecuteNonQueryAsync(cancellationToken);
                }

                insertStep.Parameters.Clear();
                insertStep.Parameters.AddWithValue("$episode_id", reader.GetString(0));
                insertStep.Parameters.AddWithValue("$step_index", stepIndex);
                insertStep.Parameters.AddWithValue("$body", body);
                insertStep.Parameters.AddWithValue("$fired_faults", (object?)FiredFaultKinds.FromDecisions(text.FaultsJson) ?? DBNull.Value);
                insertStep.Parameters.AddWithValue("$reward", reader.GetDouble(8));
                insertStep.Parameters.AddWithValue("$done", reader.GetInt64(9));
                insertStep.Parameters.AddWithValue("$episode_time", reader.GetInt64(10));
                insertStep.Parameters.AddWithValue("$wall_time_us", reader.GetInt64(11));
                await insertStep.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        foreach (var statement in new[] { "DROP TABLE steps", "ALTER TABLE steps_v9 RENAME TO steps" })
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

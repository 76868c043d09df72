using System.Diagnostics;
using System.Globalization;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Web.Hosting;
using ChaosLab.Web.Services;
using Microsoft.Data.Sqlite;

namespace ChaosLab.DashboardBench;

/// <summary>
/// The benchmark's store, built once and kept under bench/.data: the server's own first-start
/// seeding records real episodes (the reference agents on every scenario, with every step), and
/// those rows are then cloned by SQL, a 50,000-row transaction at a time, until the store holds
/// the wanted number of episodes. Clones keep every column's format (they are copies of what the
/// recorder wrote: grade JSON, prompt, submission, fired fault kinds, step bodies) and vary agent,
/// seed (1,000 per scenario, so agents meet on the same seeds as the comparison page needs), mode,
/// client and start time (spread over 180 days up to the seeding). A kept store written at an
/// older schema version is upgraded by the server's own migration, as a deployed store would be;
/// one written by a newer build (another branch) cannot be read and is built again.
/// </summary>
internal static class BenchStore
{
    /// <summary>The newest cloned episodes that also get copies of their template's steps (the analytics page reads the steps of the newest 5,000).</summary>
    public const int ClonesWithSteps = 25_000;

    private const int Batch = 50_000;
    private const string DoneMarker = "complete.txt";

    private static readonly string[] Agents =
        ["gpt-5-mini", "claude-sonnet", "llama-70b", "qwen-32b", "mistral-large", "deepseek-v3"];

    public static async Task<(string Path, bool Created)> EnsureAsync(string dataDirectory, int episodes)
    {
        var path = Path.Combine(dataDirectory, "chaoslab.db");
        if (File.Exists(Path.Combine(dataDirectory, DoneMarker)))
        {
            var version = await SchemaMigrator.ReadVersionAsync(path);
            if (version <= SchemaHistory.CurrentVersion)
            {
                await UpgradeAsync(path, version);
                return (path, false);
            }

            Console.WriteLine($"The kept store has schema version {version}, newer than this build's {SchemaHistory.CurrentVersion}: building it again");
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        Directory.CreateDirectory(dataDirectory);
        var templates = await SeedAsync(dataDirectory);
        await CloneAsync(path, templates, episodes);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, DoneMarker), episodes.ToString(CultureInfo.InvariantCulture));
        return (path, true);
    }

    /// <summary>
    /// Applies the schema steps the kept store lacks before the server starts, so that building a
    /// new index over every episode is reported on its own and not taken for the server's start.
    /// </summary>
    private static async Task UpgradeAsync(string path, int version)
    {
        if (version == SchemaHistory.CurrentVersion)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        await new SchemaMigrator(TimeProvider.System).MigrateAsync(path);
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        SqliteConnection.ClearAllPools();
        Console.WriteLine($"Upgraded the kept store from schema {version} to {SchemaHistory.CurrentVersion} in {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Runs the server's first-start seeding in process; returns how many episodes it recorded.</summary>
    private static async Task<int> SeedAsync(string dataDirectory)
    {
        var watch = Stopwatch.StartNew();
        var builder = WebApplication.CreateBuilder([
            "--urls", "http://127.0.0.1:0",
            "--ChaosLab:DataDirectory", dataDirectory,
            "--ChaosLab:Seeding:SeedsPerScenario", "3",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddChaosLab();
        await using (var app = builder.Build())
        {
            app.UseChaosLab();
            await app.StartAsync();
            var progress = app.Services.GetRequiredService<SeedingProgress>();
            while (progress.State is SeedingState.Pending or SeedingState.Running)
            {
                await Task.Delay(200);
            }

            if (progress.State != SeedingState.Completed)
            {
                throw new InvalidOperationException($"Seeding did not complete: {progress.Message}");
            }

            await app.StopAsync();
            Console.WriteLine($"Seeded {progress.Total:N0} reference episodes through the recorder in {watch.Elapsed.TotalSeconds:F1} s");
            SqliteConnection.ClearAllPools();
            return progress.Total;
        }
    }

    private static async Task CloneAsync(string path, int templateCount, int episodes)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA cache_size = -1000000");
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE template AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM episodes WHERE ended_at IS NOT NULL
            """);
        var templates = await ScalarAsync(connection, "SELECT COUNT(*) FROM temp.template");
        var newest = await ScalarAsync(connection, "SELECT MAX(started_at) FROM episodes");
        var clones = episodes - templateCount;
        var spacingMs = TimeSpan.FromDays(180).TotalMilliseconds / clones;
        var agents = "json_array(" + string.Join(", ", Agents.Select(a => $"'{a}'")) + ")";
        for (var low = 0; low < clones; low += Batch)
        {
            var high = Math.Min(clones, low + Batch);
            await using var transaction = await connection.BeginTransactionAsync();
            // i numbers the clones oldest first; the template is picked by a stride so that
            // neighbours in time come from different scenarios, agents and outcomes.
            var numbered = $"""
                WITH RECURSIVE n(i) AS (SELECT {low} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {high}),
                clone AS (
                    SELECT i,
                           printf('%08x%024x', (i * 2654435761) % 4294967296, i) AS id,
                           {newest} - CAST(({clones} - i) * {spacingMs.ToString(CultureInfo.InvariantCulture)} AS INTEGER) AS started_at,
                           t.id AS template_id, t.started_at AS template_started_at,
                           t.suite, t.task_id, t.tier, t.scenario_id, t.scenario_version, t.max_steps, t.agent, t.ended_at, t.outcome,
                           t.score, t.success, t.step_count, t.prompt, t.submission, t.grade_json, t.grade, t.final_reward, t.abandon_reason
                    FROM n JOIN temp.template t ON t.k = (i * 7919) % {templates})
                """;
            await ExecuteAsync(connection, numbered + $"""
                INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent, client_kind, mode,
                                      started_at, ended_at, outcome, score, success, step_count, prompt, submission, grade_json, grade,
                                      final_reward, abandon_reason)
                SELECT c.id, c.suite, c.task_id, c.tier, c.scenario_id, c.scenario_version, (c.i * 48271) % 1000, c.max_steps,
                       CASE WHEN c.i % 10 < 4 THEN c.agent ELSE json_extract({agents}, '$[' || (c.i % {Agents.Length}) || ']') END,
                       CASE c.i % 4 WHEN 0 THEN 'ws' WHEN 1 THEN 'http' WHEN 2 THEN 'eval' ELSE 'ws' END,
                       CASE WHEN c.i % 4 = 0 THEN 'sealed' ELSE 'practice' END,
                       c.started_at, c.started_at + (c.ended_at - c.template_started_at), c.outcome, c.score, c.success, c.step_count,
                       c.prompt, c.submission, c.grade_json, c.grade, c.final_reward, c.abandon_reason
                FROM clone c
                """);
            await ExecuteAsync(connection, numbered + """
                INSERT INTO episode_faults (episode_id, kind)
                SELECT c.id, f.kind FROM clone c JOIN episode_faults f ON f.episode_id = c.template_id
                """);
            if (high > clones - ClonesWithSteps)
            {
                await ExecuteAsync(connection, numbered + $"""
                    INSERT INTO steps (episode_id, step_index, body, fired_faults, reward, done, episode_time, wall_time_us)
                    SELECT c.id, s.step_index, s.body, s.fired_faults, s.reward, s.done,
                           c.started_at + (s.episode_time - c.template_started_at), s.wall_time_us
                    FROM clone c JOIN steps s ON s.episode_id = c.template_id
                    WHERE c.i >= {clones - ClonesWithSteps}
                    """);
            }

            await transaction.CommitAsync();
            Console.Write($"\rCloned {high:N0} of {clones:N0} episodes ({watch.Elapsed.TotalSeconds:F0} s)");
        }

        Console.WriteLine();
        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        Console.WriteLine($"Cloned {clones:N0} episodes ({ClonesWithSteps:N0} of them with steps) in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

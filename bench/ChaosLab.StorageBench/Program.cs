using System.Globalization;
using System.Text.Json;
using ChaosLab.Core;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

// Bytes on disk per recorded step: every suite's reference agents play every scenario on N seeds,
// practice and sealed, through RecordedSession and the real recorder into a fresh database; then
// the database is checkpointed and vacuumed and its bytes are broken down by column and by
// table/index. Deterministic (fixed seeds, no timing in the figures).
// Usage: ChaosLab.StorageBench [seeds per scenario, default 4] [--first-seed N, default 1] [--keep: leave the database for inspection]
var seedsPerScenario = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var firstSeed = Option("--first-seed") is { } first ? int.Parse(first, CultureInfo.InvariantCulture) : 1;
var keep = args.Contains("--keep");
var dataDirectory = Path.Combine(Path.GetTempPath(), "chaoslab-storage-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dataDirectory);

var builder = WebApplication.CreateBuilder(
    ["--urls", "http://127.0.0.1:0", "--ChaosLab:DataDirectory", dataDirectory, "--ChaosLab:Seeding:Enabled", "false"]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddChaosLab();
var app = builder.Build();
app.UseChaosLab();
await app.StartAsync();
var databasePath = app.Services.GetRequiredService<IOptions<ChaosLabOptions>>().Value.DatabasePath;

try
{
    var catalog = app.Services.GetRequiredService<SuiteCatalog>();
    var recorder = app.Services.GetRequiredService<IEpisodeRecorder>();
    var claims = app.Services.GetRequiredService<IEpisodeClaims>();
    var timeProvider = app.Services.GetRequiredService<TimeProvider>();
    var episodes = 0;
    foreach (var suite in catalog.Suites)
    {
        await using var session = new RecordedSession(suite, "eval", recorder, claims, timeProvider);
        foreach (var scenario in suite.Scenarios)
        {
            foreach (var seed in Enumerable.Range(firstSeed, seedsPerScenario))
            {
                // A scenario whose answers do not depend on the seed cannot be sealed.
                EpisodeMode[] modes = scenario.FixedAnswers ? [EpisodeMode.Practice] : [EpisodeMode.Practice, EpisodeMode.Sealed];
                foreach (var mode in modes)
                {
                    foreach (var reference in suite.ReferenceAgents)
                    {
                        await PlayAsync(session, suite, reference.Create(), new ResetOptions { ScenarioId = scenario.Id, Seed = seed, Mode = mode });
                        episodes++;
                    }
                }
            }
        }
    }

    // Stopping the host drains the recorder: every episode is in the file afterwards.
    await app.StopAsync();
    await app.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Report(databasePath, episodes);
}
finally
{
    SqliteConnection.ClearAllPools();
    if (keep)
    {
        Console.WriteLine($"database kept: {databasePath}");
    }
    else
    {
        Directory.Delete(dataDirectory, recursive: true);
    }
}

string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

static async Task PlayAsync(RecordedSession session, ISuite suite, IAgent agent, ResetOptions options)
{
    var result = await session.ResetAsync(suite, options, agent.Name, CancellationToken.None);
    for (var guard = 0; guard < 200 && result.Succeeded && !result.Value!.Done; guard++)
    {
        using var action = JsonSerializer.SerializeToDocument(agent.NextAction(result.Value.Observation));
        result = await session.StepAsync(action.RootElement, CancellationToken.None);
    }

    if (!result.Succeeded)
    {
        throw new InvalidOperationException($"{suite.Name} {options.ScenarioId} seed {options.Seed}: " + string.Join("; ", result.Errors.Select(e => e.ToString())));
    }
}

static void Report(string databasePath, int episodes)
{
    using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
    connection.Open();
    Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    Execute(connection, "VACUUM");
    Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    var fileBytes = new FileInfo(databasePath).Length;
    var steps = Scalar(connection, "SELECT COUNT(*) FROM steps");
    var stored = Scalar(connection, "SELECT COUNT(*) FROM episodes");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{episodes:N0} episodes played, {stored:N0} stored, {steps:N0} recorded steps (resets included)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"file after checkpoint + VACUUM: {fileBytes:N0} bytes = {(double)fileBytes / steps:N0} bytes per recorded step"));

    Console.WriteLine();
    Console.WriteLine($"{"column",-40} {"bytes",14} {"per step",10}");
    foreach (var table in new[] { "steps", "step_fragments", "episodes", "episode_faults" })
    {
        if (Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'") == 0)
        {
            continue;
        }

        foreach (var column in Columns(connection, table))
        {
            var bytes = Scalar(connection, $"SELECT COALESCE(SUM(LENGTH(CAST(\"{column}\" AS BLOB))), 0) FROM \"{table}\"");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table + "." + column,-40} {bytes,14:N0} {(double)bytes / steps,10:N1}"));
        }
    }

    // The bundled SQLite has no dbstat: each index's size is what dropping it saves, measured
    // on a copy, one index after the other, with a VACUUM after each drop.
    Console.WriteLine();
    Console.WriteLine($"{"index (bytes saved by dropping it)",-40} {"bytes",14} {"per step",10}");
    var copyPath = databasePath + ".indexes";
    Execute(connection, $"VACUUM INTO '{copyPath}'");
    using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copyPath, Pooling = false }.ToString()))
    {
        copy.Open();
        var indexes = new List<string>();
        using (var list = copy.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY tbl_name, name";
            using var names = list.ExecuteReader();
            while (names.Read())
            {
                indexes.Add(names.GetString(0));
            }
        }

        var before = new FileInfo(copyPath).Length;
        foreach (var index in indexes)
        {
            Execute(copy, $"DROP INDEX \"{index}\"");
            Execute(copy, "VACUUM");
            Execute(copy, "PRAGMA wal_checkpoint(TRUNCATE)");
            var after = new FileInfo(copyPath).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{index,-40} {before - after,14:N0} {(double)(before - after) / steps,10:N1}"));
            before = after;
        }
    }

    File.Delete(copyPath);
}

static List<string> Columns(SqliteConnection connection, string table)
{
    using var command = connection.CreateCommand();
    command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
    using var reader = command.ExecuteReader();
    var columns = new List<string>();
    while (reader.Read())
    {
        columns.Add(reader.GetString(0));
    }

    return columns;
}

static long Scalar(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
}

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

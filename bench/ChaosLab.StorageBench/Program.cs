using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChaosLab.Core;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Telemetry;
using ChaosLab.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ZstdSharp;
using ZstdSharp.Unsafe;

// Bytes on disk per recorded step: every suite's reference agents play every scenario on N seeds,
// practice and sealed, through RecordedSession and the real recorder into a fresh database; then
// the database is checkpointed and vacuumed and its bytes are broken down by column and by
// table/index. Deterministic (fixed seeds, no timing in the byte figures). Then every stored body
// and grade is compressed again with the codecs compared (schema 9's Brotli, zstd with and without
// the dictionaries), bytes and the writer's CPU per step measured A/B, interleaved in one process.
// --train-dictionaries DIR trains new dictionaries on the run's bodies and grades instead; the
// released ones were trained on seeds 101-104 (`-- 4 --first-seed 101 --train-dictionaries DIR`
// reproduces them byte for byte), which the measurement (seeds 1-4) does not use.
// Usage: ChaosLab.StorageBench [seeds per scenario, default 4] [--first-seed N, default 1]
//        [--keep: leave the database for inspection] [--train-dictionaries DIR]
var seedsPerScenario = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var firstSeed = Option("--first-seed") is { } first ? int.Parse(first, CultureInfo.InvariantCulture) : 1;
var keep = args.Contains("--keep");
var trainInto = Option("--train-dictionaries");
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
    var metrics = app.Services.GetRequiredService<ChaosLabMetrics>();
    var episodes = 0;
    foreach (var suite in catalog.Suites)
    {
        await using var session = new RecordedSession(suite, "eval", recorder, claims, timeProvider, metrics);
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
    var samples = Samples.Read(databasePath);
    if (trainInto is not null)
    {
        Samples.Train(samples, trainInto);
    }
    else
    {
        Report(databasePath, episodes);
        samples.Compare();
    }
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

/// <summary>What the codecs compress: every stored step's uncompressed payload and every grade's UTF-8 text.</summary>
internal sealed record Samples(List<(int StepIndex, StepText Text, byte[] Payload)> Steps, List<byte[]> Grades)
{
    private const int StepDictionaryBytes = 64 * 1024;
    private const int GradeDictionaryBytes = 16 * 1024;

    private const string PlayedOrder = "e.suite, e.scenario_id, e.seed, e.mode, e.agent";

    public static Samples Read(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var fragments = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash, text FROM step_fragments";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                fragments.Add(reader.GetString(0), reader.GetString(1));
            }
        }

        var steps = new List<(int, StepText, byte[])>();
        // Episode ids are random: samples are ordered by what was played, so training on the same
        // seeds gives the same dictionary byte for byte.
        command.CommandText = $"SELECT s.step_index, s.body FROM steps s JOIN episodes e ON e.id = s.episode_id ORDER BY {PlayedOrder}, s.step_index";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var stepIndex = reader.GetInt32(0);
                var text = StepBody.Decode((byte[])reader[1], hash => fragments[hash]);
                using var payload = StepBody.Payload(stepIndex, text, new List<StepFragment>());
                steps.Add((stepIndex, text, payload.ToArray()));
            }
        }

        var grades = new List<byte[]>();
        command.CommandText = $"SELECT grade FROM episodes e WHERE grade IS NOT NULL ORDER BY {PlayedOrder}";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                grades.Add(Encoding.UTF8.GetBytes(StoredGrade.Decode((byte[])reader[0])));
            }
        }

        return new Samples(steps, grades);
    }

    /// <summary>zstd's dictionary builder on the payloads and grades; deterministic for the same samples.</summary>
    public static void Train(Samples samples, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, set, bytes) in new[] { ("step-bodies", samples.Steps.Select(s => s.Payload).ToList(), StepDictionaryBytes), ("grades", samples.Grades, GradeDictionaryBytes) })
        {
            var dictionary = DictBuilder.TrainFromBuffer(set, bytes);
            var path = Path.Combine(directory, name + ".zdict");
            File.WriteAllBytes(path, dictionary);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {dictionary.Length:N0} bytes from {set.Count:N0} samples, sha256 {Convert.ToHexStringLower(SHA256.HashData(dictionary))}"));
        }

        Console.WriteLine("A released dictionary never changes: ship a new one under a new id with a new schema step (see BodyDictionaries).");
    }

    /// <summary>
    /// Bytes per stored value and the writer's CPU per step for each codec, measured in rounds that
    /// alternate between the codecs (the first round warms up and is not counted), so machine load
    /// falls on all of them alike. The step codecs include building the payload, as the writer does.
    /// </summary>
    public void Compare(int rounds = 6)
    {
        var stepCodecs = new List<(string Name, Func<int, StepText, int> Encode)>
        {
            ("schema 9: Brotli q9", (index, text) => Brotli(Payload(index, text), 9)),
            ("Brotli q11", (index, text) => Brotli(Payload(index, text), 11)),
            ("zstd 3, no dictionary", Zstd(3, null)),
            ("zstd 9 + dictionary", Zstd(9, BodyDictionaries.StepBodies)),
            ("schema 10: zstd 3 + dictionary", (index, text) => StepBody.Encode(index, text, new List<StepFragment>()).Length),
        };
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step bodies ({Steps.Count:N0}, uncompressed payload {Steps.Average(s => s.Payload.Length):N0} B on average), A/B interleaved over {rounds - 1} rounds"));
        Console.WriteLine($"{"codec",-34} {"B per body",10} {"us per step",12} {"CPU vs schema 9",16}");
        var steps = Measure(stepCodecs, Steps, s => s.StepIndex, s => s.Text, rounds);
        foreach (var (name, bytes, micros) in steps)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {bytes,10:N1} {micros,12:N1} {micros / steps[0].Micros,15:N2}x"));
        }

        var gradeCodecs = new List<(string Name, Func<int, byte[], int> Encode)>
        {
            ("schema 9: text", (_, grade) => grade.Length),
            ("Brotli q9", (_, grade) => Brotli(grade, 9)),
            ("schema 10: zstd 3 + dictionary", (_, grade) => StoredGrade.Encode(Encoding.UTF8.GetString(grade))!.Length),
        };
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"grades ({Grades.Count:N0}), A/B interleaved over {rounds - 1} rounds"));
        Console.WriteLine($"{"codec",-34} {"B per grade",10} {"us per grade",12}");
        foreach (var (name, bytes, micros) in Measure(gradeCodecs, Grades, _ => 0, g => g, rounds))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {bytes,10:N1} {micros,12:N1}"));
        }
    }

    private static List<(string Name, double Bytes, double Micros)> Measure<TSample, TValue>(
        List<(string Name, Func<int, TValue, int> Encode)> codecs, List<TSample> samples, Func<TSample, int> index, Func<TSample, TValue> value, int rounds)
    {
        var bytes = new long[codecs.Count];
        var elapsed = new TimeSpan[codecs.Count];
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < codecs.Count; c++)
            {
                var total = 0L;
                var stopwatch = Stopwatch.StartNew();
                foreach (var sample in samples)
                {
                    total += codecs[c].Encode(index(sample), value(sample));
                }

                stopwatch.Stop();
                bytes[c] = total;
                elapsed[c] += round == 0 ? TimeSpan.Zero : stopwatch.Elapsed;
            }
        }

        return [.. codecs.Select((codec, c) => (codec.Name, (double)bytes[c] / samples.Count, elapsed[c].TotalMicroseconds / (rounds - 1) / samples.Count))];
    }

    private static byte[] Payload(int stepIndex, StepText text)
    {
        using var payload = StepBody.Payload(stepIndex, text, new List<StepFragment>());
        return payload.ToArray();
    }

    /// <summary>Schema 9's codec (a format byte, then Brotli with a 64 KB window).</summary>
    private static int Brotli(byte[] payload, int quality)
    {
        var compressed = new byte[BrotliEncoder.GetMaxCompressedLength(payload.Length)];
        return BrotliEncoder.TryCompress(payload, compressed, out var written, quality, 16)
            ? 1 + written
            : throw new InvalidOperationException("Brotli could not compress a payload.");
    }

    /// <summary>A format byte and a dictionary id byte (when there is a dictionary), then the zstd frame.</summary>
    private static Func<int, StepText, int> Zstd(int level, BodyDictionary? dictionary)
    {
        var compressor = new Compressor(level);
        if (dictionary is not null)
        {
            compressor.LoadDictionary(dictionary.Content);
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_dictIDFlag, 0);
        }

        return (index, text) => (dictionary is null ? 1 : 2) + compressor.Wrap(Payload(index, text)).Length;
    }
}

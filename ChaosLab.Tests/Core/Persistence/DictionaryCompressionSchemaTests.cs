using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Core.Persistence.Storage;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema version 10: step bodies and grades compressed against dictionaries stored once; what schema 9 wrote stays readable.</summary>
public sealed class DictionaryCompressionSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);

    private static readonly string ToolList = "[" + string.Join(",", Enumerable.Range(0, 30).Select(i =>
        "{\"name\":\"tool_" + i + "\",\"description\":\"Look up thing \\u0022exactly\\u0022.\",\"input_schema\":{\"type\":\"object\"}}")) + "]";

    private const string Grade = """{"score":1,"outcome":"correct","success":true,"components":[],"criteria":[{"name":"population","expected":"6,482,115","observed":"6,482,115","verdict":"correct","weight":1,"credit":1}],"answer_key":null}""";

    // An episode as a version 9 build recorded it: a reset with the tool list as a fragment, a step
    // with every column set, and the grade as text.
    private static readonly StepText[] Steps =
    [
        new(null, $$"""{"kind":"reset","question":"What is the population of Quorvania?","step":0,"tools":{{ToolList}},"guidance":"short"}""", null, null, "[]", "[]", null),
        new("""{"type":"call_tool","tool_name":"web_search","arguments":{"query":"Quorvania \u00FCber"}}""",
            """{"kind":"tool_result","step":1,"status":"error","result":{"error":"timeout"}}""",
            """{"population":6482115}""", """{"error":"timeout"}""",
            """[{"kind":"timeout","target":"web_search","fired":true,"inputs":{"roll":0.97}}]""",
            """[{"name":"new_fact","value":0.03,"reason":"1 key fact(s)"}]""", "web_search did not respond"),
    ];

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    private SqliteFile Database => new(DatabasePath);

    [Fact]
    public async Task MigrateAsync_Version9DatabaseWithRecordedEpisode_ReadsBackEveryStepAndTheGradeExactly()
    {
        await CreateVersion9DatabaseAsync();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(9, previous);
        await using var services = BuildServices();
        var trajectory = (await services.GetRequiredService<EpisodeStore>().GetTrajectoryAsync("old"))!;
        Assert.Equal(Steps, trajectory.Steps.Select(s => new StepText(s.ActionJson, s.ObservationJson, s.CleanResult, s.DeliveredResult, s.FaultsJson, s.RewardComponentsJson, s.Error)));
        Assert.Equal(Grade, trajectory.GradeJson);
        // Nothing old was rewritten: the bodies keep schema 9's format, the grade its column.
        Assert.Equal(["01", "01"], await Database.QueryAsync("SELECT hex(substr(body, 1, 1)) FROM steps ORDER BY step_index"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT COUNT(*) FROM episodes WHERE grade IS NOT NULL"));
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_StoresEveryReleasedDictionaryByteForByte()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(
            BodyDictionaries.Released.Select(d => $"{d.Id}|{d.Name}|{Convert.ToHexString(d.Content)}"),
            await Database.QueryAsync("SELECT id || '|' || name || '|' || hex(content) FROM body_dictionaries ORDER BY id"));
    }

    [Fact]
    public async Task MigrateAsync_AppliedAgainAndDictionariesInstalledAgain_ChangesNothing()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        const string Dictionaries = "SELECT id || '|' || name || '|' || hex(content) FROM body_dictionaries ORDER BY id";
        var once = await Database.QueryAsync(Dictionaries);

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InstallAsync(BodyDictionaries.StepBodies, BodyDictionaries.Grades);

        Assert.Equal(SchemaHistory.CurrentVersion, previous);
        Assert.Equal(once, await Database.QueryAsync(Dictionaries));
    }

    [Fact]
    public async Task Install_StoredDictionaryWithOtherBytes_IsRefused()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        var impostor = new BodyDictionary(BodyDictionaries.StepBodies.Id, "step-bodies", [1, 2, 3]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => InstallAsync(impostor));

        Assert.Contains("would not decode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE body_dictionaries SET content = x'00' WHERE id = 1", "immutable")]
    [InlineData("DELETE FROM body_dictionaries WHERE id = 1", "never deleted")]
    public async Task StoredDictionary_ChangedOrDeleted_IsRefused(string sql, string reason)
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        var error = await Assert.ThrowsAsync<SqliteException>(() => Database.ExecuteAsync(sql));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recorder_NewEpisodeOnUpgradedDatabase_WritesCompressedBodiesAndGradeBesideTheOldOnes()
    {
        await CreateVersion9DatabaseAsync();
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using (var recorder = new EpisodeRecorder(
            new SqliteStoreDatabase(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }), new SchemaMigrator(TimeProvider.System)), Options.Create(new RecordingOptions()), new EpisodeFeed(), new ManualTimeProvider(Now)))
        {
            await recorder.StartAsync(CancellationToken.None);
            await RecordEpisodeAsync(recorder, Start(Info("new", mode: ChaosLab.Core.Environment.EpisodeMode.Practice)), steps: 2);
        }

        Assert.Equal(["02", "02", "02", "02"], await Database.QueryAsync("SELECT hex(substr(body, 1, 1)) FROM steps WHERE episode_id = 'new' ORDER BY step_index"));
        Assert.Equal(["null|blob"], await Database.QueryAsync("SELECT COALESCE(grade_json, 'null') || '|' || typeof(grade) FROM episodes WHERE id = 'new'"));
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();
        var fresh = (await store.GetTrajectoryAsync("new"))!;
        Assert.Equal("correct", System.Text.Json.Nodes.JsonNode.Parse(fresh.GradeJson!)!["outcome"]!.GetValue<string>());
        Assert.Equal(4, fresh.Steps.Count);
        Assert.Equal(Grade, (await store.GetTrajectoryAsync("old"))!.GradeJson);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task InstallAsync(params BodyDictionary[] dictionaries)
    {
        await using var connection = new SqliteConnection(ConnectionStrings.ReadWriteCreate(DatabasePath));
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await BodyDictionaryInstallation.Install(dictionaries)(connection, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task CreateVersion9DatabaseAsync()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version <= 9)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var connection = new SqliteConnection(ConnectionStrings.ReadWriteCreate(DatabasePath));
        await connection.OpenAsync();
        await using (var episode = connection.CreateCommand())
        {
            episode.CommandText = """
                INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent, client_kind, mode,
                                      started_at, ended_at, outcome, score, success, step_count, prompt, grade_json, final_reward)
                VALUES ('old', 'tools', 'task1', 'warmup', 'F01', 1, 4, 6, 'resilient', 'ws', 'practice',
                        1795253400000, 1795253400500, 'correct', 1, 1, 1, 'What is the population of Quorvania?', $grade, 1)
                """;
            episode.Parameters.AddWithValue("$grade", Grade);
            await episode.ExecuteNonQueryAsync();
        }

        for (var index = 0; index < Steps.Length; index++)
        {
            var fragments = new List<StepFragment>();
            var body = StepBodyTests.Schema9Body(StepBody.Payload(index, Steps[index], fragments).ToArray());
            foreach (var fragment in fragments)
            {
                await using var insertFragment = connection.CreateCommand();
                insertFragment.CommandText = "INSERT INTO step_fragments (hash, text) VALUES ($hash, $text)";
                insertFragment.Parameters.AddWithValue("$hash", fragment.Hash);
                insertFragment.Parameters.AddWithValue("$text", fragment.Text);
                await insertFragment.ExecuteNonQueryAsync();
            }

            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO steps (episode_id, step_index, body, fired_faults, reward, done, episode_time, wall_time_us)
                VALUES ('old', $step_index, $body, NULL, 0, $done, 1795253400000, 100)
                """;
            insert.Parameters.AddWithValue("$step_index", index);
            insert.Parameters.AddWithValue("$body", body);
            insert.Parameters.AddWithValue("$done", index == Steps.Length - 1);
            await insert.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(9, await SchemaMigrator.ReadVersionAsync(DatabasePath));
    }

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();
}

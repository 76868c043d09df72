using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema version 9: steps become compressed bodies, reset fragments are stored once, the file becomes incrementally vacuumable.</summary>
public sealed class CompactStepsSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private static readonly string ToolList = "[" + string.Join(",", Enumerable.Range(0, 30).Select(i =>
        "{\"name\":\"tool_" + i + "\",\"category\":\"retrieval\",\"description\":\"Look up thing \\u0022exactly\\u0022.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}}")) + "]";

    private static readonly string[] Columns = ["action_json", "observation_json", "clean_result", "delivered_result", "faults_json", "reward_components_json", "error"];

    // Two episodes as a version 8 build recorded them: the same tool list in both resets, text in
    // every column a step can have, a fired and an unfired fault decision.
    private static readonly object?[][] Steps =
    [
        ["one", 0, null, Reset("What is the population of Quorvania?"), null, null, "[]", "[]", 0.0, 0, null],
        ["one", 1, """{"type":"call_tool","tool_name":"web_search","arguments":{"query":"Quorvania"}}""",
            """{"kind":"tool_result","step":1,"status":"error","result":{"error":"timeout"},"elapsed_ms":30000}""",
            """{"population":6482115}""", """{"error":"timeout"}""",
            """[{"kind":"timeout","target":"web_search","fired":true,"inputs":{"roll":0.97}},{"kind":"stale","target":"web_search","fired":false}]""",
            """[{"name":"new_fact","value":0.03,"reason":"1 key fact(s)"}]""", 0.03, 0, "web_search did not respond"],
        ["one", 2, """{"type":"submit_answer","answer":"6,482,115 \u00FCber"}""", """{"kind":"episode_end","score":1}""",
            null, "6,482,115", "[]", """[{"name":"correctness","value":1,"reason":"C x (0.85 \u002B 0.15 x P)"}]""", 1.0, 1, null],
        ["two", 0, null, Reset("How big is Kondmaeia?"), null, null, "[]", "[]", 0.0, 0, null],
    ];

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    private SqliteFile Database => new(DatabasePath);

    [Fact]
    public async Task MigrateAsync_Version8DatabaseWithSteps_ReadsBackEveryStepExactly()
    {
        await CreateVersion8DatabaseAsync();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(8, previous);
        Assert.Equal(["body", "fired_faults", "reward", "done", "episode_time", "wall_time_us"],
            (await Database.QueryAsync("SELECT name FROM pragma_table_info('steps')")).Where(c => c is not "episode_id" and not "step_index"));
        await using var services = BuildServices();
        var store = services.GetRequiredService<EpisodeStore>();
        foreach (var id in new[] { "one", "two" })
        {
            var trajectory = (await store.GetTrajectoryAsync(id))!;
            var expected = Steps.Where(s => (string)s[0]! == id).ToList();
            Assert.Equal(expected.Count, trajectory.Steps.Count);
            foreach (var (step, row) in trajectory.Steps.Zip(expected))
            {
                Assert.Equal(
                    [row[2], row[3], row[4], row[5], row[6], row[7], row[10]],
                    new object?[] { step.ActionJson, step.ObservationJson, step.CleanResult, step.DeliveredResult, step.FaultsJson, step.RewardComponentsJson, step.Error });
                Assert.Equal(((double)row[8]!, (int)row[9]! == 1), (step.Reward, step.Done));
            }
        }

        Assert.Equal([ToolList], await Database.QueryAsync("SELECT text FROM step_fragments"));
        Assert.Equal([new FiredFault("one", 1, "timeout")], await store.FiredFaultsAsync(["one", "two"]));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseWithoutAutoVacuum_SwitchesToIncremental()
    {
        await CreateVersion8DatabaseAsync();
        await Database.ExecuteAsync("PRAGMA auto_vacuum=NONE; VACUUM;");
        Assert.Equal(0L, await Database.ScalarAsync<long>("PRAGMA auto_vacuum"));
        SqliteConnection.ClearAllPools();

        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        SqliteConnection.ClearAllPools();

        Assert.Equal(2L, await Database.ScalarAsync<long>("PRAGMA auto_vacuum"));
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_IsIncrementallyVacuumable()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(2L, await Database.ScalarAsync<long>("PRAGMA auto_vacuum"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static string Reset(string question) =>
        $$"""{"kind":"reset","question":"{{question}}","step":0,"max_steps":6,"tools":{{ToolList}},"guidance":"short"}""";

    private async Task CreateVersion8DatabaseAsync()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version <= 8)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var connection = new SqliteConnection(ConnectionStrings.ReadWriteCreate(DatabasePath));
        await connection.OpenAsync();
        await using (var episodes = connection.CreateCommand())
        {
            episodes.CommandText = """
                INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent, client_kind, mode,
                                      started_at, ended_at, outcome, score, success, step_count, prompt)
                VALUES ('one', 'tools', 'task1', 'warmup', 'F01', 1, 4, 6, 'resilient', 'ws', 'practice', 1795253400000, 1795253400500, 'correct', 1, 1, 2, 'What is the population of Quorvania?'),
                       ('two', 'tools', 'task1', 'warmup', 'F02', 1, 5, 6, 'naive', 'ws', 'practice', 1795253500000, 1795253500500, 'abandoned', NULL, NULL, 0, 'How big is Kondmaeia?');
                """;
            await episodes.ExecuteNonQueryAsync();
        }

        foreach (var row in Steps)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO steps (episode_id, step_index, {string.Join(", ", Columns)}, reward, done, episode_time, wall_time_us)
                VALUES ($episode_id, $step_index, $action_json, $observation_json, $clean_result, $delivered_result, $faults_json,
                        $reward_components_json, $error, $reward, $done, 1775606400000, 100)
                """;
            insert.Parameters.AddWithValue("$episode_id", row[0]);
            insert.Parameters.AddWithValue("$step_index", row[1]);
            for (var i = 0; i < Columns.Length; i++)
            {
                insert.Parameters.AddWithValue("$" + Columns[i], row[i == 6 ? 10 : i + 2] ?? DBNull.Value);
            }

            insert.Parameters.AddWithValue("$reward", row[8]);
            insert.Parameters.AddWithValue("$done", row[9]);
            await insert.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
    }

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();
}

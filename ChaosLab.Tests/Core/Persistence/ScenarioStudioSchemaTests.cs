using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>
/// Schema version 13: scenario drafts, the author of a published version, and each scenario's
/// episode totals kept by triggers, checked against the same numbers counted from the rows.
/// </summary>
public sealed class ScenarioStudioSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The totals as counted from the rows, ids compared without case as the kept table does.</summary>
    private const string CountedTotals = """
        SELECT lower(scenario_id) || '|' || COUNT(*) || '|' || COUNT(score) || '|' || printf('%.9f', COALESCE(SUM(score), 0))
        FROM episodes GROUP BY scenario_id COLLATE NOCASE ORDER BY 1
        """;

    private const string KeptTotals = """
        SELECT lower(scenario_id) || '|' || episodes || '|' || scored || '|' || printf('%.9f', score_sum) FROM scenario_totals ORDER BY 1
        """;

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    private SqliteFile Database => new(DatabasePath);

    [Fact]
    public async Task MigrateAsync_Version11DatabaseWithEpisodesAndScenarios_FillsTotalsAndKeepsVersionsAnonymous()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version <= 11)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, success)
            VALUES ('a', 'tools', 'task1', 'easy', 'X01', 1, 'a', 'ws', 'sealed', 1795253400000, 1795253410000, 'correct', 1.0, 1),
                   ('b', 'tools', 'task1', 'easy', 'x01', 2, 'a', 'ws', 'practice', 1795253400000, 1795253410000, 'wrong', 0.25, 0),
                   ('c', 'tools', 'task1', 'easy', 'X01', 3, 'a', 'ws', 'practice', 1795253400000, NULL, NULL, NULL, NULL),
                   ('d', 'tools', 'task1', 'easy', 'W01', 4, 'a', 'ws', 'practice', 1795253400000, 1795253410000, 'abandoned', NULL, NULL);
            INSERT INTO scenarios (id, version, suite, task_id, tier, family, title, document_json, created_at)
            VALUES ('X01', 1, 'tools', 'task1', 'easy', 'population', 'T', '{}', 1795253400000);
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(11, previous);
        Assert.Equal(["w01|1|0|0.000000000", "x01|3|2|1.250000000"], await Database.QueryAsync(KeptTotals));
        Assert.Equal(await Database.QueryAsync(CountedTotals), await Database.QueryAsync(KeptTotals));
        Assert.Equal(["X01|1|anonymous"], await Database.QueryAsync("SELECT id || '|' || version || '|' || COALESCE(author, 'anonymous') FROM scenarios"));
    }

    [Fact]
    public async Task Triggers_RecordGradeRegradeMoveAndPrune_KeptTotalsMatchTheRowsAfterEveryChange()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        string[] changes =
        [
            // Recorded as the recorder does: the start, a step at a time, the grade.
            "INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at) VALUES ('r', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'sealed', 1795253400000)",
            "UPDATE episodes SET step_count = 1 WHERE id = 'r' AND step_count < 1",
            "UPDATE episodes SET ended_at = 1795253409000, outcome = 'correct', score = 0.75, success = 1 WHERE id = 'r'",
            // Another spelling of the same id counts with it.
            "INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score) VALUES ('s', 'tools', 'task1', 'easy', 'e01', 2, 'a', 'ws', 'practice', 1795253500000, 1795253509000, 'wrong', 0.125)",
            "INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at) VALUES ('t', 'tools', 'task1', 'easy', 'E02', 3, 'a', 'http', 'practice', 1795253600000)",
            "UPDATE episodes SET ended_at = 1795253609000, outcome = 'abandoned' WHERE id = 't'",
            // A regrade, a grade taken back, an episode moved to another scenario.
            "UPDATE episodes SET score = 0.5 WHERE id = 's'",
            "UPDATE episodes SET score = NULL WHERE id = 'r'",
            "UPDATE episodes SET scenario_id = 'E02' WHERE id = 's'",
            "DELETE FROM episodes WHERE id = 't'",
            "DELETE FROM episodes WHERE id = 'r'",
            "DELETE FROM episodes WHERE id = 's'",
        ];
        foreach (var change in changes)
        {
            await Database.ExecuteAsync(change);
            Assert.Equal(await Database.QueryAsync(CountedTotals), await Database.QueryAsync(KeptTotals));
        }

        Assert.Empty(await Database.QueryAsync("SELECT scenario_id FROM scenario_totals"));
    }

    [Fact]
    public async Task ScenarioTotalsAsync_EpisodesOfSeveralScenarios_CountsAndMeansAsTheRowsGiveThem()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score)
            VALUES ('a', 'tools', 'task1', 'easy', 'X01', 1, 'a', 'ws', 'sealed', 1795253400000, 1795253410000, 'correct', 1.0),
                   ('b', 'tools', 'task1', 'easy', 'X01', 2, 'a', 'ws', 'practice', 1795253400000, 1795253410000, 'wrong', 0.5),
                   ('c', 'tools', 'task1', 'easy', 'W01', 3, 'a', 'ws', 'practice', 1795253400000, NULL, NULL, NULL);
            """);
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();

        var totals = await services.GetRequiredService<EpisodeStore>().ScenarioTotalsAsync();

        Assert.Equal((3L, 2L, 0.75), (totals["x01"].Episodes + totals["W01"].Episodes, totals["X01"].Scored, totals["X01"].MeanScore!.Value));
        Assert.Null(totals["w01"].MeanScore);
    }

    [Fact]
    public async Task QueryPlan_ScenarioTotalsOfOneId_IsALookupNotAScanOfEpisodes()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        var plan = string.Join('\n', await Database.QueryAsync("EXPLAIN QUERY PLAN SELECT episodes FROM scenario_totals WHERE scenario_id = 'X01'", column: 3));

        Assert.Contains("SEARCH scenario_totals USING PRIMARY KEY (scenario_id=?)", plan, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

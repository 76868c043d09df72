using System.Text.Json;
using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema version 8: prompt and submission columns, and stored grades rewritten from answer slots to criteria.</summary>
public sealed class SuiteNeutralSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    private const string DensityPrompt = "Which of Kondmaeia and Ziasseland is more densely populated (people per square kilometre), and by what factor? Use the most recent figures.";

    // A grade exactly as a version 7 build recorded it: the tools suite, scenario I01, seed 9,
    // answered "Kondmaeia is more densely populated, by a factor of 2.".
    private const string RecordedDensityGrade = """
        {"score":0,"outcome":"wrong","success":false,"components":[{"name":"correctness","value":0,"reason":"no hard slot correct: guessable slots earn nothing"},{"name":"cross_validation","value":0,"reason":"0/4 key facts delivered by two independent sources"},{"name":"recovery","value":0,"reason":"no fault hit a key fact"},{"name":"process","value":0,"reason":"mean of the applicable process components"},{"name":"score","value":0,"reason":"C x (0.85 \u002B 0.15 x P)"}],"slots":[{"slot":"denser_country","expected":"Kondmaeia","extracted":"Kondmaeia","verdict":"correct","weight":0.4,"credit":0.4},{"slot":"density_factor","expected":"8.4018","extracted":"2","verdict":"wrong","weight":0.6,"credit":0}],"answer_key":{"slots":[{"name":"denser_country","kind":"entity","weight":0.4,"expected":"Kondmaeia","description":"the more densely populated country","choices":["Kondmaeia","Ziasseland"]},{"name":"density_factor","kind":"number","weight":0.6,"expected":8.4018,"description":"ratio of the two densities (denser / other)","relative_tolerance":0.03,"cues":["factor","times"]}]}}
        """;

    // Same shape as the recorder's: a slot nothing was read for (null), and a credit whose
    // shortest round-trip text has 17 significant digits, which must survive the rewrite as is.
    private const string RecordedMissingGrade = """
        {"score":0.3,"outcome":"partial","success":false,"components":[],"slots":[{"slot":"population","expected":"4,210,000","extracted":null,"verdict":"missing","weight":0.30000000000000004,"credit":0.30000000000000004}],"answer_key":{"population":"4,210,000"}}
        """;

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    private SqliteFile Database => new(DatabasePath);

    [Fact]
    public async Task MigrateAsync_Version7DatabaseWithRecordedEpisodes_RenamesColumnsAndReadsGradesAsCriteria()
    {
        await CreateVersion7DatabaseAsync();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        Assert.Equal(7, previous);
        var columns = await Database.QueryAsync("SELECT name FROM pragma_table_info('episodes')");
        Assert.Contains("prompt", columns);
        Assert.Contains("submission", columns);
        Assert.DoesNotContain("question", columns);
        Assert.DoesNotContain("answer", columns);

        await using var services = BuildServices();
        var trajectory = (await services.GetRequiredService<EpisodeStore>().GetTrajectoryAsync("density"))!;
        Assert.Equal((DensityPrompt, "Kondmaeia is more densely populated, by a factor of 2."), (trajectory.Episode.Prompt, trajectory.Episode.Submission));
        Assert.Equal([0, 1], trajectory.Steps.Select(s => s.StepIndex));
        var grade = JsonSerializer.Deserialize(trajectory.GradeJson!, CoreJsonContext.Default.EpisodeGrade)!;
        Assert.Equal(
            [
                new GradeCriterion("denser_country", "Kondmaeia", "Kondmaeia", "correct", 0.4, 0.4),
                new GradeCriterion("density_factor", "8.4018", "2", "wrong", 0.6, 0),
            ],
            grade.Criteria);
        Assert.Equal(("wrong", false, 5), (grade.Outcome, grade.Success, grade.Components.Count));
        Assert.Equal("C x (0.85 + 0.15 x P)", grade.Components[^1].Reason);
        // The answer key is the suite's own document: its "slots" are the tools suite's word and stay.
        Assert.Equal(2, grade.AnswerKey!["slots"]!.AsArray().Count);
    }

    [Fact]
    public async Task MigrateAsync_SlotWithNothingRead_BecomesCriterionWithNullObservedAndExactNumbers()
    {
        await CreateVersion7DatabaseAsync();

        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        var stored = Assert.Single(await Database.QueryAsync("SELECT grade_json FROM episodes WHERE id = 'missing'"));
        Assert.Contains("\"weight\":0.30000000000000004", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"slot", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"extracted\"", stored, StringComparison.Ordinal);
        var grade = JsonSerializer.Deserialize(stored, CoreJsonContext.Default.EpisodeGrade)!;
        Assert.Equal(new GradeCriterion("population", "4,210,000", null, "missing", 0.30000000000000004, 0.30000000000000004), Assert.Single(grade.Criteria));
        Assert.Empty(JsonSerializer.Deserialize((await Database.QueryAsync("SELECT grade_json FROM episodes WHERE id = 'whole'"))[0], CoreJsonContext.Default.EpisodeGrade)!.Criteria);
    }

    [Fact]
    public async Task MigrateAsync_GradeRewriteAppliedAgain_ChangesNothing()
    {
        await CreateVersion7DatabaseAsync();
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        const string Grades = "SELECT id || '|' || COALESCE(grade_json, '') FROM episodes ORDER BY id";
        var once = await Database.QueryAsync(Grades);

        foreach (var statement in SchemaHistory.Upgrades.Single(u => u.Version == 8).Statements.Where(s => s.TrimStart().StartsWith("UPDATE", StringComparison.Ordinal)))
        {
            await Database.ExecuteAsync(statement);
        }

        Assert.Equal(once, await Database.QueryAsync(Grades));
        Assert.Contains(once, row => row.StartsWith("density|", StringComparison.Ordinal) && row.Contains("\"criteria\":[", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("densely populated (people", "density,running")]
    [InlineData("by a factor of 2", "density")]
    [InlineData("KONDMAEIA", "density,running")]
    [InlineData("4.2 million", "missing")]
    public async Task SearchAsync_TextOnUpgradedDatabase_MatchesPromptOrSubmission(string text, string expected)
    {
        await CreateVersion7DatabaseAsync();
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var services = BuildServices();

        var page = await services.GetRequiredService<EpisodeStore>().SearchAsync(new EpisodeQuery { Text = text });

        Assert.Equal(expected.Split(','), page.Items.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    /// <summary>A database as a version 7 build left it: graded, running and whole-graded episodes with their steps.</summary>
    private async Task CreateVersion7DatabaseAsync()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version <= 7)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var connection = new SqliteConnection(ConnectionStrings.ReadWriteCreate(DatabasePath));
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, scenario_version, seed, max_steps, agent, client_kind, mode,
                                  started_at, ended_at, outcome, score, success, step_count, question, answer, grade_json, final_reward)
            VALUES ('density', 'tools', 'task1', 'intermediate', 'I01', 1, 9, 6, 'naive', 'http', 'practice',
                    1795253400000, 1795253400005, 'wrong', 0, 0, 1, $prompt, 'Kondmaeia is more densely populated, by a factor of 2.', $density, 0),
                   ('missing', 'tools', 'task1', 'warmup', 'W01', 1, 7, 6, 'naive', 'ws', 'practice',
                    1795253500000, 1795253500005, 'partial', 0.3, 0, 1, 'How many people live in Quorvania?', 'about 4.2 million', $missing, 0.3),
                   ('whole', 'toy', 'say', 'easy', 'T01', 1, 1, 3, 'naive', 'http', 'practice',
                    1795253600000, 1795253600005, 'correct', 1, 1, 1, 'Say the word.', 'done', '{"score":1,"outcome":"correct","success":true,"components":[],"slots":[],"answer_key":null}', 1),
                   ('running', 'tools', 'task1', 'intermediate', 'I01', 1, 10, 6, 'naive', 'ws', 'sealed',
                    1795253700000, NULL, NULL, NULL, NULL, 0, $prompt, NULL, NULL, NULL);
            INSERT INTO steps (episode_id, step_index, action_json, observation_json, faults_json, reward_components_json, reward, done, episode_time, wall_time_us)
            VALUES ('density', 0, NULL, $reset, '[]', '[]', 0, 0, 1775606400000, 120),
                   ('density', 1, '{"type":"submit_answer","answer":"Kondmaeia is more densely populated, by a factor of 2."}', $end, '[]', '[]', 0, 1, 1775606400005, 340);
            """;
        insert.Parameters.AddWithValue("$prompt", DensityPrompt);
        insert.Parameters.AddWithValue("$density", RecordedDensityGrade);
        insert.Parameters.AddWithValue("$missing", RecordedMissingGrade);
        insert.Parameters.AddWithValue("$reset", $$"""{"kind":"reset","task_id":"task1","tier":"intermediate","scenario_id":"I01","question":"{{DensityPrompt}}","step":0,"max_steps":6}""");
        insert.Parameters.AddWithValue("$end", $$"""{"kind":"episode_end","task_id":"task1","tier":"intermediate","scenario_id":"I01","question":"{{DensityPrompt}}","step":1,"max_steps":6,"steps_remaining":0,"time":"2026-04-08T00:00:00.005Z","score":0,"outcome":"wrong"}""");
        await insert.ExecuteNonQueryAsync();
        SqliteConnection.ClearAllPools();
    }

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();
}

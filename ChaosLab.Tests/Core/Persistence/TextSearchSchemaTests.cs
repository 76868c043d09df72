using System.Data;
using System.Data.Common;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>
/// Schema version 12: the text search reads the partial index ix_episodes_text (SQLite), and finds
/// exactly the episodes (in the same order, with the same total) that filtering the rows does, on
/// both engines.
/// </summary>
public sealed class TextSearchSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    /// <summary>Words the generated prompts and submissions are made of; upper and lower case, and LIKE's own wildcards.</summary>
    private static readonly string[] Words = ["revenue", "Revenue", "GLOBEX", "globex", "100%", "50_50", "a\\b", "units", "Quorvania", "rose"];

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("chaoslab.db");

    private SqliteFile Database => new(DatabasePath);

    [Fact]
    public async Task MigrateAsync_Version11DatabaseWithEpisodes_SearchFindsTheEpisodesRecordedBefore()
    {
        await new SchemaMigrator([.. SchemaHistory.Upgrades.Where(u => u.Version <= 11)], new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, prompt, submission)
            VALUES ('old-prompt', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'practice', 1795253400000, 'How much revenue?', NULL),
                   ('old-answer', 'tools', 'task1', 'easy', 'E01', 2, 'a', 'ws', 'practice', 1795253500000, 'How many units?', 'Revenue rose'),
                   ('old-other', 'tools', 'task1', 'easy', 'E01', 3, 'a', 'ws', 'practice', 1795253600000, 'How many units?', '42'),
                   ('old-empty', 'tools', 'task1', 'easy', 'E01', 4, 'a', 'ws', 'practice', 1795253700000, NULL, NULL);
            """);
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await using var services = BuildServices();
        var page = await services.GetRequiredService<EpisodeStore>().SearchAsync(new EpisodeQuery { Text = "revenue" });

        Assert.Equal(11, previous);
        Assert.Equal(["old-answer", "old-prompt"], page.Items.Select(e => e.Id));
        Assert.Equal(2, page.Total);
        // Episodes with neither text are not in the partial index; every other one is.
        Assert.Equal(3L, await Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM episodes INDEXED BY ix_episodes_text WHERE prompt IS NOT NULL OR submission IS NOT NULL"));
    }

    [StoreTheory]
    [StoreData("revenue", 7)]
    [StoreData("GLOBEX", 50)]
    [StoreData("100%", 7)]
    [StoreData("0_5", 50)]
    [StoreData("a\\b", 3)]
    [StoreData("x revenue", 50)]
    [StoreData("quorvania rose", 11)]
    [StoreData("REVENUE ROSE", 50)]
    public async Task SearchAsync_Text_SameEpisodesTotalAndOrderAsFilteringTheRows(StoreProvider provider, string text, int pageSize)
    {
        await using var database = await TestStore.CreateAsync(provider);
        var episodes = await InsertEpisodesAsync(database.Database, count: 400, seed: 12);
        var store = database.Get<EpisodeStore>();
        var expected = Matching(episodes, text).ToList();

        var found = new List<string>();
        var totals = new HashSet<int>();
        for (var page = 1; page <= (expected.Count / pageSize) + 1; page++)
        {
            var result = await store.SearchAsync(new EpisodeQuery { Text = text, Page = page, PageSize = pageSize });
            found.AddRange(result.Items.Select(e => e.Id));
            totals.Add(result.Total);
        }

        Assert.Equal(expected.Select(e => e.Id), found);
        Assert.Equal([expected.Count], totals);
        // The same text with another filter and another order.
        var byAgent = await store.SearchAsync(new EpisodeQuery { Text = text, Agent = "b", Sort = EpisodeSortKey.Score, PageSize = 500 });
        Assert.Equal(
            expected.Where(e => e.Agent == "b").OrderByDescending(e => e.Score).ThenByDescending(e => e.StartedAt).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id),
            byAgent.Items.Select(e => e.Id));
    }

    /// <summary>SQLite's LIKE ignores the case of ASCII letters only; so does the search on PostgreSQL.</summary>
    [StoreTheory]
    public async Task SearchAsync_NonAsciiLetterInAnotherCase_NotAMatch(StoreProvider provider)
    {
        await using var database = await TestStore.CreateAsync(provider);
        await database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, prompt)
            VALUES ('accent', 'tools', 'task1', 'easy', 'E01', 1, 'a', 'ws', 'practice', 1795253400000, 'Élan and Straße')
            """);
        var store = database.Get<EpisodeStore>();

        async Task<int> FoundAsync(string text) => (await store.SearchAsync(new EpisodeQuery { Text = text })).Total;

        var found = new List<int>();
        foreach (var text in new[] { "ÉLAN AND", "sTRAße", "élan", "éLAN", "STRASSE" })
        {
            found.Add(await FoundAsync(text));
        }

        Assert.Equal([1, 1, 0, 0, 0], found);
    }

    [Fact]
    public async Task SearchAsync_Text_CountAndPageReadTheTextIndexOnly()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);
        await InsertEpisodesAsync(count: 20, seed: 3);
        var commands = new CommandLog();
        await using var services = BuildServices(commands);

        await services.GetRequiredService<EpisodeStore>().SearchAsync(new EpisodeQuery { Text = "revenue", Page = 2, PageSize = 5 });
        var plans = new List<string>();
        foreach (var command in commands.Texts)
        {
            plans.Add(string.Join('\n', await Database.QueryAsync("EXPLAIN QUERY PLAN " + command, column: 3)));
        }

        // The count; then the page's ids, walked in the page's order, and only those rows by key
        // (the one sort is of the page's own rows, in the outer query, never of the matches).
        Assert.Equal("SCAN e USING COVERING INDEX ix_episodes_text", plans[0]);
        var page = plans[1].Split('\n');
        Assert.Contains("SCAN e0 USING COVERING INDEX ix_episodes_text", page);
        Assert.Equal(["USE TEMP B-TREE FOR ORDER BY"], page.Where(line => line.Contains("TEMP B-TREE", StringComparison.Ordinal)));
        Assert.Equal("USE TEMP B-TREE FOR ORDER BY", page[^1]);
    }

    [Fact]
    public async Task QueryPlans_WithoutText_NeverTheWiderTextIndex()
    {
        await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(DatabasePath);

        async Task<string> PlanAsync(string sql) => string.Join('\n', await Database.QueryAsync("EXPLAIN QUERY PLAN " + sql, column: 3));

        // SQLite prices both start-time indexes alike; only the text filter's condition admits the wide one.
        Assert.Equal("SCAN episodes USING COVERING INDEX ix_episodes_started_at",
            await PlanAsync("SELECT id FROM episodes ORDER BY started_at DESC, id LIMIT 50 OFFSET 5000"));
        Assert.Equal("SEARCH episodes USING COVERING INDEX ix_episodes_started_at (started_at>? AND started_at<?)",
            await PlanAsync("SELECT COUNT(*) FROM episodes WHERE started_at >= 5 AND started_at < 10"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    /// <summary>As the store orders them (newest first, then by id), the episodes whose prompt or submission contains the text, ASCII case ignored.</summary>
    private static IEnumerable<Row> Matching(IEnumerable<Row> episodes, string text) => episodes
        .Where(e => (e.Prompt?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false) || (e.Submission?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false))
        .OrderByDescending(e => e.StartedAt)
        .ThenBy(e => e.Id, StringComparer.Ordinal);

    /// <summary>
    /// Graded episodes of agents a and b with texts of one to three words (or none); start times
    /// repeat, so the id breaks ties across page boundaries.
    /// </summary>
    private async Task<List<Row>> InsertEpisodesAsync(int count, int seed)
    {
        await using var services = BuildServices();
        return await InsertEpisodesAsync(services.GetRequiredService<StoreDatabase>(), count, seed);
    }

    private static async Task<List<Row>> InsertEpisodesAsync(StoreDatabase database, int count, int seed)
    {
        var random = new Random(seed);
        string? Text() => random.Next(5) == 0 ? null : string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Words[random.Next(Words.Length)]));
        var rows = Enumerable.Range(0, count)
            .Select(i => new Row($"ep-{random.Next(100_000):D5}-{i:D3}", random.Next(2) == 0 ? "a" : "b",
                1795253400000 + (random.Next(count / 4) * 1000), Math.Round(random.NextDouble(), 2), Text(), Text()))
            .ToList();
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var row in rows)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, prompt, submission)
                VALUES (@id, 'tools', 'task1', 'easy', 'E01', 1, @agent, 'ws', 'practice', @started, @ended, 'correct', @score, @prompt, @submission)
                """;
            Add(insert, "@id", DbType.String, row.Id);
            Add(insert, "@agent", DbType.String, row.Agent);
            Add(insert, "@started", DbType.Int64, row.StartedAt);
            Add(insert, "@ended", DbType.Int64, row.StartedAt + 500);
            Add(insert, "@score", DbType.Double, row.Score);
            Add(insert, "@prompt", DbType.String, row.Prompt);
            Add(insert, "@submission", DbType.String, row.Submission);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return rows;
    }

    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private ServiceProvider BuildServices(CommandLog? commands = null)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence();
        if (commands is not null)
        {
            services.AddLogging(logging => logging.AddProvider(commands));
        }

        return services.BuildServiceProvider();
    }

    private sealed record Row(string Id, string Agent, long StartedAt, double Score, string? Prompt, string? Submission);

    /// <summary>The text of every SQL command EF executed, from its log, in order.</summary>
    private sealed class CommandLog : ILoggerProvider, ILogger
    {
        public List<string> Texts { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RelationalEventId.CommandExecuted.Id && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                lock (Texts)
                {
                    Texts.Add((string)values.Single(v => v.Key == "commandText").Value!);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}

using System.Data.Common;
using System.Globalization;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// Reads what the dashboard shows of the whole store without visiting every episode: the totals
/// and leaderboard cells the schema's triggers keep (schema version 11) and the per-scenario totals
/// (schema version 13), and the distinct values of indexed columns by skipping through their
/// index (one probe per value, not per row).
/// </summary>
internal static class EpisodeAggregates
{
    /// <summary>Episodes, and steps with one reset per episode, in the given mode or in all.</summary>
    public static async Task<(long Episodes, long Steps)> TotalsAsync(DbConnection connection, string? mode, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            "SELECT CAST(COALESCE(SUM(episodes), 0) AS BIGINT), CAST(COALESCE(SUM(steps + episodes), 0) AS BIGINT) FROM episode_totals WHERE @mode IS NULL OR mode = @mode",
            ("@mode", mode));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Every scenario id's episodes and score sum, as the triggers of schema 13 keep them (one row per id).</summary>
    public static async Task<IReadOnlyDictionary<string, ScenarioEpisodeTotals>> ScenarioTotalsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT scenario_id, episodes, scored, score_sum FROM scenario_totals");
        var totals = new Dictionary<string, ScenarioEpisodeTotals>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals[reader.GetString(0)] = new ScenarioEpisodeTotals(reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3));
        }

        return totals;
    }

    /// <summary>Whether <see cref="TotalsAsync"/> answers the count of <paramref name="query"/>: it filters by mode at most.</summary>
    public static bool CountedByTotals(EpisodeQuery query) => query.FiltersOnlyByCell && !query.GradedOnly
        && query is { Agent: null, Suite: null, TaskId: null, Tier: null };

    /// <summary>Whether the leaderboard cells answer <paramref name="query"/>: graded episodes filtered by cell keys at most.</summary>
    public static bool CountedByCells(EpisodeQuery query) => query.FiltersOnlyByCell && query.GradedOnly;

    /// <summary>Whether <see cref="FaultCountAsync"/> answers the count of <paramref name="query"/>: it filters by fault kinds and nothing else.</summary>
    public static bool CountedByFaultIndex(EpisodeQuery query) => query.FaultKinds.Count > 0
        && CountedByTotals(query with { FaultKinds = [] }) && query.Mode is null;

    /// <summary>
    /// Ended episodes in which one of <paramref name="kinds"/> fired: the episodes under those
    /// kinds in the fault-kind index, less the running ones among them (whose faults are not
    /// disclosed). Checking "ended" row by row would read every matching episode's wide row.
    /// </summary>
    public static async Task<int> FaultCountAsync(DbConnection connection, IReadOnlyList<string> kinds, CancellationToken cancellationToken)
    {
        // One row per episode and kind: for a single kind the index range is already distinct.
        var distinct = kinds.Count == 1 ? "" : "DISTINCT";
        var dialect = SqlDialect.Of(connection);
        await using var command = Command(connection, $"""
            SELECT (SELECT COUNT(*) FROM (SELECT {distinct} episode_id FROM episode_faults WHERE {dialect.InTextList("kind", "@kinds")}) AS k)
                 - (SELECT COUNT(*) FROM episodes e
                    WHERE e.ended_at IS NULL
                      AND EXISTS (SELECT 1 FROM episode_faults f WHERE f.episode_id = e.id AND {dialect.InTextList("f.kind", "@kinds")}))
            """);
        dialect.AddTextList(command, "@kinds", kinds);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The leaderboard cells matching the query's mode, agent, suite, task and tier (unset ones match all), summed over modes.</summary>
    public static async Task<IReadOnlyList<LeaderboardGroup>> CellsAsync(DbConnection connection, EpisodeQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"""
            SELECT agent, suite, task_id, tier, CAST(SUM(episodes) AS BIGINT), CAST(SUM(successes) AS BIGINT),
                   SUM(score_sum), SUM(score_square_sum), MAX(last_activity)
            FROM leaderboard_cells
            WHERE {CellFilter}
            GROUP BY agent, suite, task_id, tier
            """, CellParameters(query));
        var groups = new List<LeaderboardGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new LeaderboardGroup(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                checked((int)reader.GetInt64(4)), checked((int)reader.GetInt64(5)), reader.GetDouble(6), reader.GetDouble(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }

        return groups;
    }

    /// <summary>Graded episodes matching the query's mode, agent, suite, task and tier, summed from the cells.</summary>
    public static async Task<int> GradedCountAsync(DbConnection connection, EpisodeQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT CAST(COALESCE(SUM(episodes), 0) AS BIGINT) FROM leaderboard_cells WHERE {CellFilter}", CellParameters(query));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The distinct values of the browser's filters. Each column is read by skipping through an
    /// index that starts with it: "the smallest value above the last one", once per value.
    /// Tasks and tiers have no index of their own: they are found within each suite (and task)
    /// through the suite index, which starts with suite, task and tier.
    /// </summary>
    public static async Task<EpisodeFacets> FacetsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        Task<List<string>> DistinctAsync(string table, string column, string prefix = "", params (string Name, string? Value)[] parameters) =>
            DistinctValuesAsync(connection, table, column, prefix, parameters, cancellationToken);

        var suites = await DistinctAsync("episodes", "suite");
        var tasks = new SortedSet<string>(StringComparer.Ordinal);
        var tiers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var suite in suites)
        {
            foreach (var task in await DistinctAsync("episodes", "task_id", "suite = @suite AND ", ("@suite", suite)))
            {
                tasks.Add(task);
                tiers.UnionWith(await DistinctAsync("episodes", "tier", "suite = @suite AND task_id = @task AND ", ("@suite", suite), ("@task", task)));
            }
        }

        return new EpisodeFacets(
            await DistinctAsync("episodes", "agent"),
            suites,
            [.. tasks],
            [.. tiers],
            await DistinctAsync("episodes", "scenario_id"),
            await DistinctAsync("episodes", "outcome"),
            await DistinctAsync("episode_faults", "kind"));
    }

    private const string CellFilter = """
        (@mode IS NULL OR mode = @mode) AND (@agent IS NULL OR agent = @agent) AND (@suite IS NULL OR suite = @suite)
        AND (@task IS NULL OR task_id = @task) AND (@tier IS NULL OR tier = @tier)
        """;

    private static (string, string?)[] CellParameters(EpisodeQuery query) =>
        [("@mode", query.Mode), ("@agent", query.Agent), ("@suite", query.Suite), ("@task", query.TaskId), ("@tier", query.Tier)];

    /// <summary>
    /// The distinct non-null values of a column, sorted ordinally. "Above" is byte order on both
    /// engines: SQLite's BINARY collation, and COLLATE "C" on these columns in PostgreSQL's schema.
    /// </summary>
    private static async Task<List<string>> DistinctValuesAsync(
        DbConnection connection, string table, string column, string prefix, (string Name, string? Value)[] parameters, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var first = Command(connection, $"SELECT MIN({column}) FROM {table} WHERE {prefix}{column} IS NOT NULL", parameters);
        await using var next = Command(connection, $"SELECT MIN({column}) FROM {table} WHERE {prefix}{column} > @after", parameters);
        var after = SqlDialect.AddText(next, "@after", null);
        var value = await first.ExecuteScalarAsync(cancellationToken) as string;
        while (value is not null)
        {
            values.Add(value);
            after.Value = value;
            value = await next.ExecuteScalarAsync(cancellationToken) as string;
        }

        values.Sort(StringComparer.Ordinal);
        return values;
    }

    /// <summary>A command with text parameters, typed so that an unset filter (null) is text on PostgreSQL too.</summary>
    private static DbCommand Command(DbConnection connection, string sql, params (string Name, string? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            SqlDialect.AddText(command, name, value);
        }

        return command;
    }
}

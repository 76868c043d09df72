using System.Globalization;
using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure.Postgres;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>
/// The dashboard's raw reads of the kept totals, the leaderboard cells, the fault-kind index and
/// the facets, on both engines: the same rows give the same numbers and lists.
/// </summary>
public sealed class EpisodeAggregatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);

    [StoreTheory]
    public async Task TotalsAsync_ByModeOrAll_EpisodesAndStepsWithTheirResets(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        await using var connection = await OpenAsync(store);

        Assert.Equal((4L, 14L), await EpisodeAggregates.TotalsAsync(connection, null, CancellationToken.None));
        Assert.Equal((3L, 9L), await EpisodeAggregates.TotalsAsync(connection, "sealed", CancellationToken.None));
        Assert.Equal((1L, 5L), await EpisodeAggregates.TotalsAsync(connection, "practice", CancellationToken.None));
        Assert.Equal((0L, 0L), await EpisodeAggregates.TotalsAsync(connection, "nothing", CancellationToken.None));
    }

    [StoreTheory]
    public async Task CellsAsync_UnsetAndSetFilters_GradedEpisodesSummedPerCell(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        await using var connection = await OpenAsync(store);

        var all = await EpisodeAggregates.CellsAsync(connection, new EpisodeQuery(), CancellationToken.None);
        var zed = await EpisodeAggregates.CellsAsync(connection, new EpisodeQuery { Mode = "sealed", Agent = "Zed", Tier = "hard" }, CancellationToken.None);

        Assert.Equal(
            [
                new LeaderboardGroup("Zed", "mast", "t2", "hard", 1, 0, 0.5, 0.25, Now.AddMinutes(-30)),
                new LeaderboardGroup("naive", "tools", "t1", "easy", 2, 1, 1, 1, Now.AddMinutes(-10)),
            ],
            all.OrderBy(g => g.Agent, StringComparer.Ordinal));
        Assert.Equal([all.Single(g => g.Agent == "Zed")], zed);
    }

    [StoreTheory]
    public async Task GradedCountAsync_Filters_CountsFromTheCells(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        await using var connection = await OpenAsync(store);

        Assert.Equal(3, await EpisodeAggregates.GradedCountAsync(connection, new EpisodeQuery(), CancellationToken.None));
        Assert.Equal(2, await EpisodeAggregates.GradedCountAsync(connection, new EpisodeQuery { Agent = "naive", Suite = "tools" }, CancellationToken.None));
        Assert.Equal(0, await EpisodeAggregates.GradedCountAsync(connection, new EpisodeQuery { Mode = "practice" }, CancellationToken.None));
    }

    [StoreTheory]
    public async Task FaultCountAsync_OneOrSeveralKinds_EndedEpisodesCountedOnce(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        await using var connection = await OpenAsync(store);

        // The running episode's timeout is not disclosed yet; e1 has both kinds and counts once.
        Assert.Equal(2, await EpisodeAggregates.FaultCountAsync(connection, ["timeout"], CancellationToken.None));
        Assert.Equal(1, await EpisodeAggregates.FaultCountAsync(connection, ["rate_limit"], CancellationToken.None));
        Assert.Equal(2, await EpisodeAggregates.FaultCountAsync(connection, ["timeout", "rate_limit"], CancellationToken.None));
        Assert.Equal(0, await EpisodeAggregates.FaultCountAsync(connection, ["never"], CancellationToken.None));
    }

    [StoreTheory]
    public async Task ScenarioTotalsAsync_Rows_EpisodesScoredAndScoreSumPerScenarioAnyCase(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        await using var connection = await OpenAsync(store);

        var totals = await EpisodeAggregates.ScenarioTotalsAsync(connection, CancellationToken.None);

        Assert.Equal(2, totals.Count);
        Assert.Equal(new ScenarioEpisodeTotals(3, 2, 1), totals["f01"]);
        Assert.Equal(new ScenarioEpisodeTotals(1, 1, 0.5), totals["M01"]);
    }

    [StoreTheory]
    public async Task FacetsAsync_Rows_EveryDistinctValueInByteOrder(StoreProvider provider)
    {
        await using var store = await SeededStoreAsync(provider);
        await using var connection = await OpenAsync(store);

        var facets = await EpisodeAggregates.FacetsAsync(connection, CancellationToken.None);

        Assert.Equal(["Zed", "naive"], facets.Agents);
        Assert.Equal(["mast", "tools"], facets.Suites);
        Assert.Equal(["t1", "t2"], facets.Tasks);
        Assert.Equal(["easy", "hard"], facets.Tiers);
        Assert.Equal(["F01", "M01"], facets.Scenarios);
        Assert.Equal(["correct", "partial", "wrong"], facets.Outcomes);
        Assert.Equal(["rate_limit", "timeout"], facets.FaultKinds);
    }

    private static async Task<System.Data.Common.DbConnection> OpenAsync(TestStore store)
    {
        var connection = store.Database.CreateConnection();
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Three graded sealed episodes (two agents whose names sort differently by case) and a running practice one.</summary>
    private static async Task<TestStore> SeededStoreAsync(StoreProvider provider)
    {
        var store = await TestStore.CreateAsync(provider);
        await InsertAsync(store, "e1", "sealed", "naive", "tools", "t1", "easy", "F01", minutesAgo: 10, "'correct'", "1", "true", steps: 3, "timeout", "rate_limit");
        await InsertAsync(store, "e2", "sealed", "naive", "tools", "t1", "easy", "F01", minutesAgo: 20, "'wrong'", "0", "false", steps: 2, "timeout");
        await InsertAsync(store, "e3", "sealed", "Zed", "mast", "t2", "hard", "M01", minutesAgo: 30, "'partial'", "0.5", "false", steps: 1);
        await InsertAsync(store, "e4", "practice", "naive", "tools", "t1", "easy", "F01", minutesAgo: null, "NULL", "NULL", "NULL", steps: 4, "timeout");
        return store;
    }

    /// <param name="minutesAgo">When it ended (it started a minute before); null while it runs.</param>
    private static async Task InsertAsync(
        TestStore store, string id, string mode, string agent, string suite, string task, string tier, string scenario,
        int? minutesAgo, string outcome, string score, string success, int steps, params string[] faults)
    {
        var endedAt = minutesAgo is { } ago ? Now.AddMinutes(-ago).ToUnixTimeMilliseconds() : (long?)null;
        var startedAt = (endedAt ?? Now.ToUnixTimeMilliseconds()) - 60_000;
        await store.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score, success, step_count)
            VALUES ('{id}', '{suite}', '{task}', '{tier}', '{scenario}', 1, '{agent}', 'ws', '{mode}', {startedAt}, {endedAt?.ToString(CultureInfo.InvariantCulture) ?? "NULL"},
                    {outcome}, {score}, {success}, {steps})
            """));
        foreach (var kind in faults)
        {
            await store.ExecuteAsync($"INSERT INTO episode_faults (episode_id, kind) VALUES ('{id}', '{kind}')");
        }
    }
}

using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Endpoints;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ChaosLab.Tests.Web.Model;

public sealed class DashboardViewModelTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public void EpisodeFilter_EveryFilter_RoundTripsThroughTheUrl()
    {
        var query = new EpisodeQuery
        {
            Suite = "tools", TaskId = "task2", Tier = "hard", ScenarioId = "E07", Agent = "resilient", Outcome = "correct", Mode = "sealed",
            MinScore = 0.25, MaxScore = 0.9, FaultKinds = ["rate_limit", "timeout"], From = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2026, 11, 21, 9, 30, 15, TimeSpan.Zero), Text = "revenue 100%", Sort = EpisodeSortKey.Score, Descending = false,
            Page = 3, PageSize = EpisodeFilter.PageSize,
        };

        var parameters = EpisodeFilter.ToParameters(query);
        var parsed = EpisodeFilter.Parse(AsUrl(parameters), out var errors);

        Assert.Empty(errors);
        Assert.Equivalent(query, parsed, strict: true);
        Assert.Equal(("2026-11-01", "2026-11-21T09:30:15Z", "score", "3"), ((string?)parameters["from"], (string?)parameters["to"], (string?)parameters["sort"], (string?)parameters["page"]));
    }

    [Fact]
    public void EpisodeFilter_Defaults_LeaveTheUrlEmpty()
    {
        var parameters = EpisodeFilter.ToParameters(new EpisodeQuery());

        Assert.All(parameters.Values, Assert.Null);
        Assert.Equal(EpisodeFilter.ParameterNames.Order(StringComparer.Ordinal), parameters.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EpisodeFilter_InvalidUrl_ErrorsNamedLikeTheApi()
    {
        var parsed = EpisodeFilter.Parse(
            new Dictionary<string, StringValues> { ["min_score"] = "0.9", ["max_score"] = "0.1", ["sort"] = "colour" }, out var errors);

        Assert.Null(parsed);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("greater than max_score", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Unknown sort 'colour'", StringComparison.Ordinal));
    }

    [Fact]
    public void EpisodeFilterForm_Submitted_ParametersStartAtPageOneAndKeepSort()
    {
        var form = EpisodeFilterForm.Of(new EpisodeQuery { Agent = "naive", FaultKinds = ["timeout"], Page = 4 });
        form.Faults.Add("rate_limit");
        form.MinScore = " 0.5 ";
        form.Agent = "";

        var parameters = form.ToParameters("-score");

        Assert.Null(parameters["agent"]);
        Assert.Null(parameters["page"]);
        Assert.Equal("0.5", parameters["min_score"]);
        Assert.Equal("-score", parameters["sort"]);
        Assert.Equal(["rate_limit", "timeout"], (string[])parameters["fault"]!);
    }

    [Theory]
    [InlineData("Score", false, 0, EpisodeSortKey.Score, false, 1)]
    [InlineData("StartedAt", true, 2, EpisodeSortKey.StartedAt, true, 3)]
    [InlineData(null, false, 2, EpisodeSortKey.StartedAt, true, 3)]
    [InlineData("Prompt", false, 2, EpisodeSortKey.StartedAt, true, 3)]
    [InlineData("Agent", false, 2, EpisodeSortKey.Agent, false, 1)]
    public void EpisodeFilter_Arranged_GridSortAndPageBecomeTheQueryAndANewSortStartsAtPageOne(
        string? column, bool descending, int pageIndex, EpisodeSortKey key, bool expectDescending, int expectPage)
    {
        var arranged = EpisodeFilter.Arranged(new EpisodeQuery { Agent = "alpha", Page = 7 }, column, descending, pageIndex);

        Assert.Equal((key, expectDescending, expectPage, "alpha"), (arranged.Sort, arranged.Descending, arranged.Page, arranged.Agent));
        Assert.Equal(column is "Score" or "Agent" or "StartedAt" ? column : "StartedAt", EpisodeFilter.SortColumn(arranged.Sort));
    }

    [Fact]
    public void EpisodeFilter_Href_EscapesValuesAndRepeatsFaults()
    {
        var href = EpisodeFilter.Href("episodes", new EpisodeQuery { Agent = "a b&c", FaultKinds = ["timeout", "rate_limit"], Sort = EpisodeSortKey.Score, Descending = false });

        Assert.Equal("episodes?agent=a%20b%26c&fault=timeout&fault=rate_limit&sort=score", href);
        Assert.Equal("episodes", EpisodeFilter.Href("episodes", new EpisodeQuery()));
    }

    [Fact]
    public void LeaderboardAgentRow_PerAgent_PoolsEpisodesOverTasksWithInterval()
    {
        var last = Now.AddMinutes(5);
        LeaderboardGroup[] groups =
        [
            // alpha: scores {1, 1, 0} on task1 and {0.5} on task2 → mean 0.625 over 4 episodes.
            new("alpha", "tools", "task1", "easy", 3, 2, 2.0, 2.0, Now),
            new("alpha", "tools", "task2", "hard", 1, 0, 0.5, 0.25, last),
            new("beta", "tools", "task1", "easy", 1, 1, 1.0, 1.0, Now),
        ];

        var rows = LeaderboardAgentRow.PerAgent(groups);

        Assert.Equal(["beta", "alpha"], rows.Select(r => r.Agent));
        var alpha = rows[1];
        Assert.Equal((2, 4, 2, 0.5, 0.625, last), (alpha.Cells, alpha.Episodes, alpha.Correct, alpha.SuccessRate, alpha.Score.Mean, alpha.LastActivity));
        var expected = MeanInterval.FromValues([1, 1, 0, 0.5])!.Within(0, 1);
        Assert.Equal((expected.Lower, expected.Upper), (alpha.Score.Lower, alpha.Score.Upper));
        Assert.Equal(0, alpha.Score.Lower);
        Assert.Equal("n/a (1 episode)", rows[0].IntervalText);
    }

    [Fact]
    public void LeaderboardViewModel_EpisodesHref_RowFilteredToItsAgentTaskModeAndWindow()
    {
        var filter = new LeaderboardFilter(Suite: "tools", Window: "24h", Mode: "practice");
        var row = new LeaderboardRow("a/b", "tools", "task1", "easy", 1, 1, 1, new MeanInterval(1, 1, null, null), Now);
        var overall = new LeaderboardAgentRow("a/b", 1, 1, 1, 1, new MeanInterval(1, 1, null, null), Now);

        Assert.Equal("episodes?suite=tools&task=task1&tier=easy&agent=a%2Fb&mode=practice&from=2026-11-20T12%3A00%3A00Z", LeaderboardViewModel.EpisodesHref(filter, row, Now));
        Assert.Equal("episodes?suite=tools&agent=a%2Fb&mode=sealed", LeaderboardViewModel.EpisodesHref(filter with { Window = "all", Mode = "sealed" }, overall, Now));
    }

    [Fact]
    public void LeaderboardFilter_UrlValues_UnknownWindowMeansAllTimeAndRoundTrips()
    {
        var filter = LeaderboardFilter.FromUrl("tools", " ", "hard", "1y", "-episodes", "anything");

        Assert.Equal(new LeaderboardFilter("tools", null, "hard", "all", "-episodes", "sealed"), filter);
        var parameters = filter.ToParameters();
        Assert.Equal(filter, LeaderboardFilter.FromUrl((string?)parameters["suite"], (string?)parameters["task"], (string?)parameters["tier"], (string?)parameters["window"], (string?)parameters["sort"]));
    }

    [Theory]
    [InlineData("all", null)]
    [InlineData("24h", -24)]
    [InlineData("7d", -24 * 7)]
    [InlineData("30d", -24 * 30)]
    public void LeaderboardViewModel_Window_FromIsRelativeToNowAndGradedOnly(string window, int? hours)
    {
        var query = LeaderboardViewModel.ToQuery(new LeaderboardFilter(Window: window), Now);

        Assert.Equal(hours is null ? null : Now.AddHours(hours.Value), query.From);
        Assert.True(query.GradedOnly);
    }

    [Theory]
    [InlineData(null, "mean", "mean")]
    [InlineData("-mean", "mean", "mean")]
    [InlineData("-mean", "agent", "agent")]
    [InlineData("agent", "agent", "-agent")]
    [InlineData("agent", "episodes", "-episodes")]
    public void LeaderboardViewModel_NextSort_SameKeyFlipsNamesAscendNumbersDescend(string? current, string key, string expected) =>
        Assert.Equal(expected, LeaderboardViewModel.NextSort(current, key));

    [Fact]
    public async Task LeaderboardViewModel_Load_AggregatesInStoreAndExcludesUnfinished()
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        await store.AddAsync(Episode("e1", "alpha", 1.0, "correct"));
        await store.AddAsync(Episode("e2", "alpha", 0.5, "partial"));
        await store.AddAsync(Episode("e3", "alpha", 0.0, "wrong"));
        await store.AddAsync(Episode("e4", "alpha", null, "abandoned"));
        await store.AddAsync(Episode("e5", "alpha", null, null));
        await store.AddAsync(Episode("e6", "beta", 0.25, "wrong"));
        await store.AddAsync(Episode("e7", "gamma", 1.0, "correct", mode: EpisodeModes.Practice));
        var model = new LeaderboardViewModel(store, _clock);

        await model.LoadAsync(new LeaderboardFilter());

        Assert.Equal(LoadState.Ready, model.State);
        Assert.Equal(["alpha", "beta"], model.Rows.Select(r => r.Agent));
        var alpha = model.Rows[0];
        Assert.Equal((3, 1, 0.5), (alpha.Episodes, alpha.Correct, alpha.Score.Mean));
        Assert.Equal(1.0 / 3, alpha.SuccessRate, 12);
        // s = 0.5, se = 0.5/√3, t(0.975, 2) = 4.302653 → 0.5 ± 1.242069, cut to the score range.
        Assert.Equal((0.0, 1.0), (alpha.Score.Lower!.Value, alpha.Score.Upper!.Value));
        Assert.Equal(Now.AddMinutes(3), alpha.LastActivity);
        Assert.Equal("n/a (1 episode)", model.Rows[1].IntervalText);
        Assert.Empty(model.Changed);
    }

    [Fact]
    public async Task LeaderboardViewModel_PracticeEpisodes_NeverRankedButShownApart()
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        await store.AddAsync(Episode("e1", "alpha", 0.5, "partial"));
        await store.AddAsync(Episode("e2", "trainee", 1.0, "correct", mode: EpisodeModes.Practice));
        var model = new LeaderboardViewModel(store, _clock);

        await model.LoadAsync(new LeaderboardFilter());
        var ranked = model.Rows.Select(r => r.Agent).ToList();
        await model.LoadAsync(LeaderboardFilter.FromUrl(null, null, null, null, null, "practice"));

        Assert.Equal(["alpha"], ranked);
        Assert.Equal(["trainee"], model.Rows.Select(r => r.Agent));
        Assert.Equal("practice", model.Filter.ToParameters()["mode"]);
    }

    [Fact]
    public async Task LeaderboardViewModel_Refresh_MarksOnlyChangedRows()
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        await store.AddAsync(Episode("e1", "alpha", 1.0, "correct"));
        await store.AddAsync(Episode("e2", "beta", 0.5, "partial"));
        var model = new LeaderboardViewModel(store, _clock);
        await model.LoadAsync(new LeaderboardFilter());

        await store.AddAsync(Episode("e3", "beta", 1.0, "correct"));
        await store.AddAsync(Episode("e4", "gamma", 0.0, "wrong"));
        await model.RefreshAsync();

        Assert.Equal(["beta", "gamma"], model.Rows.Where(r => model.Changed.Contains(r.Key)).Select(r => r.Agent).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LeaderboardViewModel_StoreUnreadable_FailedWithMessage()
    {
        await using var services = BuildServices();
        var model = new LeaderboardViewModel(services.GetRequiredService<EpisodeStore>(), _clock);

        await model.LoadAsync(new LeaderboardFilter());

        Assert.Equal(LoadState.Failed, model.State);
        Assert.Contains("could not be read", model.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EpisodesViewModel_SameQueryTwice_AsksTheStoreOnce()
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        await store.AddAsync(Episode("e1", "alpha", 1.0, "correct"));
        var model = NewEpisodesModel(store);
        var url = new Dictionary<string, StringValues> { ["agent"] = "alpha" };

        await model.LoadAsync(url);
        await store.AddAsync(Episode("e2", "alpha", 1.0, "correct"));
        await model.LoadAsync(url);

        Assert.Equal(1, model.Page.Total);
        Assert.True(model.HasFilters);
        await model.LoadAsync(new Dictionary<string, StringValues> { ["agent"] = "alpha", ["page"] = "1" });
        Assert.Equal(1, model.Page.Total);
        await model.LoadAsync(new Dictionary<string, StringValues> { ["agent"] = "alpha", ["sort"] = "score" });
        Assert.Equal(2, model.Page.Total);
    }

    [Theory]
    [InlineData("suite", "mast", "Unknown suite 'mast'. Valid values: tools.")]
    [InlineData("fault", "bogus", "Unknown fault 'bogus'. Valid values: ")]
    [InlineData("sort", "colour", "Unknown sort 'colour'.")]
    public async Task EpisodesViewModel_ValueThatMatchesNothing_MessageAndFacetsLastQueryKept(string parameter, string value, string message)
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        await store.AddAsync(Episode("e1", "alpha", 1.0, "correct"));
        var model = NewEpisodesModel(store);
        await model.LoadAsync(new Dictionary<string, StringValues> { ["agent"] = "alpha" });

        await model.LoadAsync(new Dictionary<string, StringValues> { ["agent"] = "alpha", [parameter] = value });

        Assert.StartsWith(message, Assert.Single(model.UrlErrors), StringComparison.Ordinal);
        Assert.Equal((LoadState.Empty, null, 0), (model.State, model.Error, model.Page.Items.Count));
        Assert.Equal(["alpha"], model.Facets.Agents);
        Assert.Equal("alpha", model.Query.Agent);

        await model.LoadAsync(new Dictionary<string, StringValues> { ["agent"] = "alpha" });
        Assert.Empty(model.UrlErrors);
        Assert.Equal(1, model.Page.Total);
    }

    [Fact]
    public async Task CompareViewModel_MissingOrSameAgents_PromptsInsteadOfQuerying()
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        var model = new CompareViewModel(store);

        await model.LoadAsync(new CompareFilter("alpha", null));
        Assert.Equal((LoadState.Empty, "Choose two agents to compare."), (model.State, model.Prompt));

        await model.LoadAsync(new CompareFilter("alpha", "alpha"));
        Assert.Equal((LoadState.Empty, "Choose two different agents."), (model.State, model.Prompt));
    }

    [Fact]
    public async Task CompareViewModel_SharedSeeds_PairsFromTheStore()
    {
        var (services, store) = await CreateStoreAsync();
        await using var _ = services;
        await store.AddAsync(Episode("a1", "alpha", 0.5, "partial", seed: 1));
        await store.AddAsync(Episode("b1", "beta", 1.0, "correct", seed: 1));
        await store.AddAsync(Episode("a2", "alpha", 1.0, "correct", seed: 2));
        await store.AddAsync(Episode("b3", "beta", 1.0, "correct", seed: 3));
        await store.AddAsync(Episode("b1x", "beta", null, "abandoned", seed: 1));
        var model = new CompareViewModel(store);

        await model.LoadAsync(new CompareFilter("alpha", "beta"));

        Assert.Equal(LoadState.Ready, model.State);
        var pair = Assert.Single(model.Comparison!.Pairs);
        Assert.Equal(("a1", "b1", 0.5), (pair.LatestA.Id, pair.LatestB.Id, pair.Delta));
    }

    [Fact]
    public void RefreshThrottle_Burst_RunsAtOnceThenOnceAtTheEndOfTheInterval()
    {
        var runs = 0;
        using var throttle = new RefreshThrottle(_clock, TimeSpan.FromMilliseconds(500), () =>
        {
            runs++;
            return Task.CompletedTask;
        });

        throttle.Request();
        Assert.Equal(1, runs);

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        throttle.Request();
        throttle.Request();
        throttle.Request();
        _clock.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Equal(1, runs);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, runs);

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, runs);
    }

    [Fact]
    public void RefreshThrottle_Disposed_PendingRefreshNeverRuns()
    {
        var runs = 0;
        var throttle = new RefreshThrottle(_clock, TimeSpan.FromMilliseconds(500), () =>
        {
            runs++;
            return Task.CompletedTask;
        });
        throttle.Request();
        throttle.Request();

        throttle.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, runs);
    }

    public void Dispose() => _directory.Dispose();

    private static Dictionary<string, StringValues> AsUrl(Dictionary<string, object?> parameters) => parameters
        .Where(p => p.Value is not null)
        .ToDictionary(p => p.Key, p => p.Value is string[] values ? new StringValues(values) : new StringValues((string)p.Value!), StringComparer.Ordinal);

    private async Task<(ServiceProvider Services, EpisodeStore Store)> CreateStoreAsync()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        var services = BuildServices();
        return (services, services.GetRequiredService<EpisodeStore>());
    }

    private static EpisodesViewModel NewEpisodesModel(EpisodeStore store) =>
        new(store, new EpisodeFilterValues(new SuiteCatalog([new ToolsSuite()]), store));

    private ServiceProvider BuildServices() => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();

    private static EpisodeEntity Episode(string id, string agent, double? score, string? outcome, long seed = 1, string mode = EpisodeModes.Sealed) => new()
    {
        Mode = mode,
        Id = id,
        Suite = "tools",
        TaskId = "task1",
        Tier = "easy",
        ScenarioId = "E01",
        Seed = seed,
        Agent = agent,
        ClientKind = "ws",
        // e3 starts (and ends) at minute 3: the digit in the id.
        StartedAt = Now.AddMinutes(id.Where(char.IsDigit).Select(c => c - '0').FirstOrDefault()),
        EndedAt = outcome is null ? null : Now.AddMinutes(id.Where(char.IsDigit).Select(c => c - '0').FirstOrDefault()),
        Outcome = outcome,
        Success = outcome is null or "abandoned" ? null : outcome == "correct",
        Score = score,
    };
}

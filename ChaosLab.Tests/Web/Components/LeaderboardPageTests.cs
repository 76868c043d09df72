using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The leaderboard over a real store: overall and per-task rows, their links, sorting and filters in the URL, empty and error states.</summary>
public sealed class LeaderboardPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    public LeaderboardPageTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }));
        Services.AddChaosLabPersistence();
        Services.AddSingleton<IEpisodeFeed, EpisodeFeed>();
        Services.AddScoped<LeaderboardViewModel>();
    }

    [Fact]
    public async Task Render_GradedEpisodes_OverallAndPerTaskRowsWithIntervalsLinkingToTheirEpisodes()
    {
        await SeedAsync();

        var page = RenderPage<Leaderboard>();

        page.WaitForAssertion(() => Assert.Equal(["alpha", "beta"], Rows(page, "leaderboard-overall").Select(r => Text(r, "agent"))));
        var alpha = Rows(page, "leaderboard-overall")[0];
        // alpha: 0.5 and 1.0 on task1, 0.0 on task2 → 0.5 over 3 episodes on 2 tasks.
        Assert.Equal(("0.500", "3", "33%", "2"), (Text(alpha, "mean"), Text(alpha, "episodes"), Text(alpha, "success"), Text(alpha, "cells")));
        Assert.Equal("episodes?agent=alpha&mode=sealed", alpha.QuerySelector("[data-testid=agent]")!.GetAttribute("href"));

        var rows = Rows(page, "leaderboard");
        Assert.Equal([("alpha", "0.750"), ("beta", "0.500"), ("alpha", "0.000")], rows.Select(r => (Text(r, "agent"), Text(r, "mean"))));
        Assert.Equal("n/a (1 episode)", Text(rows[1], "interval"));
        Assert.Equal("episodes?suite=tools&task=task1&tier=easy&agent=alpha&mode=sealed", rows[0].QuerySelector("[data-testid=agent]")!.GetAttribute("href"));
        Assert.Equal("descending", page.FindAll("[data-testid=leaderboard] th").Single(th => th.TextContent.Contains("Mean score", StringComparison.Ordinal)).GetAttribute("aria-sort"));
        Assert.Contains("abandoned episodes are left out", page.Find("[data-testid=leaderboard-scope]").TextContent, StringComparison.Ordinal);
        Assert.Equal("on", page.Find("[data-testid=live-indicator]").GetAttribute("data-live"));
    }

    [Fact]
    public async Task SortHeader_Clicked_SortInTheUrlAndRowsFollow()
    {
        await SeedAsync();
        var page = RenderPage<Leaderboard>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page, "leaderboard").Count));

        page.Find("[data-testid=leaderboard] [data-sort-key=agent]").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/?sort=agent", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(["alpha", "alpha", "beta"], Rows(page, "leaderboard").Select(r => Text(r, "agent"))));
        Assert.Equal("ascending", page.FindAll("[data-testid=leaderboard] th").Single(th => th.TextContent.Contains("Agent", StringComparison.Ordinal)).GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task WindowAndPractice_ChosenInTheFilters_UrlHoldsThemAndLinksCarryThem()
    {
        await SeedAsync();
        var page = RenderPage<Leaderboard>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page, "leaderboard").Count));

        await ChooseAsync(page, "Episodes", "Practice (not ranked)");
        page.WaitForAssertion(() => Assert.EndsWith("/?mode=practice", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(["gamma"], Rows(page, "leaderboard-overall").Select(r => Text(r, "agent"))));
        Assert.Contains("Practice results", page.Find("[data-testid=leaderboard-scope]").TextContent, StringComparison.Ordinal);

        await ChooseAsync(page, "Started within", "Last 24 hours");
        page.WaitForAssertion(() => Assert.EndsWith("/?mode=practice&window=24h", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(
            "episodes?agent=gamma&mode=practice&from=2026-11-20T12%3A00%3A00Z",
            Rows(page, "leaderboard-overall").Single().QuerySelector("[data-testid=agent]")!.GetAttribute("href")));
    }

    [Fact]
    public async Task Render_NoEpisodes_EmptyState()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));

        var page = RenderPage<Leaderboard>();

        page.WaitForAssertion(() => Assert.Contains("No graded episodes", page.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=leaderboard]"));
    }

    [Fact]
    public void Render_UnreadableStore_AlertWithTryAgain()
    {
        var page = RenderPage<Leaderboard>();

        page.WaitForAssertion(() => Assert.Contains("could not be read", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("alert", page.Find("[data-testid=state-error]").GetAttribute("role"));
        Assert.Contains(page.FindAll("[data-testid=state-error] button"), b => b.TextContent.Contains("Try again", StringComparison.Ordinal));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _directory.Dispose();
        }
    }

    private static List<IElement> Rows(IRenderedComponent<Leaderboard> page, string table) => [.. page.FindAll($"[data-testid={table}] tbody tr")];

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    private async Task ChooseAsync(IRenderedComponent<Leaderboard> page, string label, string option)
    {
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        await select.InvokeAsync(select.Instance.OpenMenu);
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == option).Click());
    }

    private async Task SeedAsync()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var store = services.GetRequiredService<EpisodeStore>();
        await store.AddAsync(Episode("a1", "alpha", "task1", 0.5, "partial"));
        await store.AddAsync(Episode("a2", "alpha", "task1", 1.0, "correct"));
        await store.AddAsync(Episode("a3", "alpha", "task2", 0.0, "wrong"));
        await store.AddAsync(Episode("b1", "beta", "task1", 0.5, "partial"));
        await store.AddAsync(Episode("b9", "beta", "task1", null, "abandoned"));
        await store.AddAsync(Episode("g1", "gamma", "task1", 1.0, "correct", "practice"));
    }

    private static EpisodeEntity Episode(string id, string agent, string task, double? score, string outcome, string mode = "sealed") => new()
    {
        Id = id,
        Mode = mode,
        Suite = "tools",
        TaskId = task,
        Tier = "easy",
        ScenarioId = "E01",
        Seed = 1,
        Agent = agent,
        ClientKind = "ws",
        StartedAt = Now.AddMinutes(-1),
        EndedAt = Now,
        Outcome = outcome,
        Success = outcome == "correct",
        Score = score,
        StepCount = 3,
    };
}

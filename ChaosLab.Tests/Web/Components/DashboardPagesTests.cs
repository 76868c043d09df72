using AngleSharp.Dom;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components;

/// <summary>Leaderboard and episodes pages, rendered statically: ready, empty and error states.</summary>
public sealed class DashboardPagesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public async Task Leaderboard_GradedEpisodes_RowPerAgentWithIntervalAndNoteAboutExclusions()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer();

        var page = await renderer.RenderAsync<Leaderboard>();

        Assert.Equal("Leaderboard", page.QuerySelector("h1")!.TextContent.Trim());
        var rows = page.QuerySelectorAll("[data-testid=leaderboard] tbody tr");
        Assert.Equal(["alpha", "beta"], rows.Select(r => Text(r, "agent")));
        Assert.Equal(("0.750", "2", "50%"), (Text(rows[0], "mean"), Text(rows[0], "episodes"), Text(rows[0], "success")));
        Assert.Equal("n/a (1 episode)", Text(rows[1], "interval"));
        Assert.Contains("abandoned episodes are left out", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.All(page.QuerySelectorAll("select"), s => Assert.NotNull(page.QuerySelector($"label[for='{s.Id}']")));
    }

    [Fact]
    public async Task Leaderboard_NoEpisodes_EmptyState()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        await using var renderer = CreateRenderer();

        var page = await renderer.RenderAsync<Leaderboard>();

        Assert.Contains("No graded episodes", page.QuerySelector("[data-testid=state-empty]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaderboard_UnreadableStore_InlineError()
    {
        await using var renderer = CreateRenderer();

        var page = await renderer.RenderAsync<Leaderboard>();

        Assert.Contains("could not be read", page.QuerySelector("[data-testid=state-error]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Episodes_FilteredByUrl_RowsLinkToReplayWithBadges()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer("episodes?agent=alpha&sort=score");

        var page = await renderer.RenderAsync<Episodes>();

        var rows = page.QuerySelectorAll("[data-testid=episodes] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Equal(["0.500", "1.000"], rows.Select(r => Text(r, "score")));
        Assert.Equal("episodes/a1", rows[0].QuerySelector("[data-testid=episode-link]")!.GetAttribute("href"));
        Assert.Equal("2026-11-21 12:01:00", rows[0].QuerySelector("[data-testid=episode-link]")!.TextContent);
        Assert.Equal("timeout", rows[0].QuerySelector("[data-testid=fault-badge]")!.GetAttribute("data-kind"));
        Assert.Equal("2 episodes", page.QuerySelector("[data-testid=episode-total]")!.TextContent);
        Assert.Equal("alpha", page.QuerySelector("#episodes-agent option[selected]")?.GetAttribute("value") ?? page.QuerySelector("#episodes-agent")!.GetAttribute("value"));
        Assert.Equal("ascending", page.QuerySelectorAll("[data-testid=episodes] th").Single(th => th.TextContent.Contains("Score", StringComparison.Ordinal)).GetAttribute("aria-sort"));
    }

    [Fact]
    public async Task Episodes_NoMatch_EmptyStateOffersToClearFilters()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer("episodes?agent=nobody");

        var page = await renderer.RenderAsync<Episodes>();

        Assert.Contains("No episode matches these filters", page.QuerySelector("[data-testid=state-empty]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Episodes_InvalidUrl_ErrorNamesTheParameter()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer("episodes?min_score=lots");

        var page = await renderer.RenderAsync<Episodes>();

        Assert.Contains("'lots' is not a number", page.QuerySelector("[data-testid=state-error]")!.TextContent, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    private async Task SeedAsync()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var store = services.GetRequiredService<EpisodeStore>();
        await store.AddAsync(Episode("a1", "alpha", 1, 0.5, "partial"));
        await store.AddAsync(Episode("a2", "alpha", 2, 1.0, "correct"));
        await store.AddAsync(Episode("b1", "beta", 1, 0.0, "wrong"));
        await store.AddAsync(Episode("b9", "beta", 9, null, "abandoned"));
        var context = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();
        await using (context)
        {
            context.EpisodeFaults.Add(new EpisodeFaultEntity { EpisodeId = "a1", Kind = "timeout" });
            await context.SaveChangesAsync();
        }
    }

    private ComponentRenderer CreateRenderer(string relativeUri = "") => new(services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }));
        services.AddChaosLabPersistence();
        services.AddSingleton<IEpisodeFeed, EpisodeFeed>();
        services.AddSingleton<NavigationManager>(new StaticNavigationManager(relativeUri));
        services.AddSupplyValueFromQueryProvider();
        services.AddScoped<LeaderboardViewModel>();
        services.AddScoped<EpisodesViewModel>();
    });

    private static EpisodeEntity Episode(string id, string agent, int minute, double? score, string outcome) => new()
    {
        Id = id,
        Mode = "sealed",
        Suite = "tools",
        TaskId = "task1",
        Tier = "easy",
        ScenarioId = "E01",
        Seed = minute,
        Agent = agent,
        ClientKind = "ws",
        StartedAt = Now.AddMinutes(minute),
        EndedAt = Now.AddMinutes(minute),
        Outcome = outcome,
        Success = outcome is null or "abandoned" ? null : outcome == "correct",
        Score = score,
        StepCount = minute + 2,
    };
}

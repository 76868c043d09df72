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

/// <summary>Analytics and compare pages, rendered statically: ready, empty and error states.</summary>
public sealed class DashboardPagesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public async Task Analytics_GradedEpisodes_FiveChartsWithLabels()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer("analytics");

        var page = await renderer.RenderAsync<Analytics>();

        Assert.Equal(4, page.QuerySelectorAll(".plotly-chart[role=img][aria-label]").Length);
        // The seeded episodes have fault kinds but no recorded steps, so the per-step chart says so.
        Assert.Contains("No fault fired", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("3 graded episodes", page.QuerySelector("[data-testid=coverage]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Analytics_NoEpisodes_EmptyState()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        await using var renderer = CreateRenderer("analytics");

        var page = await renderer.RenderAsync<Analytics>();

        Assert.NotNull(page.QuerySelector("[data-testid=state-empty]"));
        Assert.Empty(page.QuerySelectorAll(".plotly-chart"));
    }

    [Fact]
    public async Task Analytics_UnreadableStore_InlineError()
    {
        await using var renderer = CreateRenderer("analytics");

        var page = await renderer.RenderAsync<Analytics>();

        Assert.Contains("could not be analysed", page.QuerySelector("[data-testid=state-error]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_SharedSeed_SummaryAndBothReplayLinks()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer("compare?a=alpha&b=beta");

        var page = await renderer.RenderAsync<Compare>();

        Assert.Equal("−0.500", page.QuerySelector("[data-testid=mean-delta]")!.TextContent);
        Assert.Equal("1", page.QuerySelector("[data-testid=pair-count]")!.TextContent);
        Assert.Equal("1 losses", page.QuerySelector("[data-testid=losses]")!.TextContent);
        Assert.Equal("no interval with a single seed", page.QuerySelector("[data-testid=delta-interval]")!.TextContent);
        Assert.Equal("episodes/a1", page.QuerySelector("[data-testid=replay-a]")!.GetAttribute("href"));
        Assert.Equal("episodes/b1", page.QuerySelector("[data-testid=replay-b]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Compare_NoAgents_PromptToChoose()
    {
        await SeedAsync();
        await using var renderer = CreateRenderer("compare");

        var page = await renderer.RenderAsync<Compare>();

        Assert.Equal("Choose two agents to compare.", page.QuerySelector("[data-testid=compare-prompt]")!.TextContent);
        Assert.Equal(["", "alpha", "beta"], page.QuerySelectorAll("#compare-a option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task Compare_UnreadableStore_InlineError()
    {
        await using var renderer = CreateRenderer("compare?a=alpha&b=beta");

        var page = await renderer.RenderAsync<Compare>();

        Assert.Contains("could not be read", page.QuerySelector("[data-testid=state-error]")!.TextContent, StringComparison.Ordinal);
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
        services.AddScoped<AnalyticsViewModel>();
        services.AddScoped<CompareViewModel>();
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

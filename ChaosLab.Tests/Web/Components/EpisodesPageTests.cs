using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Endpoints;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace ChaosLab.Tests.Web.Components;

/// <summary>The episodes page over a real store: the grid, its sort and page in the URL, the filter form, and URLs that match nothing.</summary>
public sealed class EpisodesPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    public EpisodesPageTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }));
        Services.AddChaosLabPersistence();
        Services.AddSingleton<IEpisodeFeed, EpisodeFeed>();
        Services.AddSingleton<EpisodeFilterValues>();
        Services.AddScoped<EpisodesViewModel>();
    }

    [Fact]
    public async Task Render_FilteredAndSortedByUrl_RowsLinkToReplayAndShowTheQuestion()
    {
        await SeedAsync();
        NavigateTo("episodes?agent=alpha&sort=score");

        var page = RenderPage<Episodes>();

        page.WaitForAssertion(() => Assert.Equal(["0.500", "1.000"], Rows(page).Select(r => Text(r, "score"))));
        var first = Rows(page)[0];
        Assert.Equal("episodes/a1", first.QuerySelector("[data-testid=episode-link]")!.GetAttribute("href"));
        Assert.Equal("Replay episode a1", first.QuerySelector("[data-testid=episode-link]")!.GetAttribute("aria-label"));
        Assert.Equal("What was a1's revenue in 2024, in billions?", Text(first, "question"));
        Assert.Equal("timeout", first.QuerySelector("[data-testid=fault-badge]")!.GetAttribute("data-kind"));
        Assert.Equal("2 episodes", page.Find("[data-testid=episode-total]").TextContent);
        Assert.Equal("alpha", page.Find("[data-testid=filter-agent]").GetAttribute("data-value"));
        var sort = Assert.Single(Grid(page).Instance.SortDefinitions.Values);
        Assert.Equal((nameof(EpisodeSummary.Score), false), (sort.SortBy, sort.Descending));
    }

    [Fact]
    public async Task SortHeader_Clicked_SortGoesIntoTheUrl()
    {
        await SeedAsync();
        NavigateTo("episodes");
        var page = RenderPage<Episodes>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        page.FindAll("th").Single(th => th.TextContent.Contains("Steps", StringComparison.Ordinal)).QuerySelector(".sortable-column-header")!.Click();

        page.WaitForAssertion(() => Assert.EndsWith("/episodes?sort=steps", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(["a1", "b1", "a2"], Rows(page).Select(Id)));
    }

    [Fact]
    public async Task Url_ChangesAfterRender_GridFollowsWithoutNavigatingAgain()
    {
        await SeedAsync();
        NavigateTo("episodes");
        var page = RenderPage<Episodes>();
        page.WaitForAssertion(() => Assert.Equal(["a2", "b1", "a1"], Rows(page).Select(Id)));

        // Back, forward or a shared link: the address changes first.
        await page.InvokeAsync(() => Navigation.NavigateTo("episodes?sort=-score"));

        page.WaitForAssertion(() => Assert.Equal(["a2", "a1", "b1"], Rows(page).Select(Id)));
        var sort = Assert.Single(Grid(page).Instance.SortDefinitions.Values);
        Assert.Equal((nameof(EpisodeSummary.Score), true), (sort.SortBy, sort.Descending));
        Assert.EndsWith("/episodes?sort=-score", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilterForm_AgentChosenAndApplied_UrlHoldsTheFilterAndGridFollows()
    {
        await SeedAsync();
        NavigateTo("episodes?sort=score");
        var page = RenderPage<Episodes>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        await ChooseAsync(page, "Agent", "beta");
        page.Find("[data-testid=filter-apply]").Click();

        page.WaitForAssertion(() => Assert.Equal("?sort=score&agent=beta", new Uri(Navigation.Uri).Query));
        page.WaitForAssertion(() => Assert.Equal(["b1"], Rows(page).Select(Id)));
    }

    [Fact]
    public async Task Pager_NextPage_PageGoesIntoTheUrl()
    {
        await SeedAsync(extra: EpisodeFilter.PageSize);
        NavigateTo("episodes");
        var page = RenderPage<Episodes>();
        page.WaitForAssertion(() => Assert.Equal(EpisodeFilter.PageSize, Rows(page).Count));

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/episodes?page=2", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
    }

    [Theory]
    [InlineData("suite=mast", "Unknown suite 'mast'. Valid values: tools.")]
    [InlineData("tier=hard&fault=bogus", "Unknown fault 'bogus'.")]
    [InlineData("sort=colour", "Unknown sort 'colour'.")]
    public async Task Url_ValueThatMatchesNothing_AlertNamesTheValidValuesAndTheFiltersStayUsable(string query, string message)
    {
        await SeedAsync();
        NavigateTo("episodes?" + query);

        var page = RenderPage<Episodes>();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=url-error]"), e => e.TextContent.StartsWith(message, StringComparison.Ordinal)));
        Assert.Empty(page.FindAll("[data-testid=state-error]"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Try again", StringComparison.Ordinal));
        Assert.Empty(Rows(page));

        await ChooseAsync(page, "Agent", "alpha");
        page.Find("[data-testid=filter-apply]").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/episodes?agent=alpha", Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.Empty(page.FindAll("[data-testid=url-errors]"));
    }

    [Fact]
    public async Task Render_NoMatch_EmptyStateOffersToClearFilters()
    {
        await SeedAsync();
        NavigateTo("episodes?agent=nobody");

        var page = RenderPage<Episodes>();

        page.WaitForAssertion(() => Assert.Contains("No episode matches these filters", page.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal));
        Assert.Equal("episodes", page.Find("[data-testid=state-empty] a").GetAttribute("href"));
    }

    [Fact]
    public void Render_UnreadableStore_ErrorWithTryAgain()
    {
        NavigateTo("episodes");

        var page = RenderPage<Episodes>();

        page.WaitForAssertion(() => Assert.Contains("could not be read", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
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

    private static IRenderedComponent<MudDataGrid<EpisodeSummary>> Grid(IRenderedComponent<Episodes> page) => page.FindComponent<MudDataGrid<EpisodeSummary>>();

    private static List<IElement> Rows(IRenderedComponent<Episodes> page) =>
        page.FindAll("[data-testid=episodes] tbody tr").Where(r => r.QuerySelector("[data-testid=episode-link]") is not null).ToList();

    private static string Id(IElement row) => row.QuerySelector("[data-testid=episode-link]")!.GetAttribute("href")!["episodes/".Length..];

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    /// <summary>Opens a filter's drop-down and clicks an option, as a person does.</summary>
    private async Task ChooseAsync(IRenderedComponent<Episodes> page, string label, string option)
    {
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        await select.InvokeAsync(select.Instance.OpenMenu);
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == option).Click());
    }

    private async Task SeedAsync(int extra = 0)
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = _directory.Path }))
            .AddChaosLabPersistence()
            .BuildServiceProvider();
        var store = services.GetRequiredService<EpisodeStore>();
        await store.AddAsync(Episode("a1", "alpha", 1, 0.5, "partial"));
        await store.AddAsync(Episode("a2", "alpha", 3, 1.0, "correct"));
        await store.AddAsync(Episode("b1", "beta", 2, 0.0, "wrong"));
        for (var i = 0; i < extra; i++)
        {
            await store.AddAsync(Episode($"x{i:000}", "gamma", 10 + i, 1.0, "correct"));
        }

        var context = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ChaosLabDbContext>>().CreateDbContextAsync();
        await using (context)
        {
            context.EpisodeFaults.Add(new EpisodeFaultEntity { EpisodeId = "a1", Kind = "timeout" });
            await context.SaveChangesAsync();
        }
    }

    private static EpisodeEntity Episode(string id, string agent, int minute, double score, string outcome) =>
        DashboardPageSeed.Episode(id, agent, minute, score, outcome, $"What was {id}'s revenue in 2024, in billions?");
}

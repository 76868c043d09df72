using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

public sealed class ComparePageTests : DashboardTestContext
{
    private readonly DashboardPageSeed _store = new();

    public ComparePageTests()
    {
        _store.Register(Services);
        Services.AddScoped<CompareViewModel>();
    }

    [Fact]
    public async Task Render_SharedSeed_SummaryIntervalsAndReplayLinks()
    {
        await _store.SeedAsync();
        NavigateTo("compare?a=alpha&b=beta");

        var page = RenderPage<Compare>();

        page.WaitForAssertion(() => Assert.Equal("−0.500", page.Find("[data-testid=mean-delta]").TextContent));
        Assert.Equal("1", page.Find("[data-testid=pair-count]").TextContent);
        Assert.Equal("1 losses", page.Find("[data-testid=losses]").TextContent);
        Assert.Equal("no interval with a single seed", page.Find("[data-testid=delta-interval]").TextContent);
        Assert.Equal("−0.500", page.Find("[data-testid=scenario-deltas] [data-testid=scenario-delta]").TextContent);
        Assert.Equal("episodes/a1", page.Find("[data-testid=replay-a]").GetAttribute("href"));
        Assert.Equal("episodes/b1", page.Find("[data-testid=replay-b]").GetAttribute("href"));
        Assert.Equal("compare/episodes?left=a1&right=b1", page.Find("[data-testid=side-by-side]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_MorePairedEpisodesThanTheLimit_WarnsThatOnlyTheFirstKeysWereCompared()
    {
        // Each agent's half of the limit ends at seed 9,999, the key cut off: seeds 0 to 9,998 stay.
        await _store.SeedPairsAsync(seeds: (CompareViewModel.EpisodeLimit / 2) + 1, tier: "easy");
        NavigateTo("compare?a=alpha&b=beta");

        var page = RenderPage<Compare>();

        page.WaitForAssertion(() => Assert.Equal("9,999", page.Find("[data-testid=pair-count]").TextContent));
        Assert.StartsWith("More than 20,000 paired episodes match", page.Find("[data-testid=compare-truncated]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PairedEpisodesWithinTheLimit_NoTruncationWarning()
    {
        await _store.SeedPairsAsync(seeds: 3, tier: "easy");
        NavigateTo("compare?a=alpha&b=beta");

        var page = RenderPage<Compare>();

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=pair-count]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=compare-truncated]"));
    }

    [Fact]
    public async Task Render_NoAgents_PromptAndTheAgentsToChoose()
    {
        await _store.SeedAsync();
        NavigateTo("compare");

        var page = RenderPage<Compare>();
        page.WaitForAssertion(() => Assert.Equal("Choose two agents to compare.", page.Find("[data-testid=compare-prompt]").TextContent));
        OpenSelect(page, "agent-a");

        Popovers.WaitForAssertion(() => Assert.Equal(["Choose…", "alpha", "beta"], Popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim())));
    }

    [Fact]
    public async Task ChooseAgent_FromTheList_AddressNamesIt()
    {
        await _store.SeedAsync();
        NavigateTo("compare?b=beta");
        var page = RenderPage<Compare>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=compare-prompt]")));

        OpenSelect(page, "agent-a");
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "alpha").Click());

        page.WaitForAssertion(() => Assert.EndsWith("compare?b=beta&a=alpha", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_UnreadableStore_InlineError()
    {
        NavigateTo("compare?a=alpha&b=beta");

        var page = RenderPage<Compare>();

        page.WaitForAssertion(() => Assert.Contains("could not be read", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
    }

    // MudSelect opens on a mouse-down on its input control, around the combobox that carries the test id.
    private static void OpenSelect(IRenderedComponent<Compare> page, string testId) =>
        page.FindAll(".mud-input-control").Single(c => c.QuerySelector($"[data-testid={testId}]") is not null).MouseDown();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _store.Dispose();
        }
    }
}

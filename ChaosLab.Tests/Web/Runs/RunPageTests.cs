using Bunit;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Charts;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Runs;

/// <summary>One run's page and the comparison page over runs in a real store.</summary>
public sealed class RunPageTests : DashboardTestContext, IAsyncLifetime
{
    private RunFixture _runs = null!;
    private FakeEvaluationRuns _service = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _runs = await RunFixture.StartAsync();
        _service = new FakeEvaluationRuns(_runs.Store);
        Services.AddSingleton<TimeProvider>(_runs.Clock);
        Services.AddSingleton(_runs.Store);
        Services.AddSingleton<IEvaluationRuns>(_service);
        Services.AddScoped<RunPageViewModel>();
        Services.AddScoped<RunCompareViewModel>();
        Authorization.SetAuthorized("ada");
        Authorization.SetPolicies(StudioPolicies.Author);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _runs.DisposeAsync();
    }

    [Fact]
    public async Task Render_ScoredRun_HeaderChartsAndItemsLinkingToReplays()
    {
        var run = await _runs.CreateAsync("smoke", RunFixture.Items(("W01", "warmup"), ("B01", "beginner"), ("B02", "beginner")));
        await _runs.ScoreAsync(run.Id, "tools/W01/1/1", 1.0, steps: 4, interventions: new Dictionary<string, int> { ["h2"] = 2 });
        await _runs.FailAsync(run.Id, "tools/B01/1/1", "the model returned no action 3 times");
        NavigateTo("runs/" + run.Id);

        var page = RenderPage<Run>(p => p.Add(r => r.Id, run.Id));

        page.WaitForAssertion(() => Assert.Equal("smoke", page.Find("[data-testid=run-name]").TextContent));
        Assert.Equal(("naive", "h2+h3+h4+h5", "1.000", "1 / 1"),
            (page.Find("[data-testid=run-agent]").TextContent, page.Find("[data-testid=run-harness]").TextContent, page.Find("[data-testid=run-mean-score]").TextContent, page.Find("[data-testid=run-successes]").TextContent));
        Assert.Equal("running", page.Find("[data-testid=run-header] [data-testid=run-status]").GetAttribute("data-status"));
        Assert.Equal(3, page.FindComponents<PlotlyChart>().Count);
        Assert.Equal(["warmup"], page.FindAll("[data-testid=chart-tier] [data-testid=chart-row] td:first-child").Select(c => c.TextContent).Take(1));
        var rows = page.FindAll("[data-testid=run-items] tbody tr");
        Assert.Equal(3, rows.Count);
        var link = rows[0].QuerySelector("[data-testid=item-episode]")!;
        Assert.Equal(("tools/W01/1/1", "episodes/" + RunFixture.EpisodeOf(run.Id, "tools/W01/1/1")), (link.TextContent, link.GetAttribute("href")));
        Assert.Equal("1.000", rows[0].QuerySelector("[data-testid=item-score]")!.TextContent);
        // A column per layer that intervened anywhere in the run.
        Assert.Contains("h2", page.Find("[data-testid=run-items] thead").TextContent, StringComparison.Ordinal);
        Assert.Contains("the model returned no action 3 times", rows[1].TextContent, StringComparison.Ordinal);
        // On a phone (cards) an item without an error has no empty "Error" row: its cell is marked to hide.
        Assert.Equal([true, false, true], rows.Select(r => r.QuerySelector("td[data-label=Error]")!.ClassList.Contains("run-item-no-error")));
        Assert.Null(rows[2].QuerySelector("[data-testid=item-episode]"));
    }

    [Fact]
    public async Task Cancel_RunningRun_CancelledInTheStoreAndButtonGone()
    {
        var run = await _runs.CreateAsync("playing", RunFixture.Items(("W01", "warmup")));
        _service.Start(run.Id);
        var page = RenderPage<Run>(p => p.Add(r => r.Id, run.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=run-cancel]"));

        page.Find("[data-testid=run-cancel]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=run-cancel]")));
        Assert.False(_service.IsActive(run.Id));
        Assert.Equal(RunStatus.Cancelled, (await _runs.Store.FindAsync(run.Id))!.Status);
    }

    [Fact]
    public async Task Render_AblationRun_TableOfItsVariants()
    {
        var all = await _runs.CreateAsync("abl", RunFixture.Items(("W01", "warmup")), ablationId: "ab", variant: "all");
        await _runs.CreateAsync("abl", RunFixture.Items(("W01", "warmup")), harness: "none", ablationId: "ab", variant: "none");

        var page = RenderPage<Run>(p => p.Add(r => r.Id, all.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=ablation-run]").Count));
        Assert.Equal(["all", "none"], page.FindAll("[data-testid=ablation-run] td:first-child").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void Render_UnknownRun_NotFound()
    {
        var page = RenderPage<Run>(p => p.Add(r => r.Id, "nope"));

        page.WaitForAssertion(() => Assert.Contains("nope", page.Find("[data-testid=run-not-found]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_TwoRuns_MeansDeltaRecordChartAndPairs()
    {
        var items = RunFixture.Items(("W01", "warmup"), ("B01", "beginner"));
        var a = await _runs.CreateAsync("a", items, harness: "none");
        var b = await _runs.CreateAsync("b", items);
        await _runs.ScoreAsync(a.Id, "tools/W01/1/1", 0.5);
        await _runs.ScoreAsync(a.Id, "tools/B01/1/1", 1.0);
        await _runs.ScoreAsync(b.Id, "tools/W01/1/1", 1.0);
        await _runs.ScoreAsync(b.Id, "tools/B01/1/1", 1.0);
        NavigateTo($"runs/compare?a={a.Id}&b={b.Id}");

        var page = RenderPage<RunCompare>();

        page.WaitForAssertion(() => Assert.Equal("+0.250", page.Find("[data-testid=compare-delta]").TextContent));
        Assert.Equal(("0.750", "1.000", "1 / 0 / 1", "2"),
            (page.Find("[data-testid=compare-mean-a]").TextContent, page.Find("[data-testid=compare-mean-b]").TextContent,
             page.Find("[data-testid=compare-record]").TextContent, page.Find("[data-testid=compare-pairs]").TextContent));
        Assert.Equal(["+0.500", "0.000"], page.FindAll("[data-testid=pair-delta]").Select(d => d.TextContent));
        Assert.Contains("mud-success-text", page.FindAll("[data-testid=pair-delta]")[0].ClassList);
        Assert.Equal(["warmup", "beginner"], page.FindComponent<PlotlyChart>().Instance.Figure.Traces[0].X);
    }

    [Fact]
    public void Compare_NoRunsGiven_SaysHow()
    {
        NavigateTo("runs/compare");

        var page = RenderPage<RunCompare>();

        page.WaitForAssertion(() => Assert.Contains("Choose two runs", page.Find("[data-testid=state-error]").TextContent, StringComparison.Ordinal));
    }
}

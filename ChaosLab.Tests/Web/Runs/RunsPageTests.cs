using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Runs;

/// <summary>The runs page over runs in a real store and a stand-in evaluation service: the table, live rows, the form, compare ticks.</summary>
public sealed class RunsPageTests : DashboardTestContext, IAsyncLifetime
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
        Services.AddSingleton(Options.Create(new EvaluationOptions()));
        Services.AddSingleton<RunAgentCatalog>();
        Services.AddScoped<RunsViewModel>();
        Authorization.SetAuthorized("ada");
        Authorization.SetPolicies(StudioPolicies.Author);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _runs.DisposeAsync();
    }

    [Fact]
    public async Task Render_TwoRuns_RowsWithLinkStatusProgressAndScore()
    {
        var done = await _runs.CreateAsync("smoke", RunFixture.Items(("W01", "warmup"), ("W02", "warmup")));
        await _runs.ScoreAsync(done.Id, "tools/W01/1/1", 1.0);
        await _runs.ScoreAsync(done.Id, "tools/W02/1/1", 0.5);
        await _runs.Store.EndAsync(done.Id, RunStatus.Completed);
        await _runs.CreateAsync("queued", RunFixture.Items(("W03", "warmup")));
        NavigateTo("runs");

        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.Equal("2 runs", page.Find("[data-testid=run-total]").TextContent);
        var row = Rows(page)[1];
        Assert.Equal(("smoke", "runs/" + done.Id), (Text(row, "run-link"), row.QuerySelector("[data-testid=run-link]")!.GetAttribute("href")));
        Assert.Equal("completed", row.QuerySelector("[data-testid=run-status]")!.GetAttribute("data-status"));
        Assert.Contains("mud-chip-color-success", row.QuerySelector("[data-testid=run-status]")!.ClassList);
        Assert.Equal(("2", "2"), (row.QuerySelector("[data-testid=run-progress]")!.GetAttribute("data-finished"), row.QuerySelector("[data-testid=run-progress]")!.GetAttribute("data-total")));
        Assert.Equal(("0.750", "1 / 2"), (Text(row, "run-mean-score"), Text(row, "run-successes")));
        Assert.Equal("–", Text(Rows(page)[0], "run-mean-score"));
    }

    [Fact]
    public void Render_NoRun_SaysHowToStartOne()
    {
        NavigateTo("runs");

        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();

        page.WaitForAssertion(() => Assert.Contains("No evaluation run yet", page.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Live_ProgressEvent_RowUpdatesWithoutReload()
    {
        var run = await _runs.CreateAsync("live", RunFixture.Items(("W01", "warmup"), ("W02", "warmup")));
        NavigateTo("runs");
        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();
        page.WaitForAssertion(() => Assert.Equal("0", Rows(page)[0].QuerySelector("[data-testid=run-progress]")!.GetAttribute("data-finished")));

        Assert.True(await _runs.Store.ResumeAsync(run.Id));
        Assert.True(await _runs.Store.StartItemAsync(run.Id, "tools/W01/1/1", "ep-1"));
        Assert.True(await _runs.Store.CompleteItemAsync(run.Id, "tools/W01/1/1", "ep-1", new ItemResult("correct", 1, true, 2, new Dictionary<string, int>())));
        _service.Publish(new RunProgress((await _runs.Store.FindAsync(run.Id))!, null));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("1", Rows(page)[0].QuerySelector("[data-testid=run-progress]")!.GetAttribute("data-finished"));
            Assert.Equal("running", Rows(page)[0].QuerySelector("[data-testid=run-status]")!.GetAttribute("data-status"));
        });
    }

    [Fact]
    public void Render_KeySetSignedOut_NoNewRunButton()
    {
        Authorization.SetNotAuthorized();
        Authorization.SetPolicies();
        Services.AddSingleton(new AdminKey(Options.Create(new AuthoringOptions { AdminKey = "a-key-of-enough-length" })));
        NavigateTo("runs");

        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();

        page.WaitForAssertion(() => page.Find("[data-testid=state-empty]"));
        Assert.Empty(page.FindAll("[data-testid=new-run]"));
    }

    [Fact]
    public void NewRun_StartWithNothingChosen_ErrorsInlineAndNothingCreated()
    {
        NavigateTo("runs");
        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();
        page.WaitForAssertion(() => page.Find("[data-testid=new-run]"));

        page.Find("[data-testid=new-run]").Click();
        page.Find("[data-testid=run-start]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Choose an agent.", page.Find("[data-testid=new-run-form]").TextContent, StringComparison.Ordinal);
            Assert.Contains("Choose at least one suite.", page.Find("[data-testid=new-run-form]").TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(_service.Created);
    }

    [Fact]
    public void NewRun_Start_RunCreatedFromTheFormStartedAndListed()
    {
        NavigateTo("runs");
        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();
        page.WaitForAssertion(() => page.Find("[data-testid=new-run]"));
        page.Find("[data-testid=new-run]").Click();
        var model = Services.GetRequiredService<RunsViewModel>();
        model.Form.Agent = "reference:resilient";
        model.Form.Suites = ["tools"];
        page.Find("input[data-testid=run-seeds]").Change("2");

        page.Find("[data-testid=run-start]").Click();

        page.WaitForAssertion(() => Assert.Single(Rows(page)));
        var (assignment, origin) = Assert.Single(_service.Created);
        Assert.Equal(("web", "resilient", 2), (origin, assignment.Agent.Reference, assignment.SeedIndices.Count));
        Assert.Equal(_service.Started, [Rows(page)[0].QuerySelector("[data-testid=run-link]")!.GetAttribute("href")!["runs/".Length..]]);
        Assert.Empty(page.FindAll("[data-testid=new-run-form]"));
        Snackbars.WaitForAssertion(() => Assert.Contains("Run started.", Snackbars.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_TwoTicked_ButtonLinksToTheComparison()
    {
        var a = await _runs.CreateAsync("a", RunFixture.Items(("W01", "warmup")));
        var b = await _runs.CreateAsync("b", RunFixture.Items(("W01", "warmup")));
        NavigateTo("runs");
        var page = RenderPage<ChaosLab.Web.Components.Pages.Runs>();
        page.WaitForAssertion(() => Assert.Equal(2, Rows(page).Count));
        Assert.True(page.Find("[data-testid=compare-runs]").HasAttribute("disabled"));

        // Newest first: tick a (second row) first, so it is the comparison's a.
        Rows(page)[1].QuerySelector("input[data-testid=compare-tick]")!.Change(true);
        Rows(page)[0].QuerySelector("input[data-testid=compare-tick]")!.Change(true);

        page.WaitForAssertion(() => Assert.Equal($"runs/compare?a={a.Id}&b={b.Id}", page.Find("[data-testid=compare-runs]").GetAttribute("href")));
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<ChaosLab.Web.Components.Pages.Runs> page) => page.FindAll("[data-testid=runs] tbody tr");

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();
}

using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Runs;

public sealed class RunsViewModelTests : IAsyncLifetime
{
    private RunFixture _runs = null!;
    private FakeEvaluationRuns _service = null!;

    public async Task InitializeAsync()
    {
        _runs = await RunFixture.StartAsync();
        _service = new FakeEvaluationRuns(_runs.Store);
    }

    public async Task DisposeAsync() => await _runs.DisposeAsync();

    [Fact]
    public async Task LoadAsync_NoRuns_IsEmpty()
    {
        using var model = CreateModel();

        await model.LoadAsync();

        Assert.Equal(LoadState.Empty, model.State);
        Assert.Empty(model.Rows);
    }

    [Fact]
    public async Task LoadAsync_TwoRuns_NewestFirstWithTotals()
    {
        var first = await _runs.CreateAsync("first", RunFixture.Items(("W01", "warmup"), ("W02", "warmup")));
        await _runs.ScoreAsync(first.Id, "tools/W01/1/1", 1.0);
        await _runs.CreateAsync("second", RunFixture.Items(("W03", "warmup")));
        using var model = CreateModel();

        await model.LoadAsync();

        Assert.Equal(["second", "first"], model.Rows.Select(r => r.Name));
        var row = model.Rows[1];
        Assert.Equal(("1 / 2", "1 / 1", "1.000"), (RunFormat.Progress(row), RunFormat.Successes(row), RunFormat.Score(row.MeanScore)));
    }

    [Fact]
    public async Task StartLive_ProgressEventOfThisProcess_RefreshesRows()
    {
        var run = await _runs.CreateAsync("live", RunFixture.Items(("W01", "warmup")));
        using var model = CreateModel();
        await model.LoadAsync();
        model.StartLive();
        var changed = NextChange(model);

        // Written without moving the clock, so only the event can bring it in.
        Assert.True(await _runs.Store.ResumeAsync(run.Id));
        Assert.True(await _runs.Store.StartItemAsync(run.Id, "tools/W01/1/1", "ep-1"));
        Assert.True(await _runs.Store.CompleteItemAsync(run.Id, "tools/W01/1/1", "ep-1", new ItemResult("wrong", 0.5, false, 2, new Dictionary<string, int>())));
        _service.Publish(new RunProgress((await _runs.Store.FindAsync(run.Id))!, null));
        await changed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0.5, Assert.Single(model.Rows).MeanScore);
    }

    [Fact]
    public async Task StartLive_RunWrittenByAnotherProcess_ShowsAfterThePoll()
    {
        using var model = CreateModel();
        await model.LoadAsync();
        model.StartLive();
        await _runs.Store.CreateAsync(new NewRun("from-cli", "naive", null, "none", "{}", "cli"), RunFixture.Items(("W01", "warmup")));
        var changed = NextChange(model);

        _runs.Clock.Advance(RunLiveUpdates.PollInterval);
        await changed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("from-cli", Assert.Single(model.Rows).Name);
        Assert.Equal(LoadState.Ready, model.State);
    }

    [Fact]
    public async Task Dispose_Live_UnsubscribesAndStopsPolling()
    {
        var model = CreateModel();
        await model.LoadAsync();
        model.StartLive();
        Assert.Equal(1, _service.Subscribers);
        var changes = 0;
        model.Changed += () => changes++;

        model.Dispose();
        _runs.Clock.Advance(RunLiveUpdates.PollInterval * 3);

        Assert.Equal(0, _service.Subscribers);
        Assert.Equal(0, changes);
    }

    [Fact]
    public async Task StartAsync_ReferenceAgentOnTiers_CreatesWebAssignmentAndStartsIt()
    {
        using var model = CreateModel();
        model.Form.Agent = "reference:naive";
        model.Form.Suites = ["tools"];
        model.Form.Tiers = ["warmup"];
        model.Form.Seeds = 2;
        model.Form.H3 = false;

        var started = await model.StartAsync();

        var (assignment, origin) = Assert.Single(_service.Created);
        Assert.Equal("web", origin);
        Assert.Equal(new AgentChoice(null, null, "naive"), assignment.Agent);
        Assert.Equal(("naive-tools", "h2+h4+h5", "test"), (assignment.Name, assignment.Harness.Label, assignment.Split));
        Assert.Equal([1, 2], assignment.SeedIndices);
        var task = Assert.Single(assignment.Tasks);
        Assert.Equal("tools", task.Suite);
        Assert.Equal(["warmup"], task.Tiers);
        Assert.Null(task.Scenarios);
        Assert.Equal(started, _service.Started);
        Assert.Equal(started, model.Rows.Select(r => r.Id));
        Assert.Empty(model.FormErrors);
    }

    [Fact]
    public async Task StartAsync_NoAgentNoSuite_FieldErrorsAndNothingSent()
    {
        using var model = CreateModel();

        var started = await model.StartAsync();

        Assert.Empty(started);
        Assert.Empty(_service.Created);
        Assert.Equal("Choose an agent.", Assert.Single(model.ErrorsOf("agent")));
        Assert.Equal("Choose at least one suite.", Assert.Single(model.ErrorsOf("suites")));
    }

    [Fact]
    public async Task StartAsync_ServiceRefuses_ErrorsShownUnderTheirFieldsOrForTheWhole()
    {
        _service.Refuse = [new ValidationError("agent", "'naive' is not a reference agent of gauntlet."), new ValidationError("tasks[0].scenarios[0]", "Unknown scenario 'x'.")];
        using var model = CreateModel();
        model.Form.Agent = "reference:naive";
        model.Form.Suites = ["tools"];

        var started = await model.StartAsync();

        Assert.Empty(started);
        Assert.Empty(_service.Started);
        Assert.Equal("'naive' is not a reference agent of gauntlet.", Assert.Single(model.ErrorsOf("agent")));
        Assert.Equal("Unknown scenario 'x'.", Assert.Single(model.ErrorsOf("")));
    }

    [Fact]
    public async Task StartAsync_Ablation_StartsEveryRunOfIt()
    {
        using var model = CreateModel();
        model.Form.Agent = "reference:naive";
        model.Form.Suites = ["tools"];
        model.Form.Ablation = true;

        var started = await model.StartAsync();

        Assert.Equal(2, started.Count);
        Assert.Equal(started, _service.Started);
    }

    [Fact]
    public void ToggleCompare_ThirdRun_ReplacesTheOldestTick()
    {
        using var model = CreateModel();

        model.ToggleCompare("a");
        Assert.Null(model.CompareHref);
        model.ToggleCompare("b");
        Assert.Equal("runs/compare?a=a&b=b", model.CompareHref);
        model.ToggleCompare("c");
        Assert.Equal(["b", "c"], model.CompareSelection);
        model.ToggleCompare("b");

        Assert.Equal(["c"], model.CompareSelection);
    }

    [Fact]
    public void Scenarios_TierChosen_OnlyThatTiersSealedScenarios()
    {
        using var model = CreateModel();
        model.Form.Suites = ["tools"];
        model.Form.Tiers = ["warmup"];

        Assert.NotEmpty(model.Scenarios);
        Assert.All(model.Scenarios, s => Assert.Equal("warmup", s.Tier));
        Assert.DoesNotContain(model.Scenarios, s => s.FixedAnswers);
        Assert.Equal(new ToolsSuite().Tiers, model.Tiers);
    }

    private RunsViewModel CreateModel()
    {
        var catalog = new SuiteCatalog([new ToolsSuite()]);
        var agents = new RunAgentCatalog(catalog, Options.Create(new EvaluationOptions()), new AdminKey(Options.Create(new AuthoringOptions())));
        return new RunsViewModel(_runs.Store, _service, agents, catalog, _runs.Clock);
    }

    private static Task NextChange(RunsViewModel model)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        model.Changed += () => changed.TrySetResult();
        return changed.Task;
    }
}

using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>What a run is created from: a valid agent and plan, with the server deciding files for runs it starts.</summary>
public sealed class EvaluationCreationTests
{
    [Fact]
    public async Task CreateAsync_ReferenceAgentOneSelectedSuiteLacks_ErrorAtThatSelectionListingItsAgents()
    {
        await using var bench = await EvaluationBench.StartAsync(new SuiteCatalog([new ToolsSuite(), new ToySuite("toy", "toy-agent")]));

        var created = await bench.Service.CreateAsync(bench.Assignment("name: x\nagent: reference:naive\ntasks: [{ suite: tools }, { suite: toy }]"), EvaluationService.OriginCli);

        var error = Assert.Single(created.Errors);
        Assert.Equal("tasks[1].suite", error.Path);
        Assert.Equal(["reference:toy-agent"], error.ValidValues!);
        Assert.Empty(await bench.Runs.ListAsync());
    }

    [Fact]
    public async Task CreateAsync_AgentAndPlanErrors_AllReportedAndNoRunStored()
    {
        await using var bench = await EvaluationBench.StartAsync();

        var created = await bench.Service.CreateAsync(bench.Assignment("name: x\nagent: reference:nobody\ntasks: [{ suite: tools, tiers: [legendary] }]"), EvaluationService.OriginCli);

        Assert.Equal(["tasks[0].suite", "tasks[0].tiers[0]"], created.Errors.Select(e => e.Path));
        Assert.Empty(await bench.Runs.ListAsync());
    }

    [Fact]
    public async Task CreateAsync_UnknownOrigin_Error()
    {
        await using var bench = await EvaluationBench.StartAsync();

        var created = await bench.Service.CreateAsync(bench.Assignment("name: x\nagent: reference:naive\ntasks: [{ suite: tools }]"), "cron");

        Assert.Equal("origin", Assert.Single(created.Errors).Path);
    }

    [Fact]
    public async Task CreateAsync_Reference_RecordedUnderItsOwnNameWithoutHarnessAndTheAssignmentStored()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var assignment = bench.Assignment("name: x\nagent: reference:naive\ntasks: [{ suite: tools, scenarios: [W01] }]\nseeds: 2\noutput: out");

        var run = (await bench.Service.CreateAsync(assignment, EvaluationService.OriginCli)).Value!;

        Assert.Equal(("x", "naive", (string?)null, "none", RunStatus.Queued, 2), (run.Name, run.Agent, run.Model, run.Harness, run.Status, run.Total));
        var stored = AssignmentJson.Read((await bench.Runs.AssignmentJsonAsync(run.Id))!);
        Assert.Equal(Path.Combine(bench.DataDirectory, "out"), stored.Output);
        Assert.Equal(stored.Output, bench.Service.OutputDirectory(run, stored));
    }

    [Fact]
    public async Task CreateAsync_FromTheWeb_OutputIsTheServersFolderForTheRun()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var assignment = bench.Assignment("name: x\nagent: reference:naive\ntasks: [{ suite: tools, scenarios: [W01] }]\noutput: /etc/chaoslab");

        var run = (await bench.Service.CreateAsync(assignment, EvaluationService.OriginWeb)).Value!;

        var stored = AssignmentJson.Read((await bench.Runs.AssignmentJsonAsync(run.Id))!);
        Assert.Null(stored.Output);
        Assert.Equal(Path.Combine(bench.DataDirectory, "runs", run.Id), bench.Service.OutputDirectory(run, stored));
    }

    [Fact]
    public async Task CreateAblationAsync_ReferenceAgent_RefusedWithoutARun()
    {
        await using var bench = await EvaluationBench.StartAsync();

        var created = await bench.Service.CreateAblationAsync(bench.Assignment("name: x\nagent: reference:naive\ntasks: [{ suite: tools }]"), EvaluationService.OriginCli);

        Assert.Equal("agent", Assert.Single(created.Errors).Path);
        Assert.Empty(await bench.Runs.ListAsync());
    }

    [Fact]
    public async Task Start_CompletedRun_EndsWithoutPlayingAgainAndRunAsyncReturnsItAsItWas()
    {
        await using var bench = await EvaluationBench.StartAsync();
        var run = await bench.CreateAsync("name: x\nagent: reference:naive\ntasks: [{ suite: tools, scenarios: [W01] }]");
        var done = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        var again = await bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, done.EndedAt, 1), (again.Status, again.EndedAt, (await bench.Runs.ItemsAsync(run.Id))[0].Attempts));
    }
}

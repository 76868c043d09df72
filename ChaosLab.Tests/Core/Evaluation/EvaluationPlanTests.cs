using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Evaluation;

public sealed class EvaluationPlanTests
{
    private static readonly ToolsSuite Tools = new();
    private static readonly SuiteCatalog Catalog = new([Tools]);

    [Fact]
    public void Expand_TiersSeedsTrials_OrderedBySuiteTierScenarioSeedTrial()
    {
        var plan = Expand("tasks: [{ suite: tools, tiers: [beginner, warmup] }]\nseeds: 2\ntrials: 2").Value!;

        var scenarios = Tools.Scenarios.Where(s => s.Tier is "warmup" or "beginner" && !s.FixedAnswers).OrderBy(s => s.Tier == "warmup" ? 0 : 1).ToList();
        Assert.Equal(scenarios.Count * 4, plan.Items.Count);
        Assert.Equal(
            [.. scenarios.SelectMany(s => new[] { (s.Id, 1, 1), (s.Id, 1, 2), (s.Id, 2, 1), (s.Id, 2, 2) })],
            plan.Items.Select(i => (i.ScenarioId, i.SeedIndex, i.Trial)));
        Assert.Equal(new RunItemSpec("tools", "task1", "warmup", "W01", 1, 1), plan.Items[0]);
    }

    [Fact]
    public void Expand_PlanOverTheCap_RefusedWithoutExpandingItAll()
    {
        // About 60 scenarios x 1000 seeds x 100 trials: six million items if expanded whole.
        var plan = Expand("tasks: [{ suite: tools }]\nseeds: 1000\ntrials: 100");

        Assert.False(plan.Succeeded);
        var error = Assert.Single(plan.Errors);
        Assert.Equal(("tasks", $"The assignment plays more than {EvaluationPlan.MaxItems} episodes; at most {EvaluationPlan.MaxItems} fit one run. Select fewer scenarios, seeds or trials."), (error.Path, error.Message));
        Assert.Equal(EvaluationPlan.MaxItems, Expand("tasks: [{ suite: tools, scenarios: [W01, W02] }]\nseeds: 1000\ntrials: 10").Value!.Items.Count);
    }

    [Fact]
    public void Expand_WholeSuite_LeavesOutFixedAnswerScenariosWithANote()
    {
        var plan = Expand("tasks: [{ suite: tools }]").Value!;

        var fixedAnswers = Tools.Scenarios.Where(s => s.FixedAnswers).Select(s => s.Id).ToList();
        Assert.NotEmpty(fixedAnswers);
        Assert.DoesNotContain(plan.Items, i => fixedAnswers.Contains(i.ScenarioId));
        Assert.Equal(Tools.Scenarios.Count - fixedAnswers.Count, plan.Items.Count);
        var note = Assert.Single(plan.Notes);
        Assert.All(fixedAnswers, id => Assert.Contains(id, note, StringComparison.Ordinal));
    }

    [Fact]
    public void Expand_FixedAnswerScenarioNamed_Error()
    {
        var id = Tools.Scenarios.First(s => s.FixedAnswers).Id;

        var plan = Expand($"tasks: [{{ suite: tools, scenarios: [{id}] }}]");

        var error = Assert.Single(plan.Errors);
        Assert.Equal("tasks[0].scenarios[0]", error.Path);
        Assert.Contains("sealed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_UnknownNames_ErrorsListTheValidValues()
    {
        var plan = Expand("""
            tasks:
              - suite: toolz
              - suite: tools
                task: task9
                tiers: [warmup, legendary]
                scenarios: [W01, nope]
            """);

        Assert.Equal(["tasks[0].suite", "tasks[1].task", "tasks[1].tiers[1]", "tasks[1].scenarios[1]"], plan.Errors.Select(e => e.Path));
        Assert.Equal(["tools"], plan.Errors[0].ValidValues!);
        Assert.Equal(["task1", "task2", "task3"], plan.Errors[1].ValidValues!);
        Assert.Equal(Tools.Tiers, plan.Errors[2].ValidValues!);
        Assert.Contains("W01", plan.Errors[3].ValidValues!);
    }

    [Fact]
    public void Expand_ScenarioOutsideTheSelectionsTaskOrTier_Error()
    {
        var plan = Expand("tasks: [{ suite: tools, task: task2, scenarios: [W01] }, { suite: tools, tiers: [expert], scenarios: [W01] }]");

        Assert.Equal(["tasks[0].scenarios[0]", "tasks[1].scenarios[0]"], plan.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Expand_SameScenarioSelectedTwice_PlayedOnce()
    {
        var plan = Expand("tasks: [{ suite: tools, scenarios: [W01] }, { suite: tools, scenarios: [W01, W02] }]").Value!;

        Assert.Equal(["W01", "W02"], plan.Items.Select(i => i.ScenarioId));
    }

    private static EnvironmentResult<EvaluationPlan> Expand(string selection) =>
        EvaluationPlan.Expand(AssignmentFile.Parse("name: p\nagent: reference:naive\n" + selection, null).Value!, Catalog);
}

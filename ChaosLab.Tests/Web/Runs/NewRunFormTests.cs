using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model.Runs;

namespace ChaosLab.Tests.Web.Runs;

public sealed class NewRunFormTests
{
    private static readonly SuiteCatalog Catalog = new([new ToolsSuite(), new MastSuite()]);
    private static readonly IReadOnlyList<RunAgentOption> Agents = [RunAgentOption.Reference("tools", "naive"), RunAgentOption.Profile("local qwen/7b", "qwen", "agents.yaml")];

    [Fact]
    public void Build_TierOfOneSuite_NarrowsOnlyThatSuite()
    {
        var catalog = new SuiteCatalog([new ToolsSuite(), new ToySuite("toy")]);
        var form = new NewRunForm { Agent = "reference:naive", Suites = ["tools", "toy"], Tiers = ["beginner"], Seeds = 3, Trials = 2, Concurrency = 4 };

        var assignment = form.Build(Agents, catalog).Value!;

        Assert.Equal(["beginner"], assignment.Tasks.Single(t => t.Suite == "tools").Tiers);
        Assert.Null(assignment.Tasks.Single(t => t.Suite == "toy").Tiers);
        Assert.Equal([1, 2, 3], assignment.SeedIndices);
        Assert.Equal((2, 4), (assignment.Trials, assignment.Concurrency));
        Assert.Null(assignment.Output);
    }

    [Fact]
    public void Build_ScenarioChosen_GoesToItsSuiteOnly()
    {
        var scenario = new ToolsSuite().Scenarios.First(s => !s.FixedAnswers).Id;
        var form = new NewRunForm { Agent = "reference:naive", Suites = ["tools", "mast"], Scenarios = [scenario] };

        var assignment = form.Build(Agents, Catalog).Value!;

        Assert.Equal([scenario], assignment.Tasks.Single(t => t.Suite == "tools").Scenarios);
        Assert.Null(assignment.Tasks.Single(t => t.Suite == "mast").Scenarios);
    }

    [Fact]
    public void Build_HarnessMasterOff_LabelNone()
    {
        var form = new NewRunForm { Agent = "reference:naive", Suites = ["tools"], HarnessEnabled = false, TopK = 5 };

        var assignment = form.Build(Agents, Catalog).Value!;

        Assert.Equal(("none", 5), (assignment.Harness.Label, assignment.Harness.H5TopK));
    }

    [Fact]
    public void Build_ProfileWithUnsafeName_DefaultNameMadeSafe()
    {
        var form = new NewRunForm { Agent = "profile:local qwen/7b", Suites = ["tools"] };

        var assignment = form.Build(Agents, Catalog).Value!;

        Assert.Equal("local-qwen-7b-tools", assignment.Name);
        Assert.Equal(new ChaosLab.Core.Evaluation.AgentChoice("local qwen/7b", "agents.yaml", null), assignment.Agent);
    }

    [Theory]
    [InlineData("name", "has space", "A run name is letters, digits, '.', '-' and '_' (at most 64), starting with a letter or digit.")]
    [InlineData("seeds", "0", "Seeds must be between 1 and 100.")]
    [InlineData("trials", "21", "Trials must be between 1 and 20.")]
    [InlineData("concurrency", "0", "Concurrency must be between 1 and 64.")]
    [InlineData("top_k", "0", "Top-k must be between 1 and 20.")]
    public void Build_OutOfRange_ErrorUnderTheField(string field, string value, string message)
    {
        var form = new NewRunForm { Agent = "reference:naive", Suites = ["tools"] };
        switch (field)
        {
            case "name": form.Name = value; break;
            case "seeds": form.Seeds = int.Parse(value); break;
            case "trials": form.Trials = int.Parse(value); break;
            case "concurrency": form.Concurrency = int.Parse(value); break;
            default: form.TopK = int.Parse(value); break;
        }

        var result = form.Build(Agents, Catalog);

        var error = Assert.Single(result.Errors);
        Assert.Equal((field, message), (error.Path, error.Message));
        Assert.Equal(field, RunsViewModel.FieldOf(error.Path));
    }
}

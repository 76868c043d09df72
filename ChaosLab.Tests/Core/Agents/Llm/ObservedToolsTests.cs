using System.Text.Json.Nodes;
using ChaosLab.Core.Agents.Llm;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Agents.Llm;

/// <summary>The LLM agent takes the suite's tools from the reset observation: they must be the suite's own, for every suite.</summary>
public sealed class ObservedToolsTests
{
    [Fact]
    public void From_ToolsResetObservation_SameAsSuiteTools()
    {
        var suite = new ToolsSuite();
        var port = SessionPort.Open(suite.CreateSession(), new ResetOptions { ScenarioId = ScenarioCatalog.All[0].Id, Seed = 3 });

        AssertSame(suite.Tools, ObservedTools.From(port.First.Observation));
    }

    [Fact]
    public void From_MastResetObservation_SameAsSuiteTools()
    {
        var suite = new MastSuite();
        var port = SessionPort.Open(suite.CreateSession(), new ResetOptions { ScenarioId = suite.Scenarios[0].Id, Seed = 3 });

        AssertSame(suite.Tools, ObservedTools.From(port.First.Observation));
    }

    [Fact]
    public void From_GauntletToolList_SameAsSuiteTools()
    {
        // The gauntlet's reset needs a sandbox; its reset observation carries exactly this list.
        AssertSame(GauntletTools.All, ObservedTools.From(new JsonObject { ["tools"] = GauntletTools.ToJson() }));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"tools":[]}""")]
    [InlineData("""{"tools":"search"}""")]
    [InlineData("""{"tools":[{"description":"no name"}]}""")]
    public void From_NoUsableToolList_Throws(string observation)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ObservedTools.From(JsonNode.Parse(observation)!.AsObject()));

        Assert.StartsWith("the reset observation", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSame(IReadOnlyList<ToolDescriptor> expected, IReadOnlyList<ToolDescriptor> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        Assert.Equal(expected.Select(t => t.Description), actual.Select(t => t.Description));
        Assert.Equal(expected.Select(t => t.Category), actual.Select(t => t.Category));
        Assert.Equal(expected.Select(t => t.InputSchema.ToJsonString()), actual.Select(t => t.InputSchema.ToJsonString()));
    }
}

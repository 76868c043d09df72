using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class SuiteSchemaTests
{
    [Fact]
    public void Schemas_ActionIsUnionOverType_ObservationSnakeCase()
    {
        var schemas = new ToolsSuite().Schemas;
        var oneOf = schemas.Action["oneOf"]!.AsArray();
        Assert.Equal(3, oneOf.Count);
        Assert.Equal(["call_tool", "submit_answer", "list_tools"], oneOf.Select(s => s!["properties"]!["type"]!["const"]!.ToString()));
        Assert.NotNull(oneOf[0]!["properties"]!["tool_name"]);
        Assert.NotNull(schemas.Observation["properties"]!["steps_remaining"]);
        Assert.NotNull(schemas.State["properties"]!["episode_id"]);
    }

    [Fact]
    public void Suite_DescribesItself()
    {
        var suite = new ToolsSuite();
        Assert.Equal("tools", suite.Name);
        Assert.Equal(3, suite.Tasks.Count);
        Assert.Equal(["warmup", "beginner", "intermediate", "expert"], suite.Tiers);
        Assert.Equal(ScenarioCatalog.All.Count, suite.Scenarios.Count);
        Assert.Equal(30, suite.Tools.Count);
        Assert.DoesNotContain(suite.Scenarios, s => s.Title.Contains("broken", StringComparison.OrdinalIgnoreCase));
    }
}

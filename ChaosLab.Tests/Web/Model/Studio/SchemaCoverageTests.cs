using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class SchemaCoverageTests
{
    private static readonly JsonObject ToolsSchema = new ToolsScenarioFormat().Schema;

    private static readonly JsonObject MastSchema = new MastScenarioFormat(MastSuite.Rehearsing).Schema;

    [Fact]
    public void Describes_ToolsSchema_EveryFieldOfTheFormSoTheToolsFormIsWhole()
    {
        Assert.All(ScenarioForm.Paths, path => Assert.True(SchemaCoverage.Describes(ToolsSchema, path), path));
        Assert.True(SchemaCoverage.Describes(ToolsSchema, "/faults/scripted/0/tool"));
    }

    [Fact]
    public void Describes_MastSchema_OnlyTheGeneralFieldsItHas()
    {
        Assert.True(SchemaCoverage.Describes(MastSchema, "/title"));
        Assert.True(SchemaCoverage.Describes(MastSchema, "/step_limit"));
        Assert.False(SchemaCoverage.Describes(MastSchema, "/world/source"));
        Assert.False(SchemaCoverage.Describes(MastSchema, "/faults/bad_paths"));
        Assert.False(SchemaCoverage.Describes(MastSchema, "/answer"));
    }

    [Fact]
    public void LeftToJson_MastSchema_NamesItsOwnPartsButNotTheIdentity()
    {
        var rest = SchemaCoverage.LeftToJson(MastSchema, ScenarioForm.Paths);

        Assert.Contains("pipeline", rest);
        Assert.Contains("mast_faults", rest);
        Assert.DoesNotContain("title", rest);
        Assert.DoesNotContain("id", rest);
        Assert.Empty(SchemaCoverage.LeftToJson(ToolsSchema, ScenarioForm.Paths));
    }

    [Fact]
    public void Describes_LocalRefAndArrayItems_Followed()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"rows":{"type":"array","items":{"$ref":"#/$defs/row"}}},
             "$defs":{"row":{"type":"object","properties":{"name":{"type":"string"}}}}}
            """)!.AsObject();

        Assert.True(SchemaCoverage.Describes(schema, "/rows/3/name"));
        Assert.False(SchemaCoverage.Describes(schema, "/rows/3/other"));
        Assert.False(SchemaCoverage.Describes(schema, "/rows/name"));
        Assert.True(SchemaCoverage.Describes(null, "/anything"));
    }
}

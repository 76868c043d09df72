using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class ScenarioListUrlTests
{
    [Fact]
    public void Parse_EveryFilter_RoundTripsThroughTheParameters()
    {
        var url = ScenarioListUrl.Parse(" pop ", "tools", "task2", "expert", "population", "Built_In");

        Assert.Empty(url.Errors);
        Assert.Equal(new StudioQuery("pop", "tools", "task2", "expert", "population", ScenarioStatus.BuiltIn), url.Query);
        var parameters = ScenarioListUrl.ToParameters(url.Query);
        Assert.Equal(["pop", "tools", "task2", "expert", "population", "built_in"], parameters.Values);
        Assert.Equal(["q", "suite", "task", "tier", "family", "status"], parameters.Keys);
    }

    [Fact]
    public void Parse_BlankValues_NotFiltered()
    {
        var url = ScenarioListUrl.Parse("", "  ", null, "", null, " ");

        Assert.Equal(new StudioQuery(), url.Query);
        Assert.All(ScenarioListUrl.ToParameters(url.Query).Values, Assert.Null);
    }

    [Fact]
    public void Parse_UnknownStatus_ReportedAndLeftOut()
    {
        var url = ScenarioListUrl.Parse(null, "tools", null, null, null, "retired");

        Assert.Equal(new StudioQuery(Suite: "tools"), url.Query);
        Assert.Equal(["Unknown status 'retired'. Valid values: built_in, published, draft."], url.Errors);
    }
}

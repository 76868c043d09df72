using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class ToolsSessionSmokeTests
{
    [Fact]
    public void Episode_PopulationAnsweredFromDatabase_ScoresHigh()
    {
        var (session, reset) = Start("W01", seed: 7);
        var instance = Instance("W01", 7);
        var country = instance.Facts[0].Entity;
        var db = CallTool(session, "database_query", new JsonObject { ["sql"] = $"SELECT name, population FROM countries WHERE name = '{country}'" });
        var web = CallTool(session, "fetch_url", new JsonObject { ["url"] = "https://chaos.local/wiki/" + country.ToLowerInvariant() });
        var final = Step(session, Submit($"The population of {country} is {instance.Facts[0].Number:0}."));
        Assert.True(final.Done);
        Assert.NotNull(final.Grade);
        Assert.True(final.Reward > 0.8, final.Record.RewardComponents.Aggregate("", (a, c) => a + c.Name + "=" + c.Value + " " + c.Reason + "\n") + db.Observation.ToJsonString() + web.Observation.ToJsonString());
        Assert.Contains("question", reset.Observation.ToJsonString());
    }
}

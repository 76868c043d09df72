using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class ScoringTests
{
    private static ToolsSession Clean(string scenario, long seed, bool keepBadPaths = false)
    {
        var session = (ToolsSession)Suite.CreateSession();
        var definition = ScenarioCatalog.Find(scenario)!;
        session.Start(keepBadPaths ? definition with { FaultProbability = 0 } : definition with { BadPaths = [], FaultProbability = 0 }, seed, "score");
        return session;
    }

    [Fact]
    public void CorrectAnswer_TwoIndependentSources_BeatsOneSource()
    {
        var instance = Instance("W01", 6);
        var country = instance.Facts[0].Entity;
        var answer = ExploitTests.CorrectAnswer(instance);

        var one = Clean("W01", 6);
        CallTool(one, "knowledge_base_lookup", new JsonObject { ["entity"] = country });
        var oneScore = Step(one, Submit(answer)).Reward;

        var two = Clean("W01", 6);
        CallTool(two, "knowledge_base_lookup", new JsonObject { ["entity"] = country });
        var second = CallTool(two, "database_query", new JsonObject { ["sql"] = $"SELECT population FROM countries WHERE name = '{country}'" });
        Assert.Contains(second.Record.RewardComponents, c => c.Name == "cross_check");
        var twoScore = Step(two, Submit(answer)).Reward;

        Assert.Equal(0.85, oneScore, 6);
        Assert.Equal(1.0, twoScore, 6);
    }

    [Fact]
    public void WrongAnswer_AfterPerfectProcess_ScoresZero()
    {
        var instance = Instance("W01", 6);
        var session = Clean("W01", 6);
        CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = instance.Facts[0].Entity });
        CallTool(session, "database_query", new JsonObject { ["sql"] = "SELECT * FROM countries" });
        var final = Step(session, Submit("The population is 1."));
        Assert.Equal(0, final.Reward);
        Assert.Equal("wrong", final.Grade!.Outcome);
    }

    [Fact]
    public void Recovery_FaultHitKeyFactThenObtainedElsewhere_Credited()
    {
        var instance = Instance("W01", 6);
        var country = instance.Facts[0].Entity;
        var session = Clean("W01", 6, keepBadPaths: true);
        var failed = CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = country });
        Assert.Equal("error", failed.Observation["status"]!.ToString());
        var recovered = CallTool(session, "database_query", new JsonObject { ["sql"] = $"SELECT population FROM countries WHERE name = '{country}'" });
        Assert.Contains(recovered.Record.RewardComponents, c => c.Name == "recovery");
        var final = Step(session, Submit(ExploitTests.CorrectAnswer(instance)));
        Assert.Equal(1, final.Grade!.Components.Single(c => c.Name == "recovery").Value);
        Assert.Equal(0.85 + (0.15 * 0.5), final.Reward, 6);
    }

    [Fact]
    public void StepRewards_AreBounded()
    {
        var instance = Instance("I08", 2);
        foreach (var step in RunAll("I08", 2, Battery(instance)).Where(s => !s.Done))
        {
            Assert.InRange(step.Reward, -ToolsScorer.StepRewardBound, ToolsScorer.StepRewardBound);
        }
    }

    [Fact]
    public void RepeatPenalty_Escalates()
    {
        var (session, _) = Start("W01", 4);
        var country = Instance("W01", 4).Facts[0].Entity;
        var rewards = Enumerable.Range(0, 4).Select(_ => CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = country }).Reward).ToList();
        Assert.Equal([0, -0.03, -0.06, -0.09], rewards.Select(r => Math.Round(r, 6)));
    }

    [Fact]
    public void TicketFamily_GradedFromTicketStateNotAnswerText()
    {
        var instance = Instance("B16", 3);
        var revenue = (double)instance.Key.Slots[0].Expected;

        var untouched = Clean("B16", 3);
        Assert.Equal(0, Step(untouched, Submit(ExploitTests.CorrectAnswer(instance))).Reward);

        var done = Clean("B16", 3);
        CallTool(done, "update_ticket", new JsonObject { ["ticket_id"] = instance.TicketId, ["update"] = new JsonObject { ["status"] = "resolved", ["fields"] = new JsonObject { [ScenarioTemplate.TicketField] = revenue } } });
        var final = Step(done, Submit("ok"));
        Assert.Equal("correct", final.Grade!.Outcome);
        Assert.Contains("ticket", final.Grade.AnswerKey!["graded_from"]!.ToString(), StringComparison.Ordinal);

        var unresolved = Clean("B16", 3);
        CallTool(unresolved, "update_ticket", new JsonObject { ["ticket_id"] = instance.TicketId, ["update"] = new JsonObject { ["fields"] = new JsonObject { [ScenarioTemplate.TicketField] = revenue } } });
        Assert.Equal("partial", Step(unresolved, Submit("ok")).Grade!.Outcome);
    }

    [Fact]
    public void Density_RightFactorWrongCountry_ScoresZero()
    {
        var instance = Instance("I01", 9);
        var choices = instance.Key.Slots[0].Choices!;
        var wrong = choices.First(c => c != (string)instance.Key.Slots[0].Expected);
        var factor = (double)instance.Key.Slots[1].Expected;
        var final = Step(Clean("I01", 9), Submit($"{wrong} is more densely populated, by a factor of {factor:0.00}."));
        Assert.Equal(0, final.Reward);
    }
}

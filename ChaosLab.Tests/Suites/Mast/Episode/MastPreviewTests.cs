using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Scenarios;

namespace ChaosLab.Tests.Suites.Mast.Episode;

/// <summary>The scenario preview plays a mast document, published or a draft, with the suite's reference and exploit agents.</summary>
public sealed class MastPreviewTests
{
    private static readonly MastScenarioFormat Format = new(MastSuite.Rehearsing);

    [Fact]
    public async Task RunAsync_UnpublishedDraft_EveryReferenceAndExploitAgentPlaysIt()
    {
        var preview = new ScenarioPreview([Format]);

        var result = await preview.RunAsync(new PreviewRequest(Draft("mast-draft-01"), FirstSeed: 1, Seeds: 4));

        var suite = new MastSuite();
        Assert.Equal([.. suite.ReferenceAgents.Select(a => a.Name), .. suite.ExploitAgents.Select(a => a.Name)], result.Agents.Select(a => a.Agent));
        Assert.Equal(0, result.Agents.Single(a => a.Agent == "naive").MeanScore);
        Assert.True(result.Agents.Single(a => a.Agent == "careful").MeanScore > 0.5, $"careful {result.Agents.Single(a => a.Agent == "careful").MeanScore}");
        Assert.All(result.Agents, a => Assert.Equal(4, a.Episodes));
    }

    [Fact]
    public void Schedule_Draft_TheFaultRulesAndTheReferenceAgentsCalls()
    {
        var preview = new ScenarioPreview([Format]);

        var schedule = preview.Schedule(Draft("mast-draft-02"), seed: 5);

        Assert.NotEmpty(schedule.Rules);
        Assert.Contains(schedule.Calls, c => c.Agent == "careful" && c.Tool == MastTools.RunTrial);
    }

    /// <summary>A built-in warmup scenario under a new id and title: a draft nobody published.</summary>
    private static ScenarioDocument Draft(string id)
    {
        var builtIn = Format.BuiltIn.First(d => d.Tier == "warmup");
        var content = JsonNode.Parse(builtIn.Content.GetRawText())!.AsObject();
        content["id"] = id;
        content["title"] = "A draft of " + builtIn.Title;
        using var document = JsonDocument.Parse(content.ToJsonString());
        return ScenarioDocument.From(document.RootElement, ScenarioSource.Stored);
    }
}

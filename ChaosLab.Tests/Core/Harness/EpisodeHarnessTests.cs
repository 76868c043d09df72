using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using static ChaosLab.Tests.Core.Harness.HarnessTestKit;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>The facade: the master switch, each layer alone, and the all-off behaviour every client has.</summary>
public sealed class EpisodeHarnessTests
{
    public static TheoryData<HarnessLayer> Layers => new(Enum.GetValues<HarnessLayer>());

    [Fact]
    public void MasterSwitchOff_EveryLayerFlagOn_BehavesAsNoHarness()
    {
        var off = NewHarness(HarnessOptions.All with { Enabled = false }, maxSteps: 6);
        var none = NewHarness(HarnessOptions.None, maxSteps: 6);

        var trace = Play(off);

        Assert.Equal(none.SystemPrompt, off.SystemPrompt);
        Assert.Equal(AgentAction.ToolsOf(ToolsSuiteTools).Select(t => t.Description), off.ModelTools.Select(t => t.Description));
        Assert.All(trace.Regulations, r => Assert.Same(Regulation.Nothing, r));
        Assert.All(trace.Realizations, r => Assert.IsNotType<Realization.Block>(r));
        Assert.Empty(off.Interventions);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void OneLayerOn_OnlyThatLayerIntervenes(HarnessLayer layer)
    {
        var harness = NewHarness(Only(layer), maxSteps: 6);

        Play(harness);

        Assert.NotEmpty(harness.Interventions);
        Assert.All(harness.Interventions, i => Assert.Equal(layer.Name(), i.Layer));
    }

    [Fact]
    public void AllLayersOn_EachLayerIntervenesInTheSameEpisode()
    {
        var harness = NewHarness(HarnessOptions.All, maxSteps: 6);

        Play(harness);

        Assert.Equal(["h2", "h3", "h4", "h5"], harness.Interventions.Select(i => i.Layer).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Realize_AllOff_FirstToolCallWithStrictArgumentsElseEmpty()
    {
        var harness = NewHarness(HarnessOptions.None);
        var reply = new ModelReply("text", [new ModelToolCall("a", "web_search", """{"query":"x"}"""), new ModelToolCall("b", "calculator", """{"expression":"1"}""")]);

        var first = Assert.IsType<Realization.Execute>(harness.Realize(reply, 0));
        var broken = Executed(harness.Realize(Call("web_search", "not json"), 0));

        Assert.Equal(("a", "web_search"), (first.CallId, ((AgentAction.CallTool)first.Action).ToolName));
        Assert.Equal("{}", broken.Arguments.ToJsonString());
        Assert.Equal("No tool call found in your reply. Act by calling one of the tools.", Assert.IsType<Realization.NoAction>(harness.Realize(Text("hmm"), 0)).MessageToModel);
    }

    [Theory]
    [InlineData("tools", "submit_answer")]
    [InlineData("mast", "submit_answer")]
    [InlineData("gauntlet", "submit_code")]
    [InlineData("toy", "submit_answer")]
    public void SubmitTool_IsTheSuitesOwnElseTheGenericOne(string suite, string expected)
    {
        var harness = new EpisodeHarness(HarnessOptions.None, Brief(suite), ToolsOf(suite == "toy" ? "gauntlet" : suite).Where(t => suite != "toy" || t.Name != "submit_code").ToList());

        Assert.Equal(expected, harness.SubmitTool);
        Assert.Contains(harness.ModelTools, t => t.Name == expected);
    }

    /// <summary>
    /// A short episode that gives every layer something to do: a misspelt tool (h2), the same
    /// failing call three times (h4's notes, h5's skill after a failure), then the budget's end (h4).
    /// </summary>
    private static (List<Realization> Realizations, List<Regulation> Regulations) Play(EpisodeHarness harness)
    {
        var realizations = new List<Realization>();
        var regulations = new List<Regulation>();
        var failure = new JsonObject { ["status"] = 503, ["error"] = "Service Unavailable" };
        for (var step = 1; step <= 5; step++)
        {
            var realization = harness.Realize(Call("Knowledge_Base_Lookup", """{"entity":"Veridia"}"""), step - 1);
            realizations.Add(realization);
            if (realization is Realization.Execute execute)
            {
                regulations.Add(harness.AfterStep(execute.Action, Step(step, 6, "knowledge_base_lookup", "error", failure.DeepClone())));
            }
        }

        return (realizations, regulations);
    }
}

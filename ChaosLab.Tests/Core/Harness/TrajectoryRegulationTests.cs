using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Harness;
using static ChaosLab.Tests.Core.Harness.HarnessTestKit;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>h4: repeated failing calls, loops that learn nothing and the step budget, from the observations alone.</summary>
public sealed class TrajectoryRegulationTests
{
    private static readonly HarnessOptions H4 = Only(HarnessLayer.H4);
    private static readonly JsonObject Unavailable = new() { ["status"] = 503, ["error"] = "Service Unavailable" };

    [Fact]
    public void AfterStep_SameCallFailingAgain_TwoNotesThenTheCallIsBlocked()
    {
        var harness = NewHarness(H4, maxSteps: 20);
        var lookup = Call("knowledge_base_lookup", """{"entity":"Veridia"}""");
        var notes = new List<Regulation>();
        for (var step = 1; step <= 3; step++)
        {
            var action = Executed(harness.Realize(lookup, step - 1));
            notes.Add(harness.AfterStep(action, Step(step, 20, "knowledge_base_lookup", "error", Unavailable.DeepClone())));
        }

        var blocked = harness.Realize(lookup, 3);
        var other = harness.Realize(Call("database_query", """{"sql":"SELECT 1"}"""), 3);

        Assert.Empty(notes[0].Notes);
        Assert.Contains("has failed 2 times", Assert.Single(notes[1].Notes), StringComparison.Ordinal);
        Assert.Contains("An identical call will be refused", Assert.Single(notes[2].Notes), StringComparison.Ordinal);
        var block = Assert.IsType<Realization.Block>(blocked);
        Assert.StartsWith("Blocked by the harness: knowledge_base_lookup with the same arguments failed 3 times", block.MessageToModel, StringComparison.Ordinal);
        Assert.Contains("submit your best answer with submit_answer", block.MessageToModel, StringComparison.Ordinal);
        Executed(other);
        Assert.Equal(
            [(3, "same failing call 2 times: knowledge_base_lookup"), (4, "same failing call 3 times: knowledge_base_lookup"), (4, "blocked call repeated: knowledge_base_lookup")],
            harness.Interventions.Select(i => (i.Step, i.Trigger)));
        Assert.All(harness.Interventions, i => Assert.Equal("h4", i.Layer));
    }

    [Fact]
    public void Realize_BlockedCallRepeatedTwice_GoesThroughTheThirdTime()
    {
        var harness = NewHarness(H4, maxSteps: 20);
        var lookup = Call("knowledge_base_lookup", """{"entity":"Veridia"}""");
        for (var step = 1; step <= 3; step++)
        {
            harness.AfterStep(Executed(harness.Realize(lookup, step - 1)), Step(step, 20, "knowledge_base_lookup", "error", Unavailable.DeepClone()));
        }

        Assert.IsType<Realization.Block>(harness.Realize(lookup, 3));
        Assert.IsType<Realization.Block>(harness.Realize(lookup, 3));
        Executed(harness.Realize(lookup, 3));

        Assert.Equal("blocked call repeated after 2 blocks in a row: knowledge_base_lookup", harness.Interventions[^1].Trigger);
    }

    [Fact]
    public void AfterStep_SameArgumentsInAnotherOrder_AreTheSameCall()
    {
        var harness = NewHarness(H4, maxSteps: 20);

        harness.AfterStep(Action("api_call", """{"url":"internal://entity/A","method":"GET"}"""), Step(1, 20, "api_call", "error", Unavailable.DeepClone()));
        var second = harness.AfterStep(Action("api_call", """{"method":"GET","url":"internal://entity/A"}"""), Step(2, 20, "api_call", "error", Unavailable.DeepClone()));

        Assert.Single(second.Notes);
    }

    [Fact]
    public void AfterStep_FailureOfADifferentCallOrASuccess_IsNoRepeat()
    {
        var harness = NewHarness(H4, maxSteps: 20);

        harness.AfterStep(Action("knowledge_base_lookup", """{"entity":"A"}"""), Step(1, 20, "knowledge_base_lookup", "error", Unavailable.DeepClone()));
        var otherArguments = harness.AfterStep(Action("knowledge_base_lookup", """{"entity":"B"}"""), Step(2, 20, "knowledge_base_lookup", "error", Unavailable.DeepClone()));
        var success = harness.AfterStep(Action("knowledge_base_lookup", """{"entity":"C"}"""), Step(3, 20, "knowledge_base_lookup", "ok", new JsonObject { ["population"] = 5 }));

        Assert.Empty(otherArguments.Notes);
        Assert.Empty(success.Notes);
        Assert.Empty(harness.Interventions);
    }

    [Fact]
    public void AfterStep_RefusedAction_CountsAsAFailure()
    {
        var harness = NewHarness(H4, maxSteps: 20);
        var refused = new AgentStep(new JsonObject { ["steps_remaining"] = 19 }, 0, false, "unknown tool 'x'", 1);

        harness.AfterStep(Action("x", "{}"), refused);
        var second = harness.AfterStep(Action("x", "{}"), refused);

        Assert.Single(second.Notes);
    }

    [Fact]
    public void AfterStep_AlternatingTwoCallsWithNothingNew_IsNoted()
    {
        var harness = NewHarness(H4, maxSteps: 30);
        var a = Action("web_search", """{"query":"a"}""");
        var b = Action("document_search", """{"query":"b"}""");
        var results = new[] { new JsonObject { ["hits"] = 1 }, new JsonObject { ["hits"] = 2 } };
        var all = new List<Regulation>();
        for (var step = 1; step <= 4; step++)
        {
            var even = step % 2 == 0;
            all.Add(harness.AfterStep(even ? b : a, Step(step, 30, even ? "document_search" : "web_search", "ok", results[even ? 1 : 0].DeepClone())));
        }

        Assert.All(all.Take(3), r => Assert.Empty(r.Notes));
        Assert.Contains("alternating between two calls", Assert.Single(all[3].Notes), StringComparison.Ordinal);
        Assert.Equal("alternating between two calls", Assert.Single(harness.Interventions).Trigger);
    }

    [Fact]
    public void AfterStep_LoopNotedTwice_ThenTheCallContinuingItIsBlocked()
    {
        var harness = NewHarness(H4, maxSteps: 40);
        var read = Call("read_file", """{"path":"/data"}""");
        var listing = new JsonObject { ["entries"] = new JsonArray("countries.csv") };
        var notes = new List<string>();

        // The same listing again and again: nothing new after the first.
        for (var step = 1; step <= 10; step++)
        {
            var action = Executed(harness.Realize(read, step - 1));
            notes.AddRange(harness.AfterStep(action, Step(step, 40, "read_file", "ok", listing.DeepClone())).Notes);
        }

        Assert.Equal(3, notes.Count);
        Assert.IsType<Realization.Block>(harness.Realize(read, 10));
    }

    [Fact]
    public void AfterStep_FewStepsLeft_SubmitSoonOnceThenForceSubmit()
    {
        var harness = NewHarness(H4, maxSteps: 10);
        var search = Action("web_search", """{"query":"x"}""");

        var seven = harness.AfterStep(search, Step(7, 10, "web_search", "ok", new JsonObject { ["n"] = 7 }));
        var eight = harness.AfterStep(search, Step(8, 10, "web_search", "ok", new JsonObject { ["n"] = 8 }));
        var nine = harness.AfterStep(search, Step(9, 10, "web_search", "ok", new JsonObject { ["n"] = 9 }));

        Assert.Same(Regulation.Nothing, seven);
        Assert.Equal("Harness note: 2 steps left. Get only what you still need, then submit your best answer with submit_answer before the steps run out.", Assert.Single(eight.Notes));
        Assert.False(eight.ForceSubmit);
        Assert.True(nine.ForceSubmit);
        Assert.Contains("Submit your best answer now with submit_answer", Assert.Single(nine.Notes), StringComparison.Ordinal);
        Assert.Equal([(9, "2 steps left", "note: submit soon"), (10, "1 step left", "note: submit now; only a submission is allowed next")],
            harness.Interventions.Select(i => (i.Step, i.Trigger, i.Change)));
    }

    [Fact]
    public void AfterStep_GauntletBudget_NamesItsSubmitTool()
    {
        var harness = NewHarness(H4, "gauntlet", maxSteps: 16);

        var soon = harness.AfterStep(Action("run_python", """{"code":"print(1)"}"""), Step(13, 16, "run_python", "ok", new JsonObject { ["stdout"] = "1" }));

        Assert.Contains("3 steps left", Assert.Single(soon.Notes), StringComparison.Ordinal);
        Assert.Contains("with submit_code", soon.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AfterStep_EpisodeOver_SaysNothing()
    {
        var harness = NewHarness(H4, maxSteps: 10);

        var end = harness.AfterStep(Action("submit_answer", """{"answer":"x"}"""), Step(10, 10, "submit_answer", "ok", null, done: true));

        Assert.Same(Regulation.Nothing, end);
    }

    [Fact]
    public void AfterStep_H4Off_NeverNotesOrBlocks()
    {
        var harness = NewHarness(HarnessOptions.All with { H4 = false, H5 = false, H3 = false }, maxSteps: 4);
        var lookup = Call("knowledge_base_lookup", """{"entity":"Veridia"}""");
        for (var step = 1; step <= 3; step++)
        {
            Assert.Same(Regulation.Nothing, harness.AfterStep(Executed(harness.Realize(lookup, step - 1)), Step(step, 4, "knowledge_base_lookup", "error", Unavailable.DeepClone())));
        }

        Executed(harness.Realize(lookup, 3));
        Assert.Empty(harness.Interventions);
    }
}

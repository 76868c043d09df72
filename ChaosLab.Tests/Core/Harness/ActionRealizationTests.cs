using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using static ChaosLab.Tests.Core.Harness.HarnessTestKit;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>h2 on the real suites' tools: what it repairs, what it blocks and what it leaves alone.</summary>
public sealed class ActionRealizationTests
{
    private static readonly HarnessOptions H2 = Only(HarnessLayer.H2);

    [Fact]
    public void Realize_ValidCall_IsExecutedUntouchedAndUnrecorded()
    {
        var harness = NewHarness(H2);

        var call = Executed(harness.Realize(Call("web_search", """{"query":"population of Veridia"}"""), 0));

        Assert.Equal("web_search", call.ToolName);
        Assert.Equal("""{"query":"population of Veridia"}""", call.Arguments.ToJsonString());
        Assert.Empty(harness.Interventions);
    }

    [Theory]
    [InlineData("Web_Search", "tool name off by case or separators")]
    [InlineData("web-search", "tool name off by case or separators")]
    [InlineData("webSearch", "tool name off by case or separators")]
    [InlineData("web search", "tool name off by case or separators")]
    [InlineData("functions.web_search", "tool name with a namespace prefix")]
    [InlineData("web_serch", "tool name misspelt")]
    [InlineData("search_web", "known alias of a tool")]
    public void Realize_ToolNameOff_IsRepairedAndRecorded(string written, string trigger)
    {
        var harness = NewHarness(H2);

        var call = Executed(harness.Realize(Call(written, """{"query":"x"}"""), 3));

        Assert.Equal("web_search", call.ToolName);
        var intervention = Assert.Single(harness.Interventions);
        Assert.Equal(new HarnessIntervention(4, "h2", trigger, $"{written} -> web_search"), intervention);
    }

    [Theory]
    [InlineData("tools", "final_answer", "submit_answer")]
    [InlineData("mast", "submit", "submit_answer")]
    [InlineData("gauntlet", "submit_solution", "submit_code")]
    [InlineData("gauntlet", "Run-Examples", "run_examples")]
    public void Realize_SuiteAlias_MapsToTheSuitesTool(string suite, string written, string expected)
    {
        var harness = NewHarness(H2, suite);
        var arguments = suite == "gauntlet" ? """{"code":"def f(): pass"}""" : """{"answer":"42"}""";

        var call = Executed(harness.Realize(Call(written, arguments), 0));

        Assert.Equal(expected, call.ToolName);
        Assert.Single(harness.Interventions);
    }

    [Fact]
    public void Realize_NameFarFromEveryTool_IsBlockedWithTheValidTools()
    {
        var harness = NewHarness(H2);

        var block = Assert.IsType<Realization.Block>(harness.Realize(Call("teleport", "{}", "c7"), 2));

        Assert.Equal("c7", block.CallId);
        Assert.Contains("unknown tool 'teleport'", block.MessageToModel, StringComparison.Ordinal);
        Assert.Contains("web_search", block.MessageToModel, StringComparison.Ordinal);
        Assert.Contains("no step was spent", block.MessageToModel, StringComparison.Ordinal);
        var intervention = Assert.Single(harness.Interventions);
        Assert.Equal((3, "h2", "unknown tool 'teleport'"), (intervention.Step, intervention.Layer, intervention.Trigger));
        Assert.StartsWith("blocked; told the model: unknown tool 'teleport'", intervention.Change, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TwoToolsEquallyClose_IsNotGuessed()
    {
        var none = new Dictionary<string, string>();

        // One edit from each: close enough for either alone, so only the tie keeps it from guessing.
        Assert.Equal("report_v1", new ToolNameResolver(["report_v1"], none).Resolve("report_v3")?.Tool);
        Assert.Null(new ToolNameResolver(["report_v1", "report_v2"], none).Resolve("report_v3"));
    }

    [Theory]
    [InlineData("scratchpad_read", "scratchpad_write")]
    [InlineData("read_trace", "read_source")]
    [InlineData("validate_url", "validate_data")]
    public void Similarity_ClosestDistinctToolsOfTheSuites_StayBelowTheThreshold(string a, string b) =>
        Assert.True(ToolNameResolver.Similarity(ToolNameResolver.Normalize(a), ToolNameResolver.Normalize(b)) < ToolNameResolver.NearMissThreshold);

    [Theory]
    [InlineData("web_serch", "web_search")]
    [InlineData("calculater", "calculator")]
    [InlineData("read_fil", "read_file")]
    public void Similarity_OneTypoInARealToolName_ReachesTheThreshold(string typo, string tool) =>
        Assert.True(ToolNameResolver.Similarity(ToolNameResolver.Normalize(typo), ToolNameResolver.Normalize(tool)) >= ToolNameResolver.NearMissThreshold);

    [Theory]
    [InlineData("\"{\\\"query\\\": \\\"x\\\"}\"", "arguments double-encoded as a JSON string")]
    [InlineData("{\"query\": \"x\",}", "arguments with trailing commas or comments")]
    [InlineData("{'query': 'x'}", "arguments written with single quotes")]
    [InlineData("```json\n{\"query\": \"x\"}\n```", "arguments wrapped in a code fence")]
    public void Realize_ArgumentsNotAPlainObject_AreRead(string text, string trigger)
    {
        var harness = NewHarness(H2);

        var call = Executed(harness.Realize(Call("web_search", text), 0));

        Assert.Equal("""{"query":"x"}""", call.Arguments.ToJsonString());
        Assert.Equal(trigger, Assert.Single(harness.Interventions).Trigger);
    }

    [Fact]
    public void Realize_SingleQuotesWithAQuoteInsideAValue_IsNotGuessedAndIsBlocked()
    {
        var harness = NewHarness(H2);

        var block = Assert.IsType<Realization.Block>(harness.Realize(Call("web_search", "{'query': \"it's\"}"), 0));

        Assert.Contains("the arguments are not valid JSON", block.MessageToModel, StringComparison.Ordinal);
        Assert.Contains("web_search takes: query (string, required, at most 300 characters)", block.MessageToModel, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("translate", """{"Text":"bonjour","targetLanguage":"en"}""", """{"text":"bonjour","target_language":"en"}""", "argument name off by case or separators")]
    [InlineData("translate", """{"text":"bonjour","target-language":"en"}""", """{"text":"bonjour","target_language":"en"}""", "argument name off by case or separators")]
    [InlineData("api_call", """{"url":"internal://entity/Veridia","method":"get"}""", """{"url":"internal://entity/Veridia","method":"GET"}""", "enum value off by case")]
    [InlineData("compare_values", """{"value1":1,"value2":2,"tolerance":"0.02"}""", """{"value1":1,"value2":2,"tolerance":0.02}""", "number written as text")]
    [InlineData("scratchpad_write", """{"key":"k","value":1250}""", """{"key":"k","value":"1250"}""", "number given where text is expected")]
    [InlineData("database_insert", """{"table":"agent_notes","data":"{\"key\":\"a\",\"value\":\"b\"}"}""", """{"table":"agent_notes","data":{"key":"a","value":"b"}}""", "argument holds JSON as text")]
    public void Realize_ArgumentsOffTheSchema_AreFitted(string tool, string arguments, string expected, string trigger)
    {
        var harness = NewHarness(H2);

        var call = Executed(harness.Realize(Call(tool, arguments), 0));

        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), call.Arguments.ToJsonString());
        Assert.Contains(harness.Interventions, i => i.Trigger == trigger);
    }

    [Fact]
    public void Realize_MastRunsAsText_BecomesTheInteger()
    {
        var harness = NewHarness(H2, "mast");

        var call = Executed(harness.Realize(Call("run_trial", """{"config":{},"runs":"5"}"""), 0));

        Assert.Equal(5, call.Arguments["runs"]!.GetValue<long>());
    }

    [Fact]
    public void Realize_MissingRequiredArgument_IsBlockedAndNeverInvented()
    {
        var harness = NewHarness(H2);

        var block = Assert.IsType<Realization.Block>(harness.Realize(Call("knowledge_base_lookup", """{"name":"Veridia"}"""), 0));

        Assert.Contains("arguments.entity: required", block.MessageToModel, StringComparison.Ordinal);
        Assert.Contains("knowledge_base_lookup takes: entity (string, required, at most 200 characters)", block.MessageToModel, StringComparison.Ordinal);
        Assert.Equal("knowledge_base_lookup: arguments do not match the tool's schema", Assert.Single(harness.Interventions).Trigger);
    }

    [Theory]
    [InlineData("I will search.\n```json\n{\"tool_name\": \"web_search\", \"arguments\": {\"query\": \"x\"}}\n```", "a ```json fence", null)]
    [InlineData("Calling {\"name\": \"web_search\", \"parameters\": {\"query\": \"x\"}} now", "the reply text", "name -> tool_name, parameters -> arguments")]
    [InlineData("{\"tool\": \"web_search\", \"input\": {\"query\": \"x\"}}", "the reply text", "tool -> tool_name, input -> arguments")]
    [InlineData("{\"action\": \"web_search\", \"action_input\": {\"query\": \"x\"}}", "the reply text", "action -> tool_name, action_input -> arguments")]
    [InlineData("{\"function\": {\"name\": \"web_search\", \"arguments\": \"{\\\"query\\\": \\\"x\\\"}\"}}", "the reply text", "name -> tool_name")]
    [InlineData("{\"tool\": \"web_search\", \"query\": \"x\"}", "the reply text", "tool -> tool_name")]
    [InlineData("Let me look: web_search({\"query\": \"x\"})", "web_search(...) in the reply text", null)]
    public void Realize_CallWrittenInTheText_IsRescued(string text, string where, string? renamed)
    {
        var harness = NewHarness(H2);

        var execute = Assert.IsType<Realization.Execute>(harness.Realize(Text(text), 0));

        var call = Assert.IsType<AgentAction.CallTool>(execute.Action);
        Assert.Equal(("web_search", """{"query":"x"}"""), (call.ToolName, call.Arguments.ToJsonString()));
        Assert.Null(execute.CallId);
        Assert.Contains(harness.Interventions, i => i.Trigger == "call written in the reply text" && i.Change == $"read web_search(...) from {where}");
        if (renamed is not null)
        {
            Assert.Contains(harness.Interventions, i => i.Trigger == "wrong field names in the call" && i.Change == renamed);
        }
    }

    [Fact]
    public void Realize_WireSubmitInTheText_IsRescuedAsASubmission()
    {
        var harness = NewHarness(H2, "mast");

        var execute = Assert.IsType<Realization.Execute>(harness.Realize(Text("""Done: {"type":"submit_answer","answer":{"config":{}}}"""), 0));

        var call = Assert.IsType<AgentAction.CallTool>(execute.Action);
        Assert.Equal(("submit_answer", """{"answer":{"config":{}}}"""), (call.ToolName, call.Arguments.ToJsonString()));
    }

    [Theory]
    [InlineData("The population is {\"value\": 5200000}.")]
    [InlineData("{\"name\": \"Alice Moreau\", \"role\": \"CEO\"}")]
    [InlineData("I am not sure what to do next.")]
    public void Realize_TextWithoutACallOfATool_IsNoAction(string text)
    {
        var harness = NewHarness(H2);

        Assert.IsType<Realization.NoAction>(harness.Realize(Text(text), 0));
        Assert.Empty(harness.Interventions);
    }

    [Fact]
    public void Realize_ThirdInvalidCallInARow_GoesThroughAsWrittenAndIsRecorded()
    {
        var harness = NewHarness(H2);

        Assert.IsType<Realization.Block>(harness.Realize(Call("teleport", """{"to":"x"}"""), 0));
        Assert.IsType<Realization.Block>(harness.Realize(Call("teleport", """{"to":"x"}"""), 0));
        var through = Executed(harness.Realize(Call("teleport", """{"to":"x"}"""), 0));
        var blockedAgain = harness.Realize(Call("teleport", """{"to":"x"}"""), 1);

        Assert.Equal(("teleport", """{"to":"x"}"""), (through.ToolName, through.Arguments.ToJsonString()));
        Assert.Equal("unknown tool 'teleport', after 2 blocks in a row", harness.Interventions[2].Trigger);
        Assert.Equal("let through as written, so the episode moves on", harness.Interventions[2].Change);
        Assert.IsType<Realization.Block>(blockedAgain);
    }

    [Fact]
    public void Realize_InvalidCallLetThrough_KeepsTheNameAsWrittenAndRecordsNoRepair()
    {
        var harness = NewHarness(H2);

        harness.Realize(Call("Web_Search", "{}"), 0);
        harness.Realize(Call("Web_Search", "{}"), 0);
        var through = Executed(harness.Realize(Call("Web_Search", "{}"), 0));

        Assert.Equal("Web_Search", through.ToolName);
        Assert.Equal(
            ["tool name off by case or separators", "web_search: arguments do not match the tool's schema", "tool name off by case or separators", "web_search: arguments do not match the tool's schema", "web_search: arguments do not match the tool's schema, after 2 blocks in a row"],
            harness.Interventions.Select(i => i.Trigger));
    }

    [Fact]
    public void Realize_ValidCallBetweenBlocks_ResetsTheCount()
    {
        var harness = NewHarness(H2);

        harness.Realize(Call("teleport", "{}"), 0);
        harness.Realize(Call("teleport", "{}"), 0);
        Executed(harness.Realize(Call("web_search", """{"query":"x"}"""), 0));

        Assert.IsType<Realization.Block>(harness.Realize(Call("teleport", "{}"), 1));
    }

    [Fact]
    public void Realize_H2Off_PassesTheFirstCallAsWrittenAndIgnoresText()
    {
        var harness = NewHarness(HarnessOptions.All with { H2 = false, H3 = false, H5 = false });

        var call = Executed(harness.Realize(Call("Web_Search", "{'query': 'x'}"), 0));

        Assert.Equal(("Web_Search", "{}"), (call.ToolName, call.Arguments.ToJsonString()));
        Assert.IsType<Realization.NoAction>(harness.Realize(Text("""{"tool_name":"web_search","arguments":{"query":"x"}}"""), 0));
        Assert.Empty(harness.Interventions);
    }

    [Fact]
    public void Realize_MasterSwitchOff_RepairsNothingWhateverTheFlags()
    {
        var harness = NewHarness(HarnessOptions.All with { Enabled = false });

        var call = Executed(harness.Realize(Call("Web_Search", "{'query': 'x'}"), 0));

        Assert.Equal(("Web_Search", "{}"), (call.ToolName, call.Arguments.ToJsonString()));
        Assert.Empty(harness.Interventions);
    }

    [Fact]
    public void Realize_SubmitAliasOnASuiteWithoutASubmitTool_IsASubmission()
    {
        var tools = new[] { new ToolDescriptor("lookup", "Look up.", "retrieval", JsonNode.Parse("""{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}""")!.AsObject()) };
        var harness = new EpisodeHarness(H2, Brief("toy"), tools);

        var execute = Assert.IsType<Realization.Execute>(harness.Realize(Call("final_answer", """{"answer":"42"}"""), 0));

        var submit = Assert.IsType<AgentAction.Submit>(execute.Action);
        Assert.Equal("42", submit.Text);
    }
}

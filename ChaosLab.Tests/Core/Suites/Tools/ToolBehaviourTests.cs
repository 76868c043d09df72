using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Each tool really works (no stubs). Sessions here have no faults.</summary>
public sealed class ToolBehaviourTests
{
    private static (ToolsSession Session, ScenarioInstance Instance) Clean(string scenario = "W01", long seed = 21, ICodeSandbox? sandbox = null)
    {
        var session = (ToolsSession)new ToolsSuite(sandbox).CreateSession();
        var definition = ScenarioCatalog.Find(scenario)! with { BadPaths = [], FaultProbability = 0 };
        Assert.True(session.Start(definition, seed, "clean").Succeeded);
        return (session, ScenarioTemplate.Instantiate(definition, seed));
    }

    private static JsonNode Result(IEpisodeSession session, string tool, JsonObject args)
    {
        var step = CallTool(session, tool, args);
        return step.Observation["result"]!;
    }

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("sqrt(16) + abs(-3)", 7)]
    [InlineData("round(2 / 3, 3)", 0.667)]
    [InlineData("max(1, 5, 3) % 3", 2)]
    [InlineData("1_000_000 / 4", 250000)]
    [InlineData("2e3 + 1", 2001)]
    public void Calculator_Expressions_Evaluated(string expression, double expected)
    {
        var (value, error) = Calculator.Evaluate(expression);
        Assert.Null(error);
        Assert.Equal(expected, value, 9);
    }

    [Theory]
    [InlineData("1 +")]
    [InlineData("2 * (3")]
    [InlineData("import os")]
    [InlineData("1 / 0")]
    [InlineData("foo(1)")]
    public void Calculator_Invalid_ErrorNotCrash(string expression)
    {
        Assert.NotNull(Calculator.Evaluate(expression).Error);
    }

    [Fact]
    public void Calculator_DeepNesting_Refused()
    {
        Assert.NotNull(Calculator.Evaluate(new string('(', 500) + "1" + new string(')', 500)).Error);
    }

    [Fact]
    public void KnowledgeBase_KnownAndUnknownEntity()
    {
        var (session, instance) = Clean();
        var country = instance.Facts[0].Entity;
        var record = Result(session, "knowledge_base_lookup", new JsonObject { ["entity"] = country.ToUpperInvariant() });
        Assert.Equal(instance.Facts[0].Number, JsonNumber.Read(record["population"]!));
        var missing = Result(session, "knowledge_base_lookup", new JsonObject { ["entity"] = "Atlantis" });
        Assert.False(missing["found"]!.GetValue<bool>());
    }

    [Fact]
    public void WebSearchThenFetch_FindsThePage()
    {
        var (session, instance) = Clean();
        var country = instance.Facts[0].Entity;
        var search = Result(session, "web_search", new JsonObject { ["query"] = country + " population" });
        var url = search["results"]![0]!["url"]!.ToString();
        var page = Result(session, "fetch_url", new JsonObject { ["url"] = url });
        Assert.Equal(200, page["status"]!.GetValue<int>());
        Assert.Contains(country, page["content"]!.ToString(), StringComparison.Ordinal);
        var outside = CallTool(session, "fetch_url", new JsonObject { ["url"] = "https://example.com/" });
        Assert.Equal("error", outside.Observation["status"]!.ToString());
    }

    [Fact]
    public void DocumentSearch_ResultsCarrySourceDateReliability()
    {
        var (session, instance) = Clean("E05", 4);
        var results = Result(session, "document_search", new JsonObject { ["query"] = instance.Facts[0].Entity + " annual report" })["results"]!.AsArray();
        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.NotNull(r!["published"]);
            Assert.NotNull(r["reliability"]);
            Assert.NotNull(r["source"]);
        });
    }

    [Fact]
    public void ApiCall_FinancialsAndMethodRules()
    {
        var (session, instance) = Clean("E05", 4);
        var company = instance.Facts[0].Entity;
        var fin = Result(session, "api_call", new JsonObject { ["url"] = $"internal://financials/{company}?year=2025", ["method"] = "GET" });
        Assert.Equal(instance.Facts[0].Number, JsonNumber.Read(fin["body"]!["revenue_usd_billions"]!));
        var post = CallTool(session, "api_call", new JsonObject { ["url"] = $"internal://entity/{company}", ["method"] = "POST" });
        Assert.Equal(405, post.Observation["result"]!["status"]!.GetValue<int>());
    }

    [Fact]
    public void ReadFile_ListsAndReads_WriteFileOnlyUnderWorkspace()
    {
        var (session, _) = Clean();
        Assert.Contains("/data/countries.csv", Result(session, "read_file", new JsonObject { ["path"] = "/data" }).ToJsonString(), StringComparison.Ordinal);
        Assert.StartsWith("# exported", Result(session, "read_file", new JsonObject { ["path"] = "/data/countries.csv" })["content"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("error", CallTool(session, "write_file", new JsonObject { ["path"] = "/data/x.csv", ["content"] = "x" }).Observation["status"]!.ToString());
        CallTool(session, "write_file", new JsonObject { ["path"] = "/workspace/notes.md", ["content"] = "hello" });
        Assert.Equal("hello", Result(session, "read_file", new JsonObject { ["path"] = "/workspace/notes.md" })["content"]!.ToString());
    }

    [Fact]
    public void Scratchpad_WriteThenRead()
    {
        var (session, _) = Clean();
        CallTool(session, "scratchpad_write", new JsonObject { ["key"] = "pop", ["value"] = "123" });
        Assert.Equal("123", Result(session, "scratchpad_read", new JsonObject { ["key"] = "pop" })["value"]!.ToString());
        Assert.Equal("error", CallTool(session, "scratchpad_read", new JsonObject { ["key"] = "none" }).Observation["status"]!.ToString());
    }

    [Fact]
    public void PythonExecute_NoSandbox_ClearRefusal()
    {
        var (session, _) = Clean();
        var step = CallTool(session, "python_execute", new JsonObject { ["code"] = "print(1)" });
        Assert.Equal("error", step.Observation["status"]!.ToString());
        Assert.Contains("Code execution is unavailable", step.Observation["result"]!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PythonExecute_WithSandbox_ReturnsStdoutNotElapsed()
    {
        var (session, _) = Clean(sandbox: new EchoSandbox());
        var result = Result(session, "python_execute", new JsonObject { ["code"] = "print(41+1)" });
        Assert.Equal("ran: print(41+1)", result["stdout"]!.ToString());
        Assert.Null(result["elapsed"]);
    }

    [Fact]
    public void TextExtract_NamedAndCustomPatterns()
    {
        var (session, _) = Clean();
        var named = Result(session, "text_extract", new JsonObject { ["text"] = "on 2025-01-02 and 2026-03-04", ["pattern"] = "dates" });
        Assert.Equal(2, named["count"]!.GetValue<int>());
        var custom = Result(session, "text_extract", new JsonObject { ["text"] = "a1 b22 c333", ["pattern"] = @"\d{2,}" });
        Assert.Equal("[\"22\",\"333\"]", custom["matches"]!.ToJsonString());
        Assert.Equal("error", CallTool(session, "text_extract", new JsonObject { ["text"] = "x", ["pattern"] = "(" }).Observation["status"]!.ToString());
    }

    [Fact]
    public void DataTransform_CompareValues_JsonQuery()
    {
        var (session, _) = Clean();
        Assert.Equal(6, JsonNumber.Read(Result(session, "data_transform", new JsonObject { ["data"] = new JsonArray(1, 2, 3), ["operation"] = "sum" })["result"]!));
        Assert.Equal(2.5, JsonNumber.Read(Result(session, "data_transform", new JsonObject { ["data"] = "5, 2", ["operation"] = "ratio" })["result"]!));
        var cmp = Result(session, "compare_values", new JsonObject { ["value1"] = "$12.5 billion", ["value2"] = 12_600_000_000.0, ["tolerance"] = 0.02 });
        Assert.True(cmp["within_tolerance"]!.GetValue<bool>());
        var q = Result(session, "json_query", new JsonObject { ["data"] = "{\"rows\":[{\"p\":1},{\"p\":2}]}", ["query"] = "$.rows[*].p" });
        Assert.Equal("[1,2]", q["result"]!.ToJsonString());
        Assert.Equal(2, JsonNumber.Read(Result(session, "json_query", new JsonObject { ["data"] = new JsonArray(1, 2), ["query"] = "$.length()" })["result"]!));
    }

    [Fact]
    public void JsonQuery_TextThatIsNotJson_RefusedWithAReadableMessage()
    {
        var (session, _) = Clean();

        var observation = CallTool(session, "json_query", new JsonObject { ["data"] = "{not json", ["query"] = "$.a" }).Observation;

        Assert.Equal("error", observation["status"]!.ToString());
        var text = observation.ToJsonString();
        Assert.Contains("data is text that is not JSON", text, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_LocalLanguage_ToEnglishWithHonestLimits()
    {
        var (session, instance) = Clean();
        var local = instance.World.LocalVocabulary["population"];
        var result = Result(session, "translate", new JsonObject { ["text"] = $"{local} 1,234 zzqx", ["target_language"] = "en" });
        Assert.StartsWith("population 1,234", result["translation"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("zzqx", result["untranslated_words"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("bevölkerung", Result(session, "translate", new JsonObject { ["text"] = "population", ["target_language"] = "de" })["translation"]!.ToString());
    }

    [Fact]
    public void FactCheck_ReturnsEvidenceNeverAVerdict()
    {
        var (session, instance) = Clean("E05", 4);
        var company = instance.Facts[0].Entity;
        var evidence = $"Annual report. {company} reported revenue of $1.25 billion for FY2025. Staff grew 4%.";
        var result = Result(session, "fact_check", new JsonObject { ["claim"] = $"{company} revenue was $1.23 billion in FY2025 says Meridian", ["evidence"] = evidence });
        var revenue = result["claim_figures"]!.AsArray().Single(f => f!["figure"]!.ToString() == "1.23 billion")!;
        Assert.Equal("1.25 billion", revenue["agreeing_in_evidence"]![0]!.ToString());
        Assert.Contains("reported revenue of $1.25 billion", result["sentences_stating_agreeing_figures"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["Meridian"], result["claim_names_missing_from_evidence"]!.AsArray().Select(n => n!.ToString()));
        var text = result.ToJsonString().ToLowerInvariant();
        foreach (var word in new[] { "verdict", "\"accurate\"", "\"supported\"", "\"true\"", "is_true", "correct" })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("W01", 4)]
    [InlineData("E05", 4)]
    [InlineData("B03", 9)]
    public void FactCheck_QuestionWithoutEvidence_ReturnsNoWorldFact(string scenario, long seed)
    {
        // fact_check gets no data faults, so anything it read from the world would be a clean copy of a fact.
        var (session, instance) = Clean(scenario, seed);
        var result = Result(session, "fact_check", new JsonObject { ["claim"] = instance.Question, ["evidence"] = "no figures here" }).ToJsonString();
        foreach (var fact in instance.Facts)
        {
            Assert.False(FactTracker.Contains(result, fact, instance.Question), fact.Id);
        }
    }

    [Fact]
    public void ValidationTools_Work()
    {
        var (session, _) = Clean();
        Assert.False(Result(session, "validate_url", new JsonObject { ["url"] = "https://chaos.local/wiki/nowhere" })["reachable"]!.GetValue<bool>());
        var invalid = Result(session, "validate_data", new JsonObject { ["data"] = new JsonObject { ["a"] = "x" }, ["schema"] = JsonNode.Parse("""{"type":"object","required":["b"],"properties":{"a":{"type":"number"}}}""") });
        Assert.Equal(2, invalid["errors"]!.AsArray().Count);
        var consistency = Result(session, "check_consistency", new JsonObject { ["source1"] = "revenue $12.5 billion", ["source2"] = "revenue of 12,500 million" });
        Assert.True(consistency["consistent"]!.GetValue<bool>());
        var hash = Result(session, "hash_verify", new JsonObject { ["data"] = "abc", ["expected_hash"] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" });
        Assert.True(hash["match"]!.GetValue<bool>());
    }

    [Fact]
    public void ActionTools_ChangeWorkspaceState()
    {
        var (session, _) = Clean();
        CallTool(session, "send_notification", new JsonObject { ["message"] = "hi" });
        Assert.Equal("error", CallTool(session, "schedule_task", new JsonObject { ["task"] = "t", ["time"] = "2020-01-01T00:00:00Z" }).Observation["status"]!.ToString());
        CallTool(session, "schedule_task", new JsonObject { ["task"] = "t", ["time"] = "2026-04-09T09:00:00Z" });
        var ticket = Result(session, "update_ticket", new JsonObject { ["ticket_id"] = "TCK-1002", ["update"] = new JsonObject { ["status"] = "resolved", ["fields"] = new JsonObject { ["x"] = 1 } } });
        Assert.Equal("resolved", ticket["status"]!.ToString());
        Assert.Equal("error", CallTool(session, "update_ticket", new JsonObject { ["ticket_id"] = "TCK-1002", ["update"] = new JsonObject { ["status"] = "done" } }).Observation["status"]!.ToString());
        CallTool(session, "request_human_review", new JsonObject { ["reason"] = "unsure" });
        var workspace = session.State["workspace"]!;
        Assert.Equal(1, workspace["notifications"]!.GetValue<int>());
    }

    [Fact]
    public void GetCurrentDatetime_EpisodeClockInZone()
    {
        var (session, _) = Clean();
        var result = Result(session, "get_current_datetime", new JsonObject { ["timezone"] = "+05:30" });
        Assert.StartsWith("2026-04-08T05:30", result["datetime"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("error", CallTool(session, "get_current_datetime", new JsonObject { ["timezone"] = "Mars/Olympus" }).Observation["status"]!.ToString());
    }

    private sealed class EchoSandbox : ICodeSandbox
    {
        public SandboxAvailability Availability { get; } = SandboxAvailability.Available("test", SandboxResourceControl.Rlimits);

        public Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default)
            => Task.FromResult(new SandboxResult(SandboxOutcome.Completed, 0, "ran: " + request.Code, "", false, TimeSpan.FromMilliseconds(123)));
    }
}

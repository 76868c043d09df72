using System.Text.Json.Nodes;
using ChaosLab.Core.Harness;
using static ChaosLab.Tests.Core.Harness.HarnessTestKit;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>h5: the built-in skill library, its filters, BM25 ranking, top-k at start and one new skill after a failure.</summary>
public sealed class SkillRetrievalTests
{
    private static readonly HarnessOptions H5 = Only(HarnessLayer.H5);

    [Theory]
    [InlineData("tools", 8)]
    [InlineData("mast", 8)]
    [InlineData("gauntlet", 8)]
    [InlineData("general", 2)]
    public void BuiltIn_EverySuiteFolder_HasItsSkills(string suite, int count)
    {
        var skills = SkillLibrary.BuiltIn.Skills.Where(s => s.Suite == suite).ToList();

        Assert.Equal(count, skills.Count);
        Assert.All(skills, s => Assert.StartsWith(suite + "/", s.Id, StringComparison.Ordinal));
        Assert.All(skills, s => Assert.True(s.Tags.Count > 0 && s.Body.Length > 100, s.Id));
    }

    [Theory]
    [InlineData("tools", "launch_date", "task1", "tools/multi-hop", "tools/units-and-scales")]
    [InlineData("tools", "gdp_per_capita", "task1", "tools/units-and-scales", "tools/multi-hop")]
    [InlineData("tools", "population", "task2", "tools/reconcile-sources", "tools/switch-retrieval-path")]
    [InlineData("mast", "research_report", "specification", "mast/specification-failures", "mast/verification-failures")]
    [InlineData("mast", "content_review", "verification", "mast/verification-failures", "mast/inter-agent-failures")]
    [InlineData("gauntlet", "retry", "retry", "gauntlet/retries-and-backoff", "gauntlet/duplicates-and-order")]
    [InlineData("gauntlet", "stream", "stream", "gauntlet/duplicates-and-order", "tools/retry-after")]
    public void Candidates_FamilyAndTaskFilters_KeepTheSkillsThatApply(string suite, string family, string task, string included, string excluded)
    {
        var brief = Brief(suite, family) with { TaskId = task };

        var candidates = new SkillRetriever(SkillLibrary.BuiltIn, brief).Candidates.Select(s => s.Id).ToList();

        Assert.Contains(included, candidates);
        Assert.DoesNotContain(excluded, candidates);
        Assert.Contains("general/step-budget", candidates);
        Assert.All(candidates, id => Assert.True(id.StartsWith(suite + "/", StringComparison.Ordinal) || id.StartsWith("general/", StringComparison.Ordinal), id));
    }

    [Theory]
    [InlineData("status 429 Too Many Requests retry_after_steps 2", "tools/retry-after")]
    [InlineData("the two sources disagree: an older fiscal year and a duplicate record", "tools/reconcile-sources")]
    [InlineData("503 Service Unavailable knowledge_base_lookup did not respond", "tools/switch-retrieval-path")]
    public void Retrieve_Query_RanksTheMatchingSkillFirst(string query, string expected)
    {
        var retriever = new SkillRetriever(SkillLibrary.BuiltIn, Brief("tools", "population"));

        Assert.Equal(expected, retriever.Retrieve(query, 1)[0].Id);
    }

    [Fact]
    public void Retrieve_NothingMatches_IsEmpty() =>
        Assert.Empty(new SkillRetriever(SkillLibrary.BuiltIn, Brief("tools")).Retrieve("zzzz qqqq", 3));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SystemPrompt_TopK_InjectsThatManySkillsAndRecordsTheirTitles(int k)
    {
        var harness = NewHarness(H5 with { H5TopK = k });

        var headings = harness.SystemPrompt.Split('\n').Where(l => l.StartsWith("### ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();

        Assert.Equal(k, headings.Count);
        var intervention = Assert.Single(harness.Interventions);
        Assert.Equal((0, "h5", "task family population"), (intervention.Step, intervention.Layer, intervention.Trigger));
        Assert.Equal("skills in the system prompt: " + string.Join("; ", headings), intervention.Change);
    }

    [Fact]
    public void SystemPrompt_TopKZero_InjectsNothing()
    {
        var harness = NewHarness(H5 with { H5TopK = 0 });

        Assert.Equal(NewHarness(HarnessOptions.None).SystemPrompt, harness.SystemPrompt);
        Assert.Empty(harness.Interventions);
    }

    [Fact]
    public void AfterStep_FailingStep_InjectsOneSkillNotInjectedYet()
    {
        var harness = NewHarness(H5 with { H5TopK = 1 });
        var throttled = new JsonObject { ["status"] = 429, ["error"] = "Too Many Requests", ["retry_after_steps"] = 2 };

        var regulation = harness.AfterStep(Action("api_call", """{"url":"internal://entity/Veridia","method":"GET"}"""), Step(1, 10, "api_call", "error", throttled));

        var note = Assert.Single(regulation.Notes);
        Assert.StartsWith("Harness skill that may help:\n### Recover from a rate limit by honouring Retry-After\n", note, StringComparison.Ordinal);
        Assert.False(regulation.ForceSubmit);
        Assert.Equal((2, "h5", "failed step: api_call", "injected skill: Recover from a rate limit by honouring Retry-After"),
            (harness.Interventions[^1].Step, harness.Interventions[^1].Layer, harness.Interventions[^1].Trigger, harness.Interventions[^1].Change));
    }

    [Fact]
    public void AfterStep_ManyFailures_NeverInjectsASkillTwice()
    {
        var harness = NewHarness(H5 with { H5TopK = 2 });
        var titles = harness.SystemPrompt.Split('\n').Where(l => l.StartsWith("### ", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        for (var step = 1; step <= 20; step++)
        {
            var regulation = harness.AfterStep(Action("database_query", $$"""{"sql":"SELECT {{step}}"}"""), Step(step, 30, "database_query", "error", new JsonObject { ["status"] = 500, ["error"] = "Internal Server Error" }));
            titles.AddRange(regulation.Notes.Select(n => n.Split('\n')[1][4..]));
        }

        Assert.Equal(titles.Count, titles.Distinct().Count());
        Assert.True(titles.Count > 3);
        Assert.True(titles.Count <= new SkillRetriever(SkillLibrary.BuiltIn, harness.Task).Candidates.Count);
    }

    [Fact]
    public void AfterStep_SuccessfulStep_InjectsNothing()
    {
        var harness = NewHarness(H5);

        Assert.Same(Regulation.Nothing, harness.AfterStep(Action("web_search", """{"query":"x"}"""), Step(1, 10, "web_search", "ok", new JsonObject { ["results"] = new JsonArray() })));
    }

    [Fact]
    public void Constructor_GivenLibrary_RetrievesFromIt()
    {
        var library = new SkillLibrary([SkillLibrary.Parse("tools/probe", "tools", "---\ntitle: Probe the population\ntags: population\n---\nCount twice.")]);

        var harness = new EpisodeHarness(H5, Brief("tools"), ToolsSuiteTools, library);

        Assert.EndsWith("### Probe the population\nCount twice.", harness.SystemPrompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title: x\n---\nbody")]
    [InlineData("---\ntitle: x\nbody")]
    [InlineData("---\ntags: a\n---\nbody")]
    [InlineData("---\ntitle: x\n---\n")]
    [InlineData("---\nnot a field\n---\nbody")]
    public void Parse_BrokenSkillFile_IsRefused(string text) =>
        Assert.Throws<FormatException>(() => SkillLibrary.Parse("tools/broken", "tools", text));

    [Fact]
    public void Parse_StarOrNoFamilies_AppliesToEveryFamily()
    {
        var skill = SkillLibrary.Parse("tools/a", "tools", "---\ntitle: A\nfamilies: *\ntasks:\n---\nBody.");

        Assert.Empty(skill.Families);
        Assert.True(skill.AppliesTo(Brief("tools", "anything")));
        Assert.False(skill.AppliesTo(Brief("mast")));
    }

    [Fact]
    public void Score_Bm25_FavoursTheRarerTermAndTheShorterDocument()
    {
        var index = new Bm25Index(["retry after rate limit", "retry after rate limit and many other words about other things", "units and scales"]);

        var scores = index.Score("retry units");

        Assert.True(scores[0] > scores[1]);
        Assert.True(scores[2] > scores[0], "units is in one document, retry in two");
        Assert.Equal(["web", "search", "429", "retry", "after"], Bm25Index.Tokenize("the web_search: 429 Retry-After"));
    }
}

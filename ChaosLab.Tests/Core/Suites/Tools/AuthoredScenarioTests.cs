using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>
/// What an author adds to a tools scenario document (scripted faults, per-tool probabilities,
/// answer overrides, notes, corpus documents), stored and played as the studio will.
/// </summary>
public sealed class AuthoredScenarioTests : IAsyncLifetime, IDisposable
{
    private const long Seed = 11;
    private const string CountriesQuery = "SELECT name, population FROM countries";

    private readonly TempDirectory _directory = new();
    private ServiceProvider _services = null!;

    private ScenarioStore Store => _services.GetRequiredService<ScenarioStore>();

    public async Task InitializeAsync() => _services = await ServicesAsync(_directory);

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>W01 (a generated world, the knowledge base broken for the key entity) under a new id, with no background faults.</summary>
    private static JsonObject Quiet(string id)
    {
        var document = BuiltIn("W01");
        document["id"] = id;
        document["faults"]!["background_probability"] = 0;
        return document;
    }

    private async Task<IEpisodeSession> StoredSessionAsync(JsonObject document)
    {
        var added = await Store.AddVersionAsync(Element(document));
        Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Path + ": " + e.Message)));
        var session = new ToolsSuite(storedScenarios: Store).CreateSession();
        Assert.True(session.Reset(new ResetOptions { ScenarioId = document["id"]!.GetValue<string>(), Seed = Seed }).Succeeded);
        return session;
    }

    /// <summary>The episode a document plays for <see cref="Seed"/> (entities are drawn per scenario id).</summary>
    private static ScenarioInstance Instance(JsonObject document) =>
        ScenarioTemplate.Instantiate(ToolsScenarioFormat.ToDefinition(ScenarioDocument.From(Element(document), ScenarioSource.Stored)), Seed);

    private static StepResult Query(IEpisodeSession session, string sql) => CallTool(session, ToolNames.DatabaseQuery, new JsonObject { ["sql"] = sql });

    [Fact]
    public async Task Scripted_TimeoutOnAttempts1And3_FiresOnExactlyThoseAttemptsOfEachCall()
    {
        var document = Quiet("S01");
        document["faults"]!["scripted"] = JsonNode.Parse("""[{"tool":"database_query","kind":"timeout","attempts":[1,3]}]""");
        var session = await StoredSessionAsync(document);

        var same = Enumerable.Range(0, 4).Select(_ => Query(session, CountriesQuery)).ToList();
        var other = Query(session, "SELECT name FROM cities");

        Assert.Equal(["error", "ok", "error", "ok"], same.Select(s => s.Observation["status"]!.GetValue<string>()));
        Assert.Equal("timeout", same[0].Observation["result"]!["error"]!.GetValue<string>());
        Assert.Equal("error", other.Observation["status"]!.GetValue<string>());
        var fired = Assert.Single(same[2].Record.Faults, f => f.Fired);
        Assert.Equal("scripted: timeout on attempts 1, 3", fired.Reason);
        Assert.DoesNotContain(same[1].Record.Faults, f => f.Fired);
    }

    [Fact]
    public async Task Scripted_ArgumentsContain_OnlyMatchingCallsFail()
    {
        var document = Quiet("S02");
        document["faults"]!["scripted"] = JsonNode.Parse("""[{"tool":"database_query","kind":"server_error","attempts":[1],"arguments_contain":["POPULATION"]}]""");
        var session = await StoredSessionAsync(document);

        var matching = Query(session, CountriesQuery);
        var other = Query(session, "SELECT name FROM cities");

        Assert.Equal(("error", "ok"), (matching.Observation["status"]!.GetValue<string>(), other.Observation["status"]!.GetValue<string>()));
        Assert.Equal("scripted: server_error on attempt 1 of calls whose arguments contain 'POPULATION'", Assert.Single(matching.Record.Faults, f => f.Fired).Reason);
    }

    [Fact]
    public async Task Scripted_SameToolAsABadPath_TheScriptWins()
    {
        var document = Quiet("S03");
        document["faults"]!["scripted"] = JsonNode.Parse("""[{"tool":"knowledge_base_lookup","kind":"stale_data","attempts":[1]}]""");
        var session = await StoredSessionAsync(document);
        var entity = Instance(document).Facts[0].Entity;

        var first = CallTool(session, ToolNames.KnowledgeBaseLookup, new JsonObject { ["entity"] = entity });
        var retry = CallTool(session, ToolNames.KnowledgeBaseLookup, new JsonObject { ["entity"] = entity });

        Assert.Equal("stale_data", Assert.Single(first.Record.Faults, f => f.Fired).Kind);
        Assert.Equal("timeout", Assert.Single(retry.Record.Faults, f => f.Fired).Kind);
    }

    [Fact]
    public async Task ToolProbabilities_OneAlwaysFires_ZeroNever()
    {
        var document = Quiet("S04");
        document["faults"]!["tool_probabilities"] = JsonNode.Parse("""
            [{"tool":"calculator","kind":"server_error","probability":1},{"tool":"web_search","kind":"stale_data","probability":0}]
            """);
        var session = await StoredSessionAsync(document);

        var sums = Enumerable.Range(1, 3).Select(i => CallTool(session, ToolNames.Calculator, new JsonObject { ["expression"] = $"{i} + 1" })).ToList();
        var searches = Enumerable.Range(1, 3).Select(i => CallTool(session, ToolNames.WebSearch, new JsonObject { ["query"] = $"population {i}" })).ToList();

        Assert.All(sums, s => Assert.Equal("authored: server_error on calculator with p=1", Assert.Single(s.Record.Faults, f => f.Fired).Reason));
        Assert.All(searches, s =>
        {
            Assert.Equal("ok", s.Observation["status"]!.GetValue<string>());
            Assert.Contains(s.Record.Faults, f => !f.Fired && f.Reason.StartsWith("authored: stale_data on web_search", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task AuthoredFaults_SameSeedAndActions_SameBytes()
    {
        var document = BuiltIn("W01");
        document["id"] = "S05";
        document["faults"]!["tool_probabilities"] = JsonNode.Parse("""[{"tool":"web_search","kind":"stale_data","probability":0.5},{"tool":"read_file","kind":"truncation","probability":0.5}]""");
        document["faults"]!["scripted"] = JsonNode.Parse("""[{"tool":"database_query","kind":"rate_limit","attempts":[1,2]}]""");
        Assert.True((await Store.AddVersionAsync(Element(document))).Succeeded);
        var suite = new ToolsSuite(storedScenarios: Store);
        var actions = Battery(Instance(document));

        byte[] Transcript()
        {
            var results = RunAll(suite, "S05", actions);
            return [.. results.SelectMany(r => JsonSerializer.SerializeToUtf8Bytes(r.Observation).Concat(JsonSerializer.SerializeToUtf8Bytes(r.Record.Faults)))];
        }

        Assert.Equal(Transcript(), Transcript());
    }

    [Fact]
    public async Task Answer_ToleranceOverride_AcceptsAFigureTheFamilysToleranceRefuses()
    {
        var strict = FixedWorldCopy("S06");
        var lenient = FixedWorldCopy("S07");
        lenient["answer"] = JsonNode.Parse("""[{"slot":"population","tolerance":0.1}]""");
        var fivePercentOff = $"The population is {(long)(CopyPopulation * 1.05)}.";

        var strictOutcome = Step(await StoredSessionAsync(strict), Submit(fivePercentOff)).Grade!.Outcome;
        var lenientOutcome = Step(await StoredSessionAsync(lenient), Submit(fivePercentOff)).Grade!.Outcome;

        Assert.Equal(("wrong", "correct"), (strictOutcome, lenientOutcome));
    }

    [Fact]
    public async Task Answer_WeightOverride_ChangesTheShareOfTheRightSlot()
    {
        var plain = BuiltIn("I01");
        plain["id"] = "S08";
        var weighted = BuiltIn("I01");
        weighted["id"] = "S09";
        weighted["answer"] = JsonNode.Parse("""[{"slot":"denser_country","weight":3}]""");
        // The right country with a wrong factor: the grade is that slot's share of the weights.
        string RightCountryOnly(JsonObject document) =>
            ToolsScenarioFormat.AnswerSlots(Element(document), Seed).Single(s => s.Name == "denser_country").Expected + " is more densely populated, by a factor of 1000.000.";

        var plainGrade = Step(await StoredSessionAsync(plain), Submit(RightCountryOnly(plain))).Grade!;
        var weightedGrade = Step(await StoredSessionAsync(weighted), Submit(RightCountryOnly(weighted))).Grade!;

        Assert.Equal([0.4, 0.6], plainGrade.Criteria.Select(c => c.Weight));
        Assert.Equal([3, 0.6], weightedGrade.Criteria.Select(c => c.Weight));
        Assert.Equal(("correct", "wrong"), (weightedGrade.Criteria[0].Verdict, weightedGrade.Criteria[1].Verdict));
        static double Correctness(EpisodeGrade grade) => grade.Criteria.Sum(c => c.Credit) / grade.Criteria.Sum(c => c.Weight);
        Assert.Equal(0.4, Correctness(plainGrade), 6);
        Assert.Equal(3 / 3.6, Correctness(weightedGrade), 6);
    }

    [Fact]
    public void AnswerSlots_FixedWorld_ExpectedValuesFromTheWorldWithTheOverridesApplied()
    {
        var document = FixedWorldCopy("S10");
        document["answer"] = JsonNode.Parse("""[{"slot":"population","tolerance":0.05,"weight":2}]""");

        var slot = Assert.Single(ToolsScenarioFormat.AnswerSlots(Element(document), 99));

        Assert.Equal(new DerivedAnswerSlot("population", "number", CopyPopulation.ToString(System.Globalization.CultureInfo.InvariantCulture), 0.05, 2, "population of Quorvania"), slot);
    }

    [Fact]
    public void AnswerSlots_GeneratedWorld_DependOnTheSeed_AndNonNumbersHaveNoTolerance()
    {
        var document = BuiltIn("I01");

        var first = ToolsScenarioFormat.AnswerSlots(Element(document), 1);
        var second = ToolsScenarioFormat.AnswerSlots(Element(document), 2);

        Assert.Equal(["denser_country", "density_factor"], first.Select(s => s.Name));
        Assert.Equal(["entity", "number"], first.Select(s => s.Kind));
        Assert.Null(first[0].Tolerance);
        Assert.Equal(0.03, first[1].Tolerance);
        Assert.NotEqual(first[1].Expected, second[1].Expected);
    }

    [Fact]
    public void AnswerSlots_BadOverride_SlotsStillShownWithoutIt_BrokenWorld_None()
    {
        var badOverride = FixedWorldCopy("S11");
        badOverride["answer"] = JsonNode.Parse("""[{"slot":"population","weight":0}]""");
        var brokenWorld = FixedWorldCopy("S12");
        brokenWorld["world"]!["targets"]!["country"] = "Nowhere";

        Assert.Equal(1.0, Assert.Single(ToolsScenarioFormat.AnswerSlots(Element(badOverride), 1)).Weight);
        Assert.Empty(ToolsScenarioFormat.AnswerSlots(Element(brokenWorld), 1));
    }

    [Fact]
    public async Task Documents_AuthoredMemo_DocumentSearchFindsIt_AndItsUrlServesIt()
    {
        var document = FixedWorldCopy("S13");
        document["world"]!["documents"] = JsonNode.Parse("""
            [{"id":"memo-1","title":"Quorvania census memo","source":"Quorvania Census Bureau","date":"2025-05-01","authority":"official","text":"The census bureau counted 7,000,123 residents of Quorvania in the spring tally."}]
            """);
        var session = await StoredSessionAsync(document);

        var search = CallTool(session, ToolNames.DocumentSearch, new JsonObject { ["query"] = "census memo tally" });
        var fetched = CallTool(session, ToolNames.FetchUrl, new JsonObject { ["url"] = "https://chaos.local/docs/memo-1" });

        var hit = search.Observation["result"]!["results"]![0]!;
        Assert.Equal(("memo-1", "high", "2025-05-01", "report"), (hit["doc_id"]!.GetValue<string>(), hit["reliability"]!.GetValue<string>(), hit["published"]!.GetValue<string>(), hit["kind"]!.GetValue<string>()));
        Assert.Contains("spring tally", fetched.Observation["result"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notes_KeptInTheDocument_PlayUnchanged()
    {
        var plain = FixedWorldCopy("S14");
        var noted = FixedWorldCopy("S15");
        noted["notes"] = "Population copy for the census walkthrough.";
        var plainLookup = CallTool(await StoredSessionAsync(plain), ToolNames.WebSearch, new JsonObject { ["query"] = "Quorvania population" });
        var notedLookup = CallTool(await StoredSessionAsync(noted), ToolNames.WebSearch, new JsonObject { ["query"] = "Quorvania population" });

        Assert.Equal("Population copy for the census walkthrough.", (await Store.FindAsync("S15", 1))!.Content.GetProperty("notes").GetString());
        Assert.Equal(plainLookup.Observation["result"]!.ToJsonString(), notedLookup.Observation["result"]!.ToJsonString());
    }

    [Fact]
    public void BuiltIn_NoDocument_HasAnyAuthoredField()
    {
        foreach (var document in new ToolsScenarioFormat().BuiltIn)
        {
            var json = document.Content.GetRawText();
            foreach (var field in new[] { "\"notes\"", "\"answer\"", "\"tool_probabilities\"", "\"scripted\"", "\"documents\"" })
            {
                Assert.DoesNotContain(field, json, StringComparison.Ordinal);
            }
        }
    }

    private static List<StepResult> RunAll(ToolsSuite suite, string id, IReadOnlyList<JsonElement> actions)
    {
        var results = new List<StepResult>();
        var session = suite.CreateSession();
        results.Add(session.Reset(new ResetOptions { ScenarioId = id, Seed = Seed }).Value!);
        foreach (var action in actions)
        {
            if (session.State["done"]!.GetValue<bool>())
            {
                results.Add(session.Reset(new ResetOptions { ScenarioId = id, Seed = Seed }).Value!);
            }

            results.Add(Step(session, action));
        }

        return results;
    }
}

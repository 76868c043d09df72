using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Each fault kind has a visible, realistic effect, and nothing labels it.</summary>
public sealed class FaultEffectTests
{
    private const long Seed = 31;

    private static (ToolsSession Session, ScenarioInstance Instance, string Country) WithFault(FaultKind kind, string tool = ToolNames.KnowledgeBaseLookup)
    {
        var session = (ToolsSession)Suite.CreateSession();
        var definition = new ScenarioDefinition("T-probe", "task1", "expert", ScenarioFamily.Population, "fault probe", BadPaths: [new BadPath(tool, kind)], FaultProbability: 0);
        Assert.True(session.Start(definition, Seed, "fault").Succeeded);
        var instance = ScenarioTemplate.Instantiate(definition, Seed);
        return (session, instance, instance.Facts[0].Entity);
    }

    private static StepResult Lookup(IEpisodeSession session, string country) => CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = country });

    private static void AssertUnlabelled(StepResult step)
    {
        var text = step.Observation.ToJsonString().ToLowerInvariant();
        foreach (var word in new[] { "fault", "injected", "stale", "corrupt", "chaos_", "simulated", "drift" })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Timeout_ErrorAndClockAdvanced()
    {
        var (session, _, country) = WithFault(TransportFaults.Timeout);
        var step = Lookup(session, country);
        Assert.Equal("timeout", step.Observation["result"]!["error"]!.ToString());
        Assert.Equal(30_000, step.Observation["elapsed_ms"]!.GetValue<int>());
        Assert.Equal(EpisodeClock.Start.AddSeconds(30), step.Record.EpisodeTime);
        Assert.Single(step.Record.Faults, f => f.Fired && f.Kind == "timeout");
        AssertUnlabelled(step);
    }

    [Fact]
    public void RateLimit_429WithRetryAfter_AgainInsideWindow_ThenClears()
    {
        var (session, _, country) = WithFault(TransportFaults.RateLimit);
        var first = Lookup(session, country);
        Assert.Equal(429, first.Observation["result"]!["status"]!.GetValue<int>());
        var retryAfter = first.Observation["result"]!["retry_after_steps"]!.GetValue<int>();
        var again = CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = "Someone Else" });
        Assert.Equal(429, again.Observation["result"]!["status"]!.GetValue<int>());
        Assert.Contains(again.Record.RewardComponents, c => c.Name == "ignored_retry_after");
        for (var i = 0; i < retryAfter; i++)
        {
            CallTool(session, "calculator", new JsonObject { ["expression"] = "1" });
        }

        var later = CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = "Someone Else" });
        Assert.Equal("ok", later.Observation["status"]!.ToString());
        AssertUnlabelled(first);
    }

    [Fact]
    public void ServerError_5xx()
    {
        var (session, _, country) = WithFault(TransportFaults.ServerError);
        var step = Lookup(session, country);
        Assert.InRange(step.Observation["result"]!["status"]!.GetValue<int>(), 500, 599);
        AssertUnlabelled(step);
    }

    [Fact]
    public void Latency_CorrectResultArrivesLate()
    {
        var (session, instance, country) = WithFault(TransportFaults.Latency);
        var step = Lookup(session, country);
        Assert.Equal(instance.Facts[0].Number, JsonNumber.Read(step.Observation["result"]!["population"]!));
        Assert.True(step.Observation["elapsed_ms"]!.GetValue<int>() >= 4000);
        Assert.True(step.Record.EpisodeTime >= EpisodeClock.Start.AddSeconds(4));
        AssertUnlabelled(step);
    }

    [Fact]
    public void StaleData_ReallyOlderValuesWithOlderDate()
    {
        var (session, instance, country) = WithFault(ToolsFaultKinds.StaleData);
        var step = Lookup(session, country);
        var result = step.Observation["result"]!;
        Assert.Equal(instance.World.FindCountry(country)!.PreviousPopulation, JsonNumber.Read(result["population"]!));
        Assert.Equal("2025-02-01", result["as_of"]!.ToString());
        Assert.Equal(2024, result["figures_year"]!.GetValue<int>());
        Assert.NotEqual(step.Record.CleanResult, step.Record.DeliveredResult);
        AssertUnlabelled(step);
    }

    [Fact]
    public void FieldDrop_KeyFieldSilentlyMissing()
    {
        var (session, _, country) = WithFault(ToolsFaultKinds.FieldDrop);
        var result = Lookup(session, country).Observation["result"]!.AsObject();
        Assert.False(result.ContainsKey("population"));
        Assert.True(result.ContainsKey("area_km2"));
    }

    [Fact]
    public void Truncation_BodyCutMidContent()
    {
        var (session, _, country) = WithFault(ToolsFaultKinds.Truncation);
        var step = Lookup(session, country);
        var body = step.Observation["result"]!.GetValue<string>();
        Assert.StartsWith(body, step.Record.CleanResult!, StringComparison.Ordinal);
        Assert.True(body.Length < step.Record.CleanResult!.Length);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public void ValueCorruption_PlausibleWrongValue()
    {
        var (session, instance, country) = WithFault(ToolsFaultKinds.ValueCorruption);
        var delivered = JsonNumber.Read(Lookup(session, country).Observation["result"]!["population"]!);
        var truth = instance.Facts[0].Number!.Value;
        Assert.NotEqual(truth, delivered);
        Assert.InRange(delivered / truth, 0.6, 1.4);
    }

    [Fact]
    public void SchemaDrift_FieldRenamedValueIntact()
    {
        var (session, instance, country) = WithFault(ToolsFaultKinds.SchemaDrift);
        var result = Lookup(session, country).Observation["result"]!.AsObject();
        Assert.False(result.ContainsKey("population"));
        Assert.Contains(result, p => p.Key.StartsWith("population", StringComparison.Ordinal) && p.Value is JsonValue v && JsonNumber.Read(v) == instance.Facts[0].Number);
    }

    [Fact]
    public void ConflictingDuplicate_TwoRecordsDisagree()
    {
        var (session, _, country) = WithFault(ToolsFaultKinds.ConflictingDuplicate);
        var matches = Lookup(session, country).Observation["result"]!["matches"]!.AsArray();
        Assert.Equal(2, matches.Count);
        Assert.Equal(matches[0]!["name"]!.ToString(), matches[1]!["name"]!.ToString());
        Assert.NotEqual(JsonNumber.Read(matches[0]!["population"]!), JsonNumber.Read(matches[1]!["population"]!));
    }

    [Fact]
    public void PoisonedContent_InstructionAimedAtTheAgentInADocument()
    {
        var (session, _, country) = WithFault(ToolsFaultKinds.PoisonedContent, ToolNames.DocumentSearch);
        var step = CallTool(session, "document_search", new JsonObject { ["query"] = country + " population" });
        var text = step.Observation["result"]!.ToJsonString();
        Assert.Matches("(?i)ignore all previous instructions|stop using tools|do not cross-check", text);
        Assert.DoesNotContain("fault", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void BadPath_OtherPathsWork()
    {
        var (session, instance, country) = WithFault(TransportFaults.Timeout);
        var db = CallTool(session, "database_query", new JsonObject { ["sql"] = $"SELECT population FROM countries WHERE name = '{country}'" });
        Assert.Equal(instance.Facts[0].Number, JsonNumber.Read(db.Observation["result"]!["rows"]![0]!["population"]!));
    }

    [Fact]
    public void RetryOfBackgroundFailure_CanSucceed()
    {
        // A plan with only background faults: some retry of the same call comes back clean.
        var session = (ToolsSession)Suite.CreateSession();
        var definition = new ScenarioDefinition("T-bg", "task3", "intermediate", ScenarioFamily.Population, "bg", FaultProbability: 0.5);
        session.Start(definition, Seed, "bg");
        var statuses = Enumerable.Range(0, 9).Select(_ => CallTool(session, "calculator", new JsonObject { ["expression"] = "2*3" })).Select(s => s.Record.Faults.Any(f => f.Fired)).ToList();
        Assert.Contains(false, statuses);
        Assert.Contains(true, statuses);
    }

    [Fact]
    public void Record_HoldsEveryDecisionWithInputs()
    {
        var (session, _, country) = WithFault(TransportFaults.Timeout);
        var step = Lookup(session, country);
        var decision = step.Record.Faults.Single();
        Assert.Equal(Seed, decision.Inputs.Seed);
        Assert.Equal("knowledge_base_lookup", decision.Inputs.Target);
        Assert.Equal(0, decision.Inputs.Occurrence);
        Assert.Equal(1, Lookup(session, country).Record.Faults.Single().Inputs.Occurrence);
        Assert.Equal(2, CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = "  " + country.ToUpperInvariant() + " " }).Record.Faults.Single().Inputs.Occurrence);
    }

    [Fact]
    public void ValueCorruption_TextFields_PlausibleSubstitutesOfTheSameKind()
    {
        var session = (ToolsSession)Suite.CreateSession();
        var definition = new ScenarioDefinition("T-probe", "task1", "expert", ScenarioFamily.CeoMultiHop, "probe", BadPaths: [new BadPath(ToolNames.KnowledgeBaseLookup, ToolsFaultKinds.ValueCorruption)], FaultProbability: 0);
        session.Start(definition, Seed, "fault");
        var instance = ScenarioTemplate.Instantiate(definition, Seed);
        var country = instance.World.FindCountry(instance.Facts[0].Entity)!;
        var capital = CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = country.Name }).Observation["result"]!["capital"]!.ToString();
        Assert.NotEqual(country.Capital, capital);
        Assert.True(instance.World.Countries.Any(c => c.Capital == capital), capital);
        var company = instance.World.Companies.First(c => c.HeadquartersCity == country.Capital);
        var ceo = CallTool(session, "knowledge_base_lookup", new JsonObject { ["entity"] = company.Name }).Observation["result"]!["ceo"]!.ToString();
        Assert.NotEqual(company.Ceo, ceo);
        Assert.Contains(instance.World.People, p => p.Name == ceo);
    }
}

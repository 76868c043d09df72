using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Each semantic check of an authored tools document is pinned to the exact field it is about.</summary>
public sealed class ScenarioChecksTests
{
    [Theory]
    [InlineData("/faults/tool_probabilities", """[{"tool":"web_search","kind":"stale_data","probability":1.5}]""", "/faults/tool_probabilities/0/probability")]
    [InlineData("/faults/tool_probabilities", """[{"tool":"no_such_tool","kind":"timeout","probability":0.5}]""", "/faults/tool_probabilities/0/tool")]
    [InlineData("/faults/tool_probabilities", """[{"tool":"calculator","kind":"stale_data","probability":0.5}]""", "/faults/tool_probabilities/0/kind")]
    [InlineData("/faults/tool_probabilities", """[{"tool":"calculator","kind":"timeout","probability":0.5},{"tool":"calculator","kind":"timeout","probability":0.2}]""", "/faults/tool_probabilities/1")]
    [InlineData("/faults/scripted", """[{"tool":"submit_answer","kind":"timeout","attempts":[1]}]""", "/faults/scripted/0/tool")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":"nope","attempts":[1]}]""", "/faults/scripted/0/kind")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":"timeout","attempts":[21]}]""", "/faults/scripted/0/attempts/0")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":"timeout","attempts":[2,2]}]""", "/faults/scripted/0/attempts/1")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":"timeout","attempts":[]}]""", "/faults/scripted/0/attempts")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":"timeout","attempts":[1]},{"tool":"database_query","kind":"server_error","attempts":[3,1]}]""", "/faults/scripted/1/attempts/1")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":"timeout","attempts":[1],"arguments_contain":[" "]}]""", "/faults/scripted/0/arguments_contain/0")]
    [InlineData("/faults/scripted", """[{"tool":"database_query","kind":5,"attempts":[1]}]""", "/faults/scripted/0/kind")]
    [InlineData("/answer", """[{"slot":"gdp","weight":1}]""", "/answer/0/slot")]
    [InlineData("/answer", """[{"slot":"population","tolerance":0.6}]""", "/answer/0/tolerance")]
    [InlineData("/answer", """[{"slot":"population","weight":0}]""", "/answer/0/weight")]
    [InlineData("/answer", """[{"slot":"population","weight":1},{"slot":"population","weight":2}]""", "/answer/1/slot")]
    [InlineData("/step_limit", "2", "/step_limit")]
    [InlineData("/step_limit", "7", "/step_limit")]
    [InlineData("/notes", null, "/notes")]
    [InlineData("/world/documents", """[{"id":"memo","title":"t","source":"s","date":"2025-01-01","authority":"official","text":"x"},{"id":"MEMO","title":"t","source":"s","date":"2025-01-01","authority":"official","text":"y"}]""", "/world/documents/1/id")]
    [InlineData("/world/documents", """[{"id":"stat-0001","title":"t","source":"s","date":"2025-01-01","authority":"official","text":"x"}]""", "/world/documents/0/id")]
    [InlineData("/world/documents", """[{"id":"memo","title":"t","source":"s","date":"2025-01-01","authority":"gossip","text":"x"}]""", "/world/documents/0/authority")]
    public void Check_FixedWorldWithABadField_ErrorAtThatField(string field, string? value, string expectedPath)
    {
        var document = FixedWorldCopy("C01");
        Set(document, field, value is null ? new string('n', 4001) : JsonNode.Parse(value));

        var errors = new ToolsScenarioFormat().Check(Element(document));

        Assert.Contains(errors, e => e.Path == expectedPath);
    }

    [Fact]
    public void Check_DuplicateCountryName_ErrorAtTheSecondName()
    {
        var document = FixedWorldCopy("C02");
        var countries = document["world"]!["data"]!["countries"]!.AsArray();
        var copy = countries[0]!.DeepClone();
        copy["name"] = "QUORVANIA";
        countries.Add(copy);

        var errors = new ToolsScenarioFormat().Check(Element(document));

        Assert.Contains(errors, e => e.Path == $"/world/data/countries/{countries.Count - 1}/name");
    }

    [Fact]
    public void Check_TolerancesOnADensitySlotThatIsNoNumber_ErrorAtTheTolerance()
    {
        var document = BuiltIn("I01");
        document["answer"] = JsonNode.Parse("""[{"slot":"denser_country","tolerance":0.1}]""");

        Assert.Contains(new ToolsScenarioFormat().Check(Element(document)), e => e.Path == "/answer/0/tolerance");
    }

    [Fact]
    public void Check_DocumentsInAGeneratedWorld_Refused()
    {
        var document = BuiltIn("W01");
        document["world"]!["documents"] = JsonNode.Parse("""[{"id":"memo","title":"t","source":"s","date":"2025-01-01","authority":"official","text":"x"}]""");

        Assert.Contains(new ToolsScenarioFormat().Check(Element(document)), e => e.Path == "/world/documents");
    }

    [Fact]
    public void Schema_NewFields_CarryTheirEnumsAndRanges()
    {
        var schema = new ToolsScenarioFormat().Schema;
        var faults = schema["properties"]!["faults"]!["properties"]!;
        var scripted = faults["scripted"]!["items"]!["properties"]!;
        var chance = faults["tool_probabilities"]!["items"]!["properties"]!;
        var answer = schema["properties"]!["answer"]!["items"]!["properties"]!;
        var document = schema["properties"]!["world"]!["properties"]!["documents"]!["items"]!["properties"]!;

        Assert.Contains("calculator", scripted["tool"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.DoesNotContain("submit_answer", scripted["tool"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("20", scripted["attempts"]!["items"]!["maximum"]!.ToJsonString());
        Assert.Equal("1", chance["probability"]!["maximum"]!.ToJsonString());
        Assert.Equal("0.5", answer["tolerance"]!["maximum"]!.ToJsonString());
        Assert.Equal("0", answer["weight"]!["exclusiveMinimum"]!.ToJsonString());
        Assert.Contains("population", answer["slot"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["official", "secondary", "rumour"], document["authority"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(4000, schema["properties"]!["notes"]!["maxLength"]!.GetValue<int>());
    }

    private static void Set(JsonObject document, string pointer, JsonNode? value)
    {
        var parts = pointer.Trim('/').Split('/');
        var parent = parts[..^1].Aggregate((JsonNode)document, (node, part) => node[part]!);
        parent[parts[^1]] = value;
    }
}

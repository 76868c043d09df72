using System.Net;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Web.Endpoints;

/// <summary>The real server with one stored scenario: <c>/api/scenarios</c> over HTTP, and the stored scenario played over <c>/ws</c>.</summary>
public sealed class ScenariosApiFixture : IAsyncLifetime, IDisposable
{
    public ChaosLabAppFactory App { get; } = new();

    public async Task InitializeAsync()
    {
        var stored = await App.Services.GetRequiredService<ScenarioStore>().AddVersionAsync(Element(FixedWorldCopy("X01")));
        Assert.True(stored.Succeeded, string.Join("; ", stored.Errors));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();
}

public sealed class ScenariosApiTests(ScenariosApiFixture fixture) : IClassFixture<ScenariosApiFixture>
{
    private readonly HttpClient _http = fixture.App.CreateHttpClient();

    [Fact]
    public async Task ListScenarios_BuiltInAndStored_ItemsWithSourceAndThePools()
    {
        var body = await GetJsonAsync("/api/scenarios?suite=tools");

        var items = body["items"]!.AsArray();
        Assert.Equal(64, items.Count);
        Assert.Equal(
            """{"id":"W01","version":1,"suite":"tools","task_id":"task1","tier":"warmup","family":"population","title":"Population of a country","source":"built_in"}""",
            items[0]!.ToJsonString());
        Assert.Equal(("X01", "stored"), (items[^1]!["id"]!.GetValue<string>(), items[^1]!["source"]!.GetValue<string>()));
        var pools = body["pools"]!.AsArray();
        var task1 = pools.Single(p => p!["task_id"]?.GetValue<string>() == "task1" && p["tier"] is null)!;
        Assert.Equal(28, task1["scenario_ids"]!.AsArray().Count);
        Assert.Equal(63, pools.Single(p => p!["task_id"] is null && p["tier"] is null)!["scenario_ids"]!.AsArray().Count);
    }

    [Fact]
    public async Task ListScenarios_NoSuiteFilter_EverySuitesScenariosAndPools()
    {
        var body = await GetJsonAsync("/api/scenarios");

        var suites = fixture.App.Services.GetRequiredService<ChaosLab.Core.Environment.SuiteCatalog>().Suites;
        var items = body["items"]!.AsArray();
        Assert.Equal(suites.Sum(s => s.Scenarios.Count) + 1, items.Count);
        Assert.Equal(suites.Select(s => s.Name).Order(StringComparer.Ordinal), items.Select(i => i!["suite"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(suites.Count, body["pools"]!.AsArray().Count(p => p!["task_id"] is null && p["tier"] is null));
    }

    [Fact]
    public async Task ListScenarios_UnknownSuite_ProblemNamingTheSuites()
    {
        var response = await _http.GetAsync(new Uri("/api/scenarios?suite=chess", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("unknown suite 'chess'; suites: tools, mast", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetScenario_BuiltInAndStoredVersions_TheirDocuments()
    {
        var builtIn = await GetJsonAsync("/api/scenarios/W01");
        var stored = await GetJsonAsync("/api/scenarios/x01?version=1");

        Assert.Equal(("W01", "generated", "knowledge_base_lookup", 0.12), (builtIn["id"]!.GetValue<string>(), builtIn["world"]!["source"]!.GetValue<string>(),
            builtIn["faults"]!["bad_paths"]![0]!["tool"]!.GetValue<string>(), builtIn["faults"]!["background_probability"]!.GetValue<double>()));
        Assert.Equal((CopyQuestion, CopyPopulation), (stored["question"]!.GetValue<string>(), stored["world"]!["data"]!["countries"]![0]!["population"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("/api/scenarios/Z99", 404, "No scenario has the id 'Z99'.")]
    [InlineData("/api/scenarios/W01?version=2", 404, "Scenario 'W01' has no version 2.")]
    [InlineData("/api/scenarios/W01?version=latest", 400, "'latest' is not a version")]
    [InlineData("/api/scenarios/schema", 400, "a suite is required")]
    public async Task GetScenario_UnknownOrBadQuery_ProblemSayingWhy(string path, int status, string detail)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSchema_Tools_TheSchemaEveryListedDocumentSatisfies()
    {
        var response = await _http.GetAsync(new Uri("/api/scenarios/schema?suite=tools", UriKind.Relative));
        var schema = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/schema+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("tools", schema["properties"]!["suite"]!["const"]!.GetValue<string>());
        Assert.Equal(["warmup", "beginner", "intermediate", "expert"], schema["properties"]!["tier"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Reset_StoredScenarioOverWebSocket_PlaysItAndGradesAgainstItsWorld()
    {
        await using var client = await WireClient.ConnectAsync(fixture.App.WebSocketAddress("/ws"));

        var reset = await client.RequestAsync(Frame("reset", new JsonObject { ["scenario_id"] = "X01", ["seed"] = 11 }));
        var right = await client.RequestAsync(Frame("step", new JsonObject { ["type"] = "submit_answer", ["answer"] = $"About {CopyPopulation:N0} people." }));
        await client.RequestAsync(Frame("reset", new JsonObject { ["scenario_id"] = "X01", ["seed"] = 12 }));
        var wrong = await client.RequestAsync(Frame("step", new JsonObject { ["type"] = "submit_answer", ["answer"] = $"About {F01Population:N0} people." }));
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });

        Assert.Equal("How many people live in Quorvania? Give the latest census figure.", reset["data"]!["observation"]!["question"]!.GetValue<string>());
        Assert.Equal(("correct", "wrong"), (right["data"]!["observation"]!["outcome"]!.GetValue<string>(), wrong["data"]!["observation"]!["outcome"]!.GetValue<string>()));
        Assert.Equal(("X01", 1), (state["data"]!["scenario_id"]!.GetValue<string>(), state["data"]!["scenario_version"]!.GetValue<int>()));
    }

    private static JsonObject Frame(string type, JsonObject data) => new() { ["type"] = type, ["data"] = data };

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}

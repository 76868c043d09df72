using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web;

/// <summary>The real host with a second suite, registered from the outside: the toy suite of the tests.</summary>
public sealed class ToySuiteAppFactory : ChaosLabAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<ISuite>(new ToySuite("toy", "toy-bot")));
    }
}

/// <summary>
/// The proof that the host knows no suite: a suite of a few lines, with its own tool, fault kind
/// and reference agent, registered only through dependency injection, plays through every
/// surface (/ws, HTTP, MCP, the playground, the recorder, the replay, the leaderboard, analytics)
/// with no line of ChaosLab.Web written for it.
/// </summary>
public sealed class NewSuiteSurfaceTests(ToySuiteAppFactory app) : IClassFixture<ToySuiteAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task ToySuite_EverySurface_PlaysRecordsAndRenders()
    {
        // /ws: its own tool through its own fault, then the answer.
        await using var socket = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await socket.RequestAsync(Frame("reset", new JsonObject { ["suite"] = "toy", ["scenario_id"] = "T02", ["seed"] = 3, ["agent"] = "toy-player" }));
        var episodeId = reset["data"]!["episode_id"]!.GetValue<string>();
        var swapped = await socket.RequestAsync(Frame("step", new AgentAction.CallTool(ToySuite.Peek, []).ToJson()));
        var peeked = await socket.RequestAsync(Frame("step", new AgentAction.CallTool(ToySuite.Peek, []).ToJson()));
        var answered = await socket.RequestAsync(Frame("step", new AgentAction.Submit(JsonValue.Create(ToySuite.Word), null).ToJson()));

        Assert.Equal("undone", swapped["data"]!["observation"]!["word"]!.GetValue<string>());
        Assert.Equal(ToySuite.Word, peeked["data"]!["observation"]!["word"]!.GetValue<string>());
        Assert.Equal((1.0, true), (answered["data"]!["reward"]!.GetValue<double>(), answered["data"]!["done"]!.GetValue<bool>()));

        // HTTP, continued by its token.
        var httpReset = await PostAsync("/reset", """{"suite":"toy","scenario_id":"T01","seed":4,"agent":"toy-player"}""");
        var httpFinal = await PostAsync("/step", new JsonObject { ["action"] = new AgentAction.Submit(JsonValue.Create(ToySuite.Word), null).ToJson(), ["episode_token"] = httpReset["episode_token"]!.GetValue<string>() }.ToJsonString());
        Assert.True(httpFinal["done"]!.GetValue<bool>());

        // MCP: the suite's tools (and a submit tool the host offers any suite without one).
        var created = await PostAsync("/mcp", """{"jsonrpc":"2.0","method":"openenv/session/create","params":{"suite":"toy","scenario_id":"T01","agent":"toy-player"},"id":1}""");
        var sessionId = created["result"]!["session_id"]!.GetValue<string>();
        var listed = await PostAsync("/mcp", $$$"""{"jsonrpc":"2.0","method":"tools/list","params":{"session_id":"{{{sessionId}}}"},"id":2}""");
        var mcpPeek = await PostAsync("/mcp", $$$"""{"jsonrpc":"2.0","method":"tools/call","params":{"session_id":"{{{sessionId}}}","name":"peek","arguments":{}},"id":3}""");
        var mcpSubmit = await PostAsync("/mcp", $$$"""{"jsonrpc":"2.0","method":"tools/call","params":{"session_id":"{{{sessionId}}}","name":"submit_answer","arguments":{"answer":"done"}},"id":4}""");
        Assert.Equal(ToySuite.Word, mcpPeek["result"]!["structuredContent"]!["observation"]!["word"]!.GetValue<string>());
        Assert.True(mcpSubmit["result"]!["structuredContent"]!["done"]!.GetValue<bool>());
        var mcpEpisode = created["result"]!["episode_id"]!.GetValue<string>();

        // The playground, through its view model (the page only binds it).
        await using var playground = new PlaygroundViewModel(app.Services.GetRequiredService<ChaosLab.Web.OpenEnv.EnvironmentGateway>()) { SuiteName = "toy", ScenarioId = "T02", SeedText = "5" };
        Assert.True(await playground.StartAsync());
        playground.SelectTool(ToySuite.Peek);
        Assert.True(await playground.CallToolAsync());
        playground.AnswerText = ToySuite.Word;
        Assert.True(await playground.SubmitAnswerAsync());
        Assert.Equal("correct", playground.Outcome);

        // The recorder stored each of them in full, the suite's own fault kind included.
        var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
        Assert.Equal(("toy", "correct", "done"), (stored["episode"]!["suite"]!.GetValue<string>(), stored["episode"]!["outcome"]!.GetValue<string>(), stored["episode"]!["submission"]!.GetValue<string>()));
        Assert.Equal(["word_swap"], stored["episode"]!["fault_kinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal([0, 1, 2, 3], stored["steps"]!.AsArray().Select(s => s!["index"]!.GetValue<int>()));
        Assert.Equal("correct", (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{mcpEpisode}"))!["episode"]!["outcome"]!.GetValue<string>());
        Assert.Contains(ToySuite.Peek, listed["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Contains("submit_answer", listed["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));

        // The dashboard renders it: the replay with the suite's fault drawn from its data, the
        // leaderboard and analytics with its rows.
        var replay = await PageAsync($"/web/episodes/{episodeId}?step=1");
        var leaderboard = await PageAsync("/web/?mode=practice&suite=toy");
        var analytics = await PageAsync("/web/analytics?suite=toy");
        Assert.Contains("data-kind=\"word_swap\"", replay, StringComparison.Ordinal);
        Assert.Contains("data-family=\"data\"", replay, StringComparison.Ordinal);
        Assert.Contains("the word comes back as another word", replay, StringComparison.Ordinal);
        Assert.Contains("toy-player", leaderboard, StringComparison.Ordinal);
        Assert.Contains("human", leaderboard, StringComparison.Ordinal);
        Assert.Contains("chart-score-distribution", analytics, StringComparison.Ordinal);
    }

    /// <summary>The host names no suite: outside its one registration line, ChaosLab.Web never mentions the tools suite.</summary>
    [Fact]
    public void WebSources_OutsideTheRegistration_NameNoSuite()
    {
        var web = Path.Combine(RepositoryRoot(), "ChaosLab.Web");
        var sources = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var naming = sources
            .Where(f => Path.GetFileName(f) != "ChaosLabHost.cs")
            // No suite's namespace (tools, mast, any later one) outside the one registration.
            .Where(f => File.ReadAllText(f).Contains("Core.Suites.", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(web, f))
            .ToList();

        Assert.Empty(naming);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChaosLab.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ChaosLab.sln not found above the test assembly.");
    }

    private static JsonObject Frame(string type, JsonNode data) => new() { ["type"] = type, ["data"] = data };

    private async Task<JsonObject> PostAsync(string path, string json)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<string> PageAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

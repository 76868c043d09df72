using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Scenarios;
using ChaosLab.Tests.Core.Sandbox;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Suites.Gauntlet.Episode;
using ChaosLab.Tests.Web.OpenEnv;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Suites.Gauntlet.Endpoints;

/// <summary>The real host, its gauntlet suite playing the served pieces and the tests' tiny one (whose scores are known exactly).</summary>
public sealed class GauntletAppFactory : ChaosLabAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton(new GauntletScenarioCatalog([.. GauntletSuiteServiceCollectionExtensions.ServedPieces, TinyPiece.Instance])));
    }
}

/// <summary>The gauntlet over the real server: HTTP /reset and /step, WebSocket /ws and MCP /mcp, code really run in the sandbox.</summary>
[Collection(SandboxTestGroup.Name)]
public sealed class GauntletEndpointTests(GauntletAppFactory app) : IClassFixture<GauntletAppFactory>
{
    private const string Scenario = "gauntlet-tiny-expert";

    private readonly HttpClient _client = app.CreateHttpClient();

    [SandboxFact]
    public async Task Http_EveryToolThenSubmit_GradedAndRecordedWithItsVerdicts()
    {
        var reset = await PostAsync("/reset", new JsonObject { ["suite"] = "gauntlet", ["scenario_id"] = Scenario, ["seed"] = 11 });
        var token = reset["episode_token"]!.GetValue<string>();

        var source = await StepAsync(token, Call(GauntletTools.ReadSource));
        var requirements = await StepAsync(token, Call(GauntletTools.ReadRequirements));
        var python = await StepAsync(token, Code(GauntletTools.RunPython, "print(statistics.median([3, 1, 2]))"));
        var examples = await StepAsync(token, Code(GauntletTools.RunExamples, TinyPiece.Tier1));
        var final = await StepAsync(token, Code(GauntletTools.SubmitCode, TinyPiece.Hardened));

        Assert.Equal("double", reset["observation"]!["entry_point"]!.GetValue<string>());
        Assert.Equal(TinyPiece.Original, source["observation"]!["result"]!["source"]!.GetValue<string>());
        Assert.Equal("ok", requirements["observation"]!["status"]!.GetValue<string>());
        Assert.Equal("2\n", python["observation"]!["result"]!["sandbox_run"]!["stdout"]!.GetValue<string>());
        Assert.Equal(0.4, examples["observation"]!["result"]!["score"]!.GetValue<double>());
        Assert.Equal((true, 1.0, "hardened"), (final["done"]!.GetValue<bool>(), final["reward"]!.GetValue<double>(), final["observation"]!["outcome"]!.GetValue<string>()));

        var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{reset["episode_id"]!.GetValue<string>()}"))!;
        Assert.Equal(("gauntlet", TinyPiece.Hardened), (stored["episode"]!["suite"]!.GetValue<string>(), stored["episode"]!["submission"]!.GetValue<string>()));
        var last = JsonNode.Parse(stored["steps"]!.AsArray()[^1]!["clean_result"]!.GetValue<string>())!;
        Assert.Equal("hidden cases", last["tier_verdicts"]!["scope"]!.GetValue<string>());
        Assert.Equal(["tier_1_data_integrity", "tier_2_statistical_stability", "tier_3_resilience"], stored["grade"]!["criteria"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [SandboxFact]
    public async Task Http_InvalidInputs_NeverA500_AndCodeThatKillsTheHarnessLeavesTheServerServing()
    {
        var reset = await PostAsync("/reset", new JsonObject { ["suite"] = "gauntlet", ["scenario_id"] = Scenario, ["seed"] = 12 });
        var token = reset["episode_token"]!.GetValue<string>();

        using var nonObject = await PostRawAsync("/step", new JsonObject { ["action"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = GauntletTools.RunPython, ["arguments"] = new JsonArray(1) }, ["episode_token"] = token }.ToJsonString());
        using var noType = await PostRawAsync("/step", new JsonObject { ["action"] = new JsonObject { ["code"] = "x" }, ["episode_token"] = token }.ToJsonString());
        var missingCode = await StepAsync(token, Call(GauntletTools.RunExamples));
        var tooLarge = await StepAsync(token, Code(GauntletTools.RunPython, new string('#', GauntletTools.MaxCodeBytes + 1)));
        var killed = await StepAsync(token, Code(GauntletTools.SubmitCode, "import os, signal\ndef double(values, state):\n    os.kill(os.getppid(), signal.SIGKILL)\n"));
        var next = await PostAsync("/reset", new JsonObject { ["suite"] = "gauntlet", ["scenario_id"] = "gauntlet-tiny-warmup", ["seed"] = 13 });
        var served = await StepAsync(next["episode_token"]!.GetValue<string>(), Code(GauntletTools.SubmitCode, TinyPiece.Tier1));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, nonObject.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noType.StatusCode);
        Assert.Contains("code", missingCode["observation"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("at most 65536 bytes", tooLarge["observation"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((true, 0.0), (killed["done"]!.GetValue<bool>(), killed["reward"]!.GetValue<double>()));
        Assert.Equal(1.0, served["reward"]!.GetValue<double>());
    }

    [SandboxFact]
    public async Task WebSocket_ResetExamplesSubmit_OneEpisodeOfTheGauntlet()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));

        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["suite"] = "gauntlet", ["scenario_id"] = Scenario, ["seed"] = 14 } });
        var examples = await client.RequestAsync(Frame(Code(GauntletTools.RunExamples, TinyPiece.Original)));
        var refused = await client.RequestAsync(Frame(Call(GauntletTools.RunPython, new JsonObject { ["code"] = "", ["timeout"] = 5 })));
        var final = await client.RequestAsync(Frame(new JsonObject { ["type"] = "submit_answer", ["answer"] = TinyPiece.Tier1 }));
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });

        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        Assert.Equal(0, examples["data"]!["observation"]!["result"]!["score"]!.GetValue<double>());
        Assert.Equal(4, examples["data"]!["observation"]!["result"]!["tier_verdicts"]!["cases"]!.AsArray().Count);
        Assert.Equal("error", refused["data"]!["observation"]!["status"]!.GetValue<string>());
        Assert.Equal((true, 0.4), (final["data"]!["done"]!.GetValue<bool>(), final["data"]!["reward"]!.GetValue<double>()));
        Assert.Equal("gauntlet", state["data"]!["suite"]!.GetValue<string>());
        Assert.Equal(12, state["data"]!["grade"]!["answer_key"]!["hidden_cases"]!.AsArray().Count);
    }

    [SandboxFact]
    public async Task Mcp_SessionOfTheGauntlet_ListsItsToolsAndPlaysToTheEnd()
    {
        var created = await RpcAsync("openenv/session/create", new JsonObject { ["suite"] = "gauntlet", ["scenario_id"] = Scenario, ["seed"] = 15 });
        var sessionId = created["result"]!["session_id"]!.GetValue<string>();

        var tools = await RpcAsync("tools/list", new JsonObject { ["session_id"] = sessionId });
        var python = await RpcAsync("tools/call", new JsonObject { ["session_id"] = sessionId, ["name"] = GauntletTools.RunPython, ["arguments"] = new JsonObject { ["code"] = "print(1 + 1)" } });
        var bad = await RpcAsync("tools/call", new JsonObject { ["session_id"] = sessionId, ["name"] = GauntletTools.RunExamples, ["arguments"] = new JsonObject() });
        var submitted = await RpcAsync("tools/call", new JsonObject { ["session_id"] = sessionId, ["name"] = GauntletTools.SubmitCode, ["arguments"] = new JsonObject { ["code"] = TinyPiece.Hardened } });

        Assert.Equal([GauntletTools.ReadSource, GauntletTools.ReadRequirements, GauntletTools.RunPython, GauntletTools.RunExamples, GauntletTools.SubmitCode, "submit_answer"],
            tools["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.False(python["result"]!["isError"]!.GetValue<bool>());
        Assert.True(bad["result"]!["isError"]!.GetValue<bool>());
        Assert.True(submitted["result"]!["structuredContent"]!["done"]!.GetValue<bool>());
        Assert.Equal(1.0, submitted["result"]!["structuredContent"]!["reward"]!.GetValue<double>());
    }

    [SandboxFact]
    public async Task Sealed_RunningEpisode_RecordHidesSeedDecisionsAndCleanResultsUntilItEnds()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await client.RequestAsync(SealedEpisodeEndpointTests.SealedReset(new JsonObject { ["suite"] = "gauntlet", ["scenario_id"] = Scenario, ["episode_id"] = "gauntlet-sealed-walk" }));
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        await client.RequestAsync(Frame(Call(GauntletTools.ReadSource)));
        await client.RequestAsync(Frame(Code(GauntletTools.RunExamples, TinyPiece.Tier1)));

        var state = (await client.RequestAsync(new JsonObject { ["type"] = "state" }))["data"]!;
        // A running step's reply goes out before the recorder stores it: read once all three are stored.
        await StoreWaiter.WaitForStepsAsync(app.Services.GetRequiredService<IEpisodeFeed>(), app.Services.GetRequiredService<EpisodeStore>(), "gauntlet-sealed-walk", 3);
        var running = (await _client.GetFromJsonAsync<JsonObject>("/api/episodes/gauntlet-sealed-walk"))!;
        await client.RequestAsync(Frame(Code(GauntletTools.SubmitCode, TinyPiece.Hardened)));
        var ended = (await _client.GetFromJsonAsync<JsonObject>("/api/episodes/gauntlet-sealed-walk"))!;

        Assert.Null(state["seed"]);
        Assert.Null(running["episode"]!["seed"]);
        Assert.Null(running["grade"]);
        Assert.All(running["steps"]!.AsArray(), s =>
        {
            Assert.Null(s!["clean_result"]);
            Assert.Empty(s["faults"]!.AsArray());
        });
        Assert.NotNull(ended["episode"]!["seed"]);
        Assert.NotNull(ended["grade"]!["answer_key"]!["hidden_cases"]);
        Assert.Contains("tier_verdicts", ended["steps"]!.AsArray()[^1]!["clean_result"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(ended["steps"]!.AsArray()[^1]!["faults"]!.AsArray(), f => Assert.StartsWith("case:h", f!["target"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    private static JsonObject Call(string tool, JsonObject? arguments = null) =>
        new() { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments ?? [] };

    private static JsonObject Code(string tool, string code) => Call(tool, new JsonObject { ["code"] = code });

    private static JsonObject Frame(JsonObject action) => new() { ["type"] = "step", ["data"] = action };

    private async Task<JsonObject> StepAsync(string token, JsonObject action)
    {
        using var response = await PostRawAsync("/step", new JsonObject { ["action"] = action, ["episode_token"] = token }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await PostRawAsync(path, body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> RpcAsync(string method, JsonObject parameters)
    {
        using var response = await PostRawAsync("/mcp", new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        _client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}

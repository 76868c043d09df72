using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.OpenEnv;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Suites.Mast.Endpoints;

/// <summary>The mast suite over the real server: HTTP /reset and /step, WebSocket /ws and MCP /mcp.</summary>
public sealed class MastEndpointTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private static readonly string Scenario = new MastSuite().Scenarios[0].Id;

    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task Http_EveryToolThenSubmit_StepsOnTheSameEpisodeAndAGradedEnd()
    {
        var reset = await PostAsync("/reset", new JsonObject { ["suite"] = "mast", ["scenario_id"] = Scenario, ["seed"] = 11 });
        var token = reset["episode_token"]!.GetValue<string>();

        var pipeline = await StepAsync(token, Call(MastTools.ReadPipeline));
        var agent = pipeline["observation"]!["result"]!["agents"]![0]!["id"]!.GetValue<string>();
        var incidents = await StepAsync(token, Call(MastTools.ListIncidents));
        var runId = incidents["observation"]!["result"]!["incidents"]![0]!["run_id"]!.GetValue<string>();
        var trace = await StepAsync(token, Call(MastTools.ReadTrace, new() { ["run_id"] = runId }));
        var log = await StepAsync(token, Call(MastTools.ReadAgentLog, new() { ["run_id"] = runId, ["agent_id"] = agent }));
        var trial = await StepAsync(token, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject { ["retry_max"] = 1 }, ["runs"] = 3 }));
        var final = await StepAsync(token, new JsonObject { ["type"] = "submit_answer", ["answer"] = new JsonObject { ["config"] = new JsonObject() } });

        Assert.NotNull(reset["observation"]!["failure_modes"]);
        Assert.Equal("Diagnose and harden", reset["observation"]!["question"]!.GetValue<string>()[..19]);
        Assert.All(new[] { pipeline, incidents, trace, log, trial }, s => Assert.Equal("ok", s["observation"]!["status"]!.GetValue<string>()));
        Assert.Equal(3, trial["observation"]!["result"]!["trial_summary"]!["runs"]!.GetValue<int>());
        Assert.Equal(6, final["observation"]!["step"]!.GetValue<int>());
        Assert.True(final["done"]!.GetValue<bool>());
        Assert.Equal(0, final["reward"]!.GetValue<double>());
        Assert.Equal("episode_end", final["observation"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Http_InvalidInputs_NeverA500AndTheSessionLives()
    {
        var reset = await PostAsync("/reset", new JsonObject { ["suite"] = "mast", ["scenario_id"] = Scenario, ["seed"] = 12 });
        var token = reset["episode_token"]!.GetValue<string>();

        var badRange = await StepAsync(token, Call(MastTools.RunTrial, new() { ["config"] = new JsonObject { ["retry_delay_ms"] = 250_000 } }));
        var unknownRun = await StepAsync(token, Call(MastTools.ReadTrace, new() { ["run_id"] = "trial-9#9" }));
        using var nonObject = await PostRawAsync("/step", new JsonObject { ["action"] = new JsonObject { ["type"] = "call_tool", ["tool_name"] = MastTools.RunTrial, ["arguments"] = new JsonArray(1) }, ["episode_token"] = token }.ToJsonString());
        var badSubmission = await StepAsync(token, new JsonObject { ["type"] = "submit_answer", ["answer"] = new JsonObject { ["config"] = new JsonObject { ["retry_max"] = 25 } } });
        var alive = await StepAsync(token, Call(MastTools.ReadPipeline));

        Assert.Contains("config/retry_delay_ms", badRange["observation"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("unknown run", unknownRun["observation"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nonObject.StatusCode);
        Assert.False(badSubmission["done"]!.GetValue<bool>());
        Assert.Contains("/config/retry_max", badSubmission["observation"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("ok", 4), (alive["observation"]!["status"]!.GetValue<string>(), alive["observation"]!["step"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Http_SeedStyleBareConfigAction_GradedAsTheSubmission()
    {
        var reset = await PostAsync("/reset", new JsonObject { ["suite"] = "mast", ["scenario_id"] = Scenario, ["seed"] = 13 });

        var final = await StepAsync(reset["episode_token"]!.GetValue<string>(), new JsonObject { ["retry_max"] = 1, ["format_translator"] = true, ["diagnosis"] = "FM-2.5" });

        Assert.True(final["done"]!.GetValue<bool>());
        var stored = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{reset["episode_id"]!.GetValue<string>()}"))!;
        Assert.Equal("mast", stored["episode"]!["suite"]!.GetValue<string>());
        Assert.Contains("format_translator", stored["episode"]!["submission"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(stored["grade"]);
    }

    [Fact]
    public async Task WebSocket_ResetStepsSubmit_OneEpisodeOfTheMastSuite()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));

        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["suite"] = "mast", ["scenario_id"] = Scenario, ["seed"] = 14 } });
        var trial = await client.RequestAsync(Frame(Call(MastTools.RunTrial, new() { ["config"] = new JsonObject(), ["runs"] = 2 })));
        var refused = await client.RequestAsync(Frame(Call(MastTools.RunTrial, new() { ["config"] = new JsonObject { ["fallback"] = "pray" } })));
        var final = await client.RequestAsync(Frame(new JsonObject { ["type"] = "submit_answer", ["answer"] = new JsonObject { ["config"] = new JsonObject() } }));
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });

        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        Assert.Equal(2, trial["data"]!["observation"]!["result"]!["trial_summary"]!["runs"]!.GetValue<int>());
        Assert.Equal("error", refused["data"]!["observation"]!["status"]!.GetValue<string>());
        Assert.True(final["data"]!["done"]!.GetValue<bool>());
        Assert.Equal("mast", state["data"]!["suite"]!.GetValue<string>());
        Assert.NotNull(state["data"]!["grade"]!["answer_key"]);
    }

    [Fact]
    public async Task Mcp_SessionOfTheMastSuite_ListsItsToolsAndPlaysToTheEnd()
    {
        var created = await RpcAsync("openenv/session/create", new JsonObject { ["suite"] = "mast", ["scenario_id"] = Scenario, ["seed"] = 15 });
        var sessionId = created["result"]!["session_id"]!.GetValue<string>();

        var tools = await RpcAsync("tools/list", new JsonObject { ["session_id"] = sessionId });
        var pipeline = await RpcAsync("tools/call", new JsonObject { ["session_id"] = sessionId, ["name"] = MastTools.ReadPipeline, ["arguments"] = new JsonObject() });
        var badConfig = await RpcAsync("tools/call", new JsonObject { ["session_id"] = sessionId, ["name"] = MastTools.RunTrial, ["arguments"] = new JsonObject { ["config"] = new JsonObject { ["retry_max"] = -1 } } });
        var submitted = await RpcAsync("tools/call", new JsonObject { ["session_id"] = sessionId, ["name"] = MastTools.SubmitAnswer, ["arguments"] = new JsonObject { ["answer"] = new JsonObject { ["config"] = new JsonObject() } } });

        Assert.Equal([MastTools.ReadPipeline, MastTools.ListIncidents, MastTools.ReadTrace, MastTools.ReadAgentLog, MastTools.RunTrial, MastTools.SubmitAnswer],
            tools["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("object", tools["result"]!["tools"]![4]!["inputSchema"]!["properties"]!["config"]!["type"]!.GetValue<string>());
        Assert.False(pipeline["result"]!["isError"]!.GetValue<bool>());
        Assert.True(badConfig["result"]!["isError"]!.GetValue<bool>());
        Assert.True(submitted["result"]!["structuredContent"]!["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Sealed_RunningEpisode_RecordHidesSeedFaultsAndCleanResultsUntilItEnds()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await client.RequestAsync(SealedEpisodeEndpointTests.SealedReset(new JsonObject { ["suite"] = "mast", ["scenario_id"] = Scenario, ["episode_id"] = "mast-sealed-walk" }));
        Assert.Equal("observation", reset["type"]!.GetValue<string>());
        await client.RequestAsync(Frame(Call(MastTools.ListIncidents)));
        await client.RequestAsync(Frame(Call(MastTools.RunTrial, new() { ["config"] = new JsonObject { ["retry_max"] = 1 } })));

        var state = (await client.RequestAsync(new JsonObject { ["type"] = "state" }))["data"]!;
        // A running step's reply goes out before the recorder stores it: read once all three are stored.
        await StoreWaiter.WaitForStepsAsync(app.Services.GetRequiredService<IEpisodeFeed>(), app.Services.GetRequiredService<EpisodeStore>(), "mast-sealed-walk", 3);
        var running = (await _client.GetFromJsonAsync<JsonObject>("/api/episodes/mast-sealed-walk"))!;
        await client.RequestAsync(Frame(new JsonObject { ["type"] = "submit_answer", ["answer"] = new JsonObject { ["config"] = new JsonObject() } }));
        var ended = (await _client.GetFromJsonAsync<JsonObject>("/api/episodes/mast-sealed-walk"))!;

        Assert.Null(state["seed"]);
        Assert.Null(running["episode"]!["seed"]);
        Assert.Null(running["grade"]);
        Assert.All(running["steps"]!.AsArray(), s =>
        {
            Assert.Null(s!["clean_result"]);
            Assert.Empty(s["faults"]!.AsArray());
        });
        Assert.NotNull(ended["episode"]!["seed"]);
        Assert.NotNull(ended["grade"]!["answer_key"]!["reference_fix"]);
        Assert.Contains("config_change", ended["steps"]!.AsArray()[^1]!["clean_result"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static JsonObject Call(string tool, JsonObject? arguments = null) =>
        new() { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments ?? [] };

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

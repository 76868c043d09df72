using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Small helpers for driving tools episodes in tests.</summary>
internal static class ToolsTestKit
{
    public static readonly ToolsSuite Suite = new();

    public static (IEpisodeSession Session, StepResult Reset) Start(string scenarioId, long seed)
    {
        var session = Suite.CreateSession();
        var reset = session.Reset(new ResetOptions { ScenarioId = scenarioId, Seed = seed, EpisodeId = "test" });
        Assert.True(reset.Succeeded, string.Join("; ", reset.Errors.Select(e => e.Path + ": " + e.Message)));
        return (session, reset.Value!);
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static JsonElement Call(string tool, JsonObject arguments) =>
        Json(new JsonObject { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments }.ToJsonString());

    public static JsonElement Submit(string answer) => Json(new JsonObject { ["type"] = "submit_answer", ["answer"] = answer }.ToJsonString());

    /// <summary>Sessions complete synchronously for every tool but python_execute with a real sandbox.</summary>
    public static EnvironmentResult<StepResult> TryStep(IEpisodeSession session, JsonElement action) => session.StepAsync(action).AsTask().GetAwaiter().GetResult();

    public static StepResult Step(IEpisodeSession session, JsonElement action)
    {
        var result = TryStep(session, action);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Path + ": " + e.Message)));
        return result.Value!;
    }

    public static StepResult CallTool(IEpisodeSession session, string tool, JsonObject arguments) => Step(session, Call(tool, arguments));

    public static ScenarioInstance Instance(string scenarioId, long seed) => ScenarioTemplate.Instantiate(ScenarioCatalog.Find(scenarioId)!, seed);

    /// <summary>A call to each of the 29 non-submit tools, aimed at the scenario's key entities.</summary>
    public static List<JsonElement> Battery(ScenarioInstance instance)
    {
        var entity = instance.Facts[0].Entity;
        var slug = string.Join('-', entity.ToLowerInvariant().Split(' '));
        var word = entity.Split(' ')[0];
        JsonElement C(string tool, JsonObject args) => Call(tool, args);
        return
        [
            C("knowledge_base_lookup", new JsonObject { ["entity"] = entity }),
            C("web_search", new JsonObject { ["query"] = entity + " " + instance.Facts[0].Attribute }),
            C("fetch_url", new JsonObject { ["url"] = "https://chaos.local/wiki/" + slug }),
            C("document_search", new JsonObject { ["query"] = entity + " report" }),
            C("database_query", new JsonObject { ["sql"] = "SELECT * FROM countries" }),
            C("database_query", new JsonObject { ["sql"] = $"SELECT * FROM financials WHERE company LIKE '{word}%'" }),
            C("api_call", new JsonObject { ["url"] = "internal://entity/" + entity, ["method"] = "GET" }),
            C("api_call", new JsonObject { ["url"] = "internal://financials/" + entity, ["method"] = "GET" }),
            C("read_file", new JsonObject { ["path"] = "/data/countries.csv" }),
            C("read_file", new JsonObject { ["path"] = "/data/companies.csv" }),
            C("get_current_datetime", new JsonObject { ["timezone"] = "UTC" }),
            C("calculator", new JsonObject { ["expression"] = "100 / 7" }),
            C("python_execute", new JsonObject { ["code"] = "print(1)" }),
            C("text_extract", new JsonObject { ["text"] = "a 12 b 34", ["pattern"] = "numbers" }),
            C("data_transform", new JsonObject { ["data"] = new JsonArray(3, 1, 2), ["operation"] = "median" }),
            C("compare_values", new JsonObject { ["value1"] = 10, ["value2"] = 10.1, ["tolerance"] = 0.02 }),
            C("json_query", new JsonObject { ["data"] = new JsonObject { ["a"] = 1 }, ["query"] = "$.a" }),
            C("translate", new JsonObject { ["text"] = "population revenue", ["target_language"] = "local" }),
            C("scratchpad_write", new JsonObject { ["key"] = "k", ["value"] = "v" }),
            C("scratchpad_read", new JsonObject { ["key"] = "k" }),
            C("write_file", new JsonObject { ["path"] = "/workspace/a.txt", ["content"] = "x" }),
            C("database_insert", new JsonObject { ["table"] = "agent_notes", ["data"] = new JsonObject { ["key"] = "k", ["value"] = "v" } }),
            C("create_report", new JsonObject { ["content"] = "report", ["title"] = "t", ["findings"] = new JsonArray("f") }),
            C("validate_url", new JsonObject { ["url"] = "https://chaos.local/wiki/" + slug }),
            C("validate_data", new JsonObject { ["data"] = new JsonObject { ["a"] = 1 }, ["schema"] = new JsonObject { ["type"] = "object" } }),
            C("check_consistency", new JsonObject { ["source1"] = "12 million", ["source2"] = "12,000,000" }),
            C("fact_check", new JsonObject { ["claim"] = instance.Question, ["evidence"] = "12 million people" }),
            C("hash_verify", new JsonObject { ["data"] = "x", ["expected_hash"] = "00" }),
            C("send_notification", new JsonObject { ["message"] = "m" }),
            C("schedule_task", new JsonObject { ["task"] = "t", ["time"] = "2026-05-01T00:00:00Z" }),
            C("update_ticket", new JsonObject { ["ticket_id"] = "TCK-1001", ["update"] = new JsonObject { ["comment"] = "c" } }),
            C("request_human_review", new JsonObject { ["reason"] = "r" }),
        ];
    }

    /// <summary>Runs actions on a session that allows them all (a task3 definition with a high step limit is not needed: unlimited by resetting).</summary>
    public static List<StepResult> RunAll(string scenarioId, long seed, IReadOnlyList<JsonElement> actions)
    {
        var results = new List<StepResult>();
        var (session, reset) = Start(scenarioId, seed);
        results.Add(reset);
        foreach (var action in actions)
        {
            if (session.State["done"]!.GetValue<bool>())
            {
                (session, _) = Start(scenarioId, seed);
            }

            results.Add(Step(session, action));
        }

        return results;
    }
}

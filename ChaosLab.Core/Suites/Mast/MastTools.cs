using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Config;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// The mast suite's tools: what an operator can look at (the pipeline, its failed production
/// runs, their traces and logs), a trial of a candidate config, and the submission. Every call
/// is a step.
/// </summary>
public static class MastTools
{
    public const string ReadPipeline = "read_pipeline";
    public const string ListIncidents = "list_incidents";
    public const string ReadTrace = "read_trace";
    public const string ReadAgentLog = "read_agent_log";
    public const string RunTrial = "run_trial";
    public const string SubmitAnswer = AgentAction.SubmitType;

    public const int MaxTrialRuns = 10;
    public const int MaxRunIdLength = 40;
    public const int MaxAgentIdLength = 40;

    /// <summary>The tools as published (the run_trial config with its full schema: ranges, enums, defaults).</summary>
    public static IReadOnlyList<ToolDescriptor> All { get; } = Build(ResilienceConfigReader.Schema());

    /// <summary>
    /// What the session base checks a call against: the same tools, with run_trial's config only
    /// required to be an object, so its fields are checked by <see cref="ResilienceConfigReader"/>,
    /// whose errors name each field by its JSON pointer with the allowed range.
    /// </summary>
    public static ToolCatalog Catalog { get; } = new(Build(new JsonObject { ["type"] = "object" }));

    public static JsonArray ToJson() => new([.. All.Select(t => (JsonNode)new JsonObject
    {
        ["name"] = t.Name,
        ["category"] = t.Category,
        ["description"] = t.Description,
        ["parameters"] = t.InputSchema.DeepClone(),
    })]);

    private static List<ToolDescriptor> Build(JsonObject configSchema) =>
    [
        new(ReadPipeline, "The pipeline definition: its agents in order (id, role, formats, context window, deployed role prompt), the task (goal, items, constraints), the latency objective, the turn limit and the config in force.", "inspection", Object()),
        new(ListIncidents, "The last production runs of the pipeline with the config in force: id, passed, latency and the monitoring's failure reason.", "inspection", Object()),
        new(ReadTrace, "The messages of one run (an incident, or a run a trial reported): who sent what to whom, when, and its status.", "inspection",
            Object(("run_id", new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = MaxRunIdLength, ["description"] = "A run id from list_incidents or run_trial." }))),
        new(ReadAgentLog, "What one agent logged during one run: model calls, retries, parse errors, truncation, its own decisions.", "inspection",
            Object(
                ("run_id", new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = MaxRunIdLength, ["description"] = "A run id from list_incidents or run_trial." }),
                ("agent_id", new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = MaxAgentIdLength, ["description"] = "An agent id from read_pipeline." }))),
        new(RunTrial, "Runs the pipeline with a candidate config on fresh runs: passed and failed counts, latency p50/p95, the latency objective, the failure reasons with counts, and the id and trace of one failing run.", "trial",
            Object(
                ("config", configSchema.DeepClone().AsObject()),
                ("runs", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = MaxTrialRuns, ["default"] = MaxTrialRuns, ["description"] = "How many runs (1-10)." }))
            .Required("config")),
        new(SubmitAnswer, "Submits the hardened config and the diagnosis; ends the episode. answer = {\"config\": {...}, \"diagnosis\": {\"failure_mode\": \"FM-x.y\", \"component\": \"<agent id>\"} (or an array of up to 3)}; a flat ResilienceConfig object is accepted too.", "action",
            Object(
                ("answer", new JsonObject { ["type"] = new JsonArray("object", "string"), ["description"] = "{\"config\":{...},\"diagnosis\":{...}}, or a flat ResilienceConfig." }),
                ("reasoning", new JsonObject { ["type"] = "string", ["maxLength"] = 4_000 }))
            .Required("answer")),
    ];

    private static JsonObject Object(params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        return new JsonObject { ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
    }

    private static JsonObject Required(this JsonObject schema, params string[] names)
    {
        schema["required"] = new JsonArray([.. names.Select(n => (JsonNode)n)]);
        return schema;
    }
}

using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Core.Suites.Mast.Agents;

/// <summary>
/// What scored 1.00 on the seed: reads the pipeline only for its agent ids, then turns every
/// mechanism on at the top of its range, deploys one generic role specification with every
/// capability and constraint to every agent, and names every MAST code with keywords as its
/// diagnosis. The suite must rank it far below an agent that looks.
/// </summary>
public sealed class FlagStufferAgent : IAgent
{
    public const string AgentName = "flag-stuffer";

    public string Name => AgentName;

    public JsonObject NextAction(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation["kind"]?.ToString() == "reset")
        {
            return new JsonObject { ["type"] = "call_tool", ["tool_name"] = MastTools.ReadPipeline, ["arguments"] = new JsonObject() };
        }

        var pipeline = PipelineView.From(observation["result"]);
        return new JsonObject
        {
            ["type"] = "submit_answer",
            ["answer"] = new JsonObject { ["config"] = Everything(pipeline), ["diagnosis"] = StuffedDiagnosis },
        };
    }

    /// <summary>Every code and the words a substring grader would look for.</summary>
    public static string StuffedDiagnosis { get; } =
        string.Join(" ", MastTaxonomy.All.Select(m => m.Code)) +
        " role specification format mismatch yaml json translator termination verification review consistency repetition history context retry timeout circuit breaker";

    /// <summary>Every mechanism on, every number at its maximum, a generic role spec for each agent.</summary>
    public static JsonObject Everything(PipelineView? pipeline)
    {
        var config = new JsonObject
        {
            ["retry_max"] = 10,
            ["retry_delay_ms"] = 30_000,
            ["timeout_ms"] = 120_000,
            ["fallback"] = "retry_last",
            ["circuit_breaker_threshold"] = 1.0,
            ["context_strategy"] = "summarize",
            ["context_summarization_threshold"] = 256,
            ["min_review_depth"] = 5,
            ["consistency_check"] = true,
            ["format_translator"] = true,
            ["repetition_guard"] = 5,
            ["action_validation"] = true,
        };
        if (pipeline is not null)
        {
            config["role_specs"] = new JsonObject([.. pipeline.Agents.Select(a => KeyValuePair.Create(a.Id, (JsonNode?)new JsonObject
            {
                ["role"] = a.Role,
                ["capabilities"] = new JsonArray([.. AgentRoles.AllCapabilities.Select(c => (JsonNode)c)]),
                ["constraints"] = new JsonArray([.. AgentRoles.Constraints.Select(c => (JsonNode)c)]),
                ["output_format"] = "json",
                ["stop_condition"] = "verified",
            }))]);
        }

        return config;
    }
}

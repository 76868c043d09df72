using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>What the tools suite adds to the observation envelope: how to play (on reset) and the tool list (on reset and list_tools).</summary>
public sealed record ToolsObservationFields(string? TaskTitle = null, string? Guidance = null, string? Instructions = null, JsonArray? Tools = null);

/// <summary>
/// The wire shape of what the agent sees after a reset or a step, for <c>/schema</c>: the session
/// base writes the envelope, the tools session its <see cref="ToolsObservationFields"/>. Everything the agent needs is an ordinary field
/// (OpenEnv drops <c>metadata</c>). There is no fault label and no answer key, ever.
/// </summary>
public sealed record ToolsObservation
{
    /// <summary>reset, tool_result, tool_list or episode_end.</summary>
    public required string Kind { get; init; }

    public required string TaskId { get; init; }

    public required string Tier { get; init; }

    public required string ScenarioId { get; init; }

    public required string Question { get; init; }

    public required int Step { get; init; }

    public required int MaxSteps { get; init; }

    public required int StepsRemaining { get; init; }

    /// <summary>The episode clock (ISO 8601, UTC).</summary>
    public required string Time { get; init; }

    public string? TaskTitle { get; init; }

    public string? Guidance { get; init; }

    public string? Instructions { get; init; }

    /// <summary>The tools with JSON-Schema parameters (on reset and list_tools).</summary>
    public JsonArray? Tools { get; init; }

    public string? ToolName { get; init; }

    /// <summary>ok or error.</summary>
    public string? Status { get; init; }

    /// <summary>The tool's response body: JSON, or text when the response was cut off.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>How long the call took on the episode clock.</summary>
    public int? ElapsedMs { get; init; }

    /// <summary>Why a call could not run (unknown tool, invalid arguments).</summary>
    public string? Error { get; init; }

    /// <summary>On the final step: the episode score in [0, 1].</summary>
    public double? Score { get; init; }

    /// <summary>On the final step: correct, partial, wrong, no_answer or step_limit.</summary>
    public string? Outcome { get; init; }
}

/// <summary>The wire shape of the episode state as <c>/state</c> returns it, for <c>/schema</c> (the session base writes it; the tools session adds the workspace).</summary>
public sealed record ToolsState
{
    public required string EpisodeId { get; init; }

    public required string Suite { get; init; }

    public required string TaskId { get; init; }

    public required string Tier { get; init; }

    public required string ScenarioId { get; init; }

    public required int ScenarioVersion { get; init; }

    /// <summary>practice or sealed.</summary>
    public required string Mode { get; init; }

    /// <summary>Absent while a sealed episode runs.</summary>
    public required long? Seed { get; init; }

    public required string Question { get; init; }

    public required int StepCount { get; init; }

    public required int MaxSteps { get; init; }

    public required bool Done { get; init; }

    public required string Time { get; init; }

    public required double CumulativeReward { get; init; }

    public required JsonObject Workspace { get; init; }

    public required JsonArray History { get; init; }

    /// <summary>Only once the episode is over: score, outcome, criteria and the answer key.</summary>
    public JsonObject? Grade { get; init; }
}

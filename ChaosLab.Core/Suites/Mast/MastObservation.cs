using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// What the mast suite adds to the observation envelope on reset: how to play, the tools, the
/// published failure modes to diagnose from, and the config's fields with defaults and ranges.
/// Tool results travel in the envelope's <c>result</c>.
/// </summary>
public sealed record MastObservationFields(
    string? TaskTitle = null,
    string? Guidance = null,
    string? Instructions = null,
    JsonArray? Tools = null,
    JsonArray? FailureModes = null,
    JsonObject? ConfigSchema = null,
    JsonObject? ConfigDefaults = null);

/// <summary>
/// The wire shape of what the agent sees after a reset or a step of the mast suite, for
/// <c>/schema</c>: the session base writes the envelope, the mast session its
/// <see cref="MastObservationFields"/>. No fault label, seed or answer key, ever.
/// </summary>
public sealed record MastObservation
{
    /// <summary>reset, tool_result, tool_list or episode_end.</summary>
    public required string Kind { get; init; }

    public required string TaskId { get; init; }

    public required string Tier { get; init; }

    public required string ScenarioId { get; init; }

    /// <summary>"Diagnose and harden the &lt;kind&gt; pipeline".</summary>
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

    /// <summary>The published MAST failure modes (code, name, category, description), on reset.</summary>
    public JsonArray? FailureModes { get; init; }

    /// <summary>JSON Schema of a config: every field with its range or values and its default, on reset.</summary>
    public JsonObject? ConfigSchema { get; init; }

    /// <summary>The config the pipeline runs with as deployed, on reset.</summary>
    public JsonObject? ConfigDefaults { get; init; }

    public string? ToolName { get; init; }

    /// <summary>ok or error.</summary>
    public string? Status { get; init; }

    /// <summary>The tool's result: the pipeline, incidents, a trace, a log or a trial's summary.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>How long the call took on the episode clock.</summary>
    public int? ElapsedMs { get; init; }

    /// <summary>Why a call could not run (unknown tool, invalid arguments, unknown run id, an invalid config).</summary>
    public string? Error { get; init; }

    /// <summary>On the final step: the episode score in [0, 1].</summary>
    public double? Score { get; init; }

    /// <summary>On the final step: hardened, partial, failed or step_limit.</summary>
    public string? Outcome { get; init; }
}

/// <summary>The wire shape of a mast episode's state as <c>/state</c> returns it, for <c>/schema</c>.</summary>
public sealed record MastState
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
    public long? Seed { get; init; }

    public required string Question { get; init; }

    public required int StepCount { get; init; }

    public required int MaxSteps { get; init; }

    public required bool Done { get; init; }

    public required string Time { get; init; }

    public required double CumulativeReward { get; init; }

    /// <summary>Runs this episode has seen (incidents listed, trials run) by id, and the trials' configs in order.</summary>
    public required JsonObject Workbench { get; init; }

    public required JsonArray History { get; init; }

    /// <summary>Only once the episode is over: score, outcome and the answer key.</summary>
    public JsonObject? Grade { get; init; }
}

using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// What the gauntlet adds to the observation envelope on reset (and on list_tools): the task,
/// how to play, the tools, the graded function and the requirement tiers with which of them
/// this scenario grades. Tool results travel in the envelope's <c>result</c>.
/// </summary>
public sealed record GauntletObservationFields(
    string? TaskTitle = null,
    string? Guidance = null,
    string? Instructions = null,
    JsonArray? Tools = null,
    string? EntryPoint = null,
    JsonArray? RequirementTiers = null);

/// <summary>
/// The wire shape of what the agent sees after a reset or a step of the gauntlet, for
/// <c>/schema</c>: the session base writes the envelope, the gauntlet session its
/// <see cref="GauntletObservationFields"/>. No seed, hidden case or fault decision, ever.
/// </summary>
public sealed record GauntletObservation
{
    /// <summary>reset, tool_result, tool_list or episode_end.</summary>
    public required string Kind { get; init; }

    public required string TaskId { get; init; }

    public required string Tier { get; init; }

    public required string ScenarioId { get; init; }

    /// <summary>"Harden process_batch (…)".</summary>
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

    /// <summary>The function graded, called as <c>entry(payload, state)</c>, on reset.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>The piece's requirement tiers (tier, name, summary, graded here or not), on reset.</summary>
    public JsonArray? RequirementTiers { get; init; }

    public string? ToolName { get; init; }

    /// <summary>ok or error.</summary>
    public string? Status { get; init; }

    /// <summary>The tool's result: the source, the requirements, a sandbox run (<c>sandbox_run</c>), the examples' verdicts (<c>tier_verdicts</c>, <c>code_change</c>).</summary>
    public JsonNode? Result { get; init; }

    /// <summary>How long the call took on the episode clock (fixed per tool: never the host's wall time).</summary>
    public int? ElapsedMs { get; init; }

    /// <summary>Why a call could not run (unknown tool, invalid arguments, code over 64 KB, no sandbox).</summary>
    public string? Error { get; init; }

    /// <summary>On the final step: the episode score in [0, 1].</summary>
    public double? Score { get; init; }

    /// <summary>On the final step: hardened, partial, failed or step_limit.</summary>
    public string? Outcome { get; init; }
}

/// <summary>The wire shape of a gauntlet episode's state as <c>/state</c> returns it, for <c>/schema</c>.</summary>
public sealed record GauntletState
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

    /// <summary>What the agent did in the sandbox: its python runs and its example runs' scores, in order.</summary>
    public required JsonObject Workbench { get; init; }

    public required JsonArray History { get; init; }

    /// <summary>Only once the episode is over: score, outcome and the answer key (per tier the first failure, the hidden cases).</summary>
    public JsonObject? Grade { get; init; }
}

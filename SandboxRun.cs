using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Results;

/// <summary>How a run's outcome reads at a glance.</summary>
public enum RunTone
{
    /// <summary>The code ran and exited normally.</summary>
    Success,

    /// <summary>The code was not run (no sandbox).</summary>
    Warning,

    /// <summary>It failed, or a limit stopped it.</summary>
    Error,

    /// <summary>An outcome this dashboard does not know.</summary>
    Neutral,
}

/// <summary>
/// The <c>sandbox_run</c> convention of step results: <c>{"label","outcome","exit_code","stdout",
/// "stderr","truncated"}</c>, one run of code in the sandbox with its console output.
/// </summary>
/// <param name="Label">What the run was for (e.g. run_python, examples, grading), if said.</param>
/// <param name="Outcome">completed, failed, timed_out, output_limit_exceeded, memory_limit_exceeded, refused, or whatever the suite wrote.</param>
/// <param name="Truncated">The suite cut the output; the panes show what it kept.</param>
public sealed record SandboxRun(string? Label, string Outcome, int? ExitCode, string Stdout, string Stderr, bool Truncated)
{
    /// <summary>The convention's property name.</summary>
    public const string PropertyName = "sandbox_run";

    /// <summary>The outcome in words: <c>timed_out</c> reads "timed out".</summary>
    public string OutcomeText => Outcome.Replace('_', ' ');

    public RunTone Tone => Outcome switch
    {
        "completed" => RunTone.Success,
        "refused" => RunTone.Warning,
        "failed" or "timed_out" or "output_limit_exceeded" or "memory_limit_exceeded" => RunTone.Error,
        _ => RunTone.Neutral,
    };

    /// <returns>null unless <c>outcome</c> is a non-empty string; other fields not of their type are left out.</returns>
    public static SandboxRun? Read(JsonNode? node)
    {
        if (node is not JsonObject obj || ResultJson.String(obj["outcome"]) is not { Length: > 0 } outcome)
        {
            return null;
        }

        return new SandboxRun(
            ResultJson.String(obj["label"]) is { Length: > 0 } label ? label : null,
            outcome.Trim().ToLowerInvariant(),
            ResultJson.Int(obj["exit_code"]),
            ResultJson.String(obj["stdout"]) ?? "",
            ResultJson.String(obj["stderr"]) ?? "",
            ResultJson.Bool(obj["truncated"]) ?? false);
    }
}

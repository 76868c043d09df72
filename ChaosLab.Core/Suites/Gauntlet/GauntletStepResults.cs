using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// The gauntlet's step results in the dashboard's suite-neutral conventions (docs/architecture.md,
/// "Step result conventions"): <c>code_change</c>, <c>sandbox_run</c>, <c>tier_verdicts</c>.
/// Nothing here carries wall time: an observation is the same on every machine.
/// </summary>
public static class GauntletStepResults
{
    /// <summary>Bytes of one output stream shown; the rest is counted in an honest note.</summary>
    public const int StreamCapBytes = 8 * 1024;

    /// <summary>Characters of one case's prints shown in its verdict.</summary>
    public const int CaseStdoutChars = 1000;

    public const string PythonLabel = "run_python";
    public const string ExamplesLabel = "examples";
    public const string GradingLabel = "grading";

    public static JsonObject CodeChange(string original, string? previous, string after) => new()
    {
        ["language"] = "python",
        ["original"] = original,
        ["previous"] = previous,
        ["after"] = after,
    };

    /// <summary>A run_python run as the sandbox reported it.</summary>
    public static JsonObject SandboxRun(SandboxResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Run(PythonLabel, Outcome(result.Outcome), result.ExitCode, result.Stdout, result.Stderr, result.OutputTruncated);
    }

    /// <summary>
    /// A graded run: stdout is what the code printed, call by call (the harness's own stdout is
    /// its report, which is shown as the verdicts); stderr is the harness's and the sandbox's.
    /// </summary>
    public static JsonObject SandboxRun(string label, HarnessRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var outcome = run.Report switch
        {
            { LoadError: not null } => "failed",
            not null => "completed",
            null when run.Sandbox.Outcome == SandboxOutcome.Completed => "failed",
            null => Outcome(run.Sandbox.Outcome),
        };
        var prints = new StringBuilder();
        foreach (var caseRun in run.Report?.Cases ?? [])
        {
            for (var i = 0; i < caseRun.Calls.Count; i++)
            {
                if (caseRun.Calls[i].Stdout.Length > 0)
                {
                    prints.Append(CultureInfo.InvariantCulture, $"[{caseRun.Id} call {i}]\n").Append(caseRun.Calls[i].Stdout);
                    if (!caseRun.Calls[i].Stdout.EndsWith('\n'))
                    {
                        prints.Append('\n');
                    }
                }
            }
        }

        var stderr = run.Report?.LoadError is { } load
            ? $"{load.Type}: {load.Message}" + (load.Where is { } where ? $" ({where})" : string.Empty) + "\n" + run.Stderr
            : run.Stderr;
        return Run(label, outcome, run.Sandbox.ExitCode, prints.ToString(), stderr, run.Sandbox.OutputTruncated);
    }

    /// <summary>A call refused before anything ran (no sandbox).</summary>
    public static JsonObject RefusedRun(string label, string reason) => Run(label, "refused", null, string.Empty, reason, false);

    /// <summary>The per-tier verdicts of a grading, its cases failed first.</summary>
    /// <param name="scope">"public examples" or "hidden cases".</param>
    public static JsonObject TierVerdicts(string scope, GauntletGrading grading)
    {
        ArgumentNullException.ThrowIfNull(grading);
        var tiers = new JsonArray([.. grading.Score.Tiers.Select(t => (JsonNode)new JsonObject
        {
            ["tier"] = t.Tier,
            ["name"] = t.Name,
            ["graded"] = t.Graded,
            ["cases"] = t.Cases,
            ["passed"] = t.Passed,
            ["credit"] = t.Credit,
            ["first_failure"] = t.FirstFailure?.Message,
        })]);
        var report = grading.Run.Report;
        var cases = grading.Verdicts
            .Select((v, index) => (Verdict: v, Index: index, Passed: v.Checks.All(c => c.Passed)))
            .OrderBy(c => c.Passed)
            .ThenBy(c => c.Index)
            .Select(c => (JsonNode)new JsonObject
            {
                ["case"] = c.Verdict.CaseId,
                ["summary"] = grading.Cases.Describe(c.Verdict.CaseId),
                ["passed"] = c.Passed,
                ["stdout"] = Truncate(string.Concat(report?.Find(c.Verdict.CaseId)?.Calls.Select(call => call.Stdout) ?? []), CaseStdoutChars),
                ["checks"] = new JsonArray([.. c.Verdict.Checks.Select(check => (JsonNode)new JsonObject
                {
                    ["tier"] = check.Tier,
                    ["check"] = check.Check,
                    ["passed"] = check.Passed,
                    ["message"] = check.Message,
                    ["evidence"] = check.Evidence?.DeepClone(),
                })]),
            });
        return new JsonObject
        {
            ["scope"] = scope,
            ["score"] = grading.Score.Score,
            ["failure"] = grading.Failure,
            ["tiers"] = tiers,
            ["cases"] = new JsonArray([.. cases]),
        };
    }

    /// <summary>
    /// At most <see cref="StreamCapBytes"/> UTF-8 bytes of <paramref name="text"/>, cut on a
    /// character boundary, with a note saying how many bytes were left out.
    /// </summary>
    public static (string Text, bool Truncated) Cap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes <= StreamCapBytes)
        {
            return (text, false);
        }

        var kept = 0;
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (kept + rune.Utf8SequenceLength > StreamCapBytes)
            {
                break;
            }

            kept += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return (text[..length] + string.Create(CultureInfo.InvariantCulture, $"\n[... {bytes - kept} more bytes not shown]"), true);
    }

    private static JsonObject Run(string label, string outcome, int? exitCode, string stdout, string stderr, bool sandboxTruncated)
    {
        var (shownOut, outCut) = Cap(stdout);
        var (shownErr, errCut) = Cap(stderr);
        return new JsonObject
        {
            ["label"] = label,
            ["outcome"] = outcome,
            ["exit_code"] = exitCode,
            ["stdout"] = shownOut,
            ["stderr"] = shownErr,
            ["truncated"] = sandboxTruncated || outCut || errCut,
        };
    }

    private static string Outcome(SandboxOutcome outcome) => outcome switch
    {
        SandboxOutcome.Completed => "completed",
        SandboxOutcome.Failed => "failed",
        SandboxOutcome.TimedOut => "timed_out",
        SandboxOutcome.OutputLimitExceeded => "output_limit_exceeded",
        SandboxOutcome.MemoryLimitExceeded => "memory_limit_exceeded",
        _ => "refused",
    };

    private static string Truncate(string text, int chars) =>
        text.Length <= chars ? text : text[..chars] + string.Create(CultureInfo.InvariantCulture, $"\n[... {text.Length - chars} more characters not shown]");
}

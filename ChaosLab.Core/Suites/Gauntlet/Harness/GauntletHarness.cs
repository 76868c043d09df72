using System.Reflection;
using System.Text.Json.Nodes;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Gauntlet.Harness;

/// <summary>
/// Runs submitted code on graded cases in the sandbox: the harness (gauntlet_harness.py, shipped
/// in this assembly) is the sandbox's program, the submission and the cases are its input files.
/// Whatever the submission does (crash, hang, print megabytes, kill the harness) ends as a
/// <see cref="HarnessRun"/> with a reason, never as an exception here.
/// </summary>
public sealed class GauntletHarness(ICodeSandbox sandbox)
{
    public const string SubmissionFile = "submission.py";
    public const string CasesFile = "cases.json";

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(GauntletHarness).Assembly.GetManifestResourceStream("ChaosLab.Core.Suites.Gauntlet.Harness.gauntlet_harness.py")
            ?? throw new InvalidOperationException("The gauntlet harness is not embedded in ChaosLab.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public bool IsAvailable => sandbox.Availability.IsAvailable;

    /// <param name="entryPoint">The function each call invokes as <c>entry(payload, state)</c>.</param>
    /// <param name="dependencies">Names of the runtime dependencies the submission may call (scripted per case).</param>
    public async Task<HarnessRun> RunAsync(string code, string entryPoint, IReadOnlyList<string> dependencies, IReadOnlyList<HarnessCase> cases, HarnessLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(cases);
        limits ??= HarnessLimits.Default;
        var spec = new JsonObject
        {
            ["entry"] = entryPoint,
            ["dependencies"] = new JsonArray([.. dependencies.Select(d => (JsonNode)d)]),
            ["limits"] = new JsonObject
            {
                ["call_seconds"] = limits.CallSeconds,
                ["max_timeouts"] = limits.MaxTimeouts,
                ["max_dependency_calls"] = limits.MaxDependencyCalls,
                ["max_result_items"] = limits.MaxResultItems,
                ["max_argument_items"] = limits.MaxArgumentItems,
                ["max_message_bytes"] = limits.MaxMessageBytes,
                ["stdout_chars"] = limits.StdoutChars,
            },
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)c.ToJson())]),
        };
        var request = new SandboxRequest(
            Script.Value,
            Limits: limits.SandboxLimits(cases.Sum(c => c.Calls.Count)),
            Files: new Dictionary<string, string> { [SubmissionFile] = code, [CasesFile] = spec.ToJsonString() });
        var result = await sandbox.RunPythonAsync(request, cancellationToken);
        if (result.Outcome == SandboxOutcome.Refused)
        {
            return new HarnessRun(null, "code execution is unavailable on this server (no sandbox), so the submission could not be graded", result);
        }

        if (result.Outcome != SandboxOutcome.Completed)
        {
            return new HarnessRun(null, result.Outcome switch
            {
                SandboxOutcome.TimedOut => "the graded run passed the sandbox's time limit",
                SandboxOutcome.MemoryLimitExceeded => "the graded run passed the sandbox's memory limit",
                SandboxOutcome.OutputLimitExceeded => "the graded run printed more than the sandbox allows",
                _ => $"the harness ended with exit code {result.ExitCode} (the submission stopped it)",
            }, result);
        }

        var (report, problem) = HarnessReport.Parse(result.Stdout, cases);
        return new HarnessRun(report, problem, result);
    }
}

/// <summary>A graded run: the report, or why there is none (<see cref="Failure"/>), and the sandbox's own account.</summary>
public sealed record HarnessRun(HarnessReport? Report, string? Failure, SandboxResult Sandbox)
{
    /// <summary>The harness's own stderr (the submission's prints are per call, in the report).</summary>
    public string Stderr => Sandbox.Stderr;
}

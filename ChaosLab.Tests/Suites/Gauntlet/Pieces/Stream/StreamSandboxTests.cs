using System.Globalization;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;
using ChaosLab.Tests.Core.Sandbox;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Stream;

/// <summary>
/// Each check class in the real sandbox: the hardened solution with exactly one requirement
/// broken fails that requirement's check, and the checks of the tiers below still pass.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class StreamSandboxTests
{
    private static readonly string Hardened = GauntletTestKit.Solution("stream_hardened");

    [SandboxFact]
    public async Task Integrity_UnsortedOutput_FailsChronological_NothingElseOfTierOne()
    {
        var grading = await GradeAsync(Broken(
            "readings = sorted((r for i, r in enumerate(candidates) if i not in spikes), key=lambda r: r[\"ts\"])",
            "readings = [r for i, r in enumerate(candidates) if i not in spikes]\n    watermark = max([r[\"ts\"] for r in readings] + [watermark or 0]) if readings else watermark"), "warmup", "stream_reorder");

        Assert.Contains(grading.Verdicts, v => Failed(v, "chronological") is { } m && m.Contains("goes back in time", StringComparison.Ordinal));
        Assert.All(grading.Verdicts, v => Assert.All(v.Checks.Where(c => c.Check != "chronological"), c => Assert.True(c.Passed, c.Message)));
    }

    [SandboxFact]
    public async Task Integrity_NumericStringsTakenForNumbers_FailInvalidRejected()
    {
        const string line = "sensor, ts, value = event.get(\"sensor\"), event.get(\"ts\"), event.get(\"value\")";
        var code = Broken(line, line + "\n    if isinstance(value, str) and value.replace(\".\", \"\", 1).isdigit():\n        value = float(value)");
        var grading = await GradeAsync(code, "warmup", "stream_string_injection",
            t => t.Calls.Any(c => c.Events.Any(e => e.Defect.StartsWith("the string '", StringComparison.Ordinal) && double.TryParse(e.Defect[12..^1], CultureInfo.InvariantCulture, out _))));

        Assert.Contains(grading.Verdicts, v => Failed(v, "invalid_rejected") is { } m && m.Contains("an invalid event reached the output", StringComparison.Ordinal) && m.Contains("(the string '", StringComparison.Ordinal));
        Assert.All(grading.Verdicts, v => Assert.True(v.Checks.Single(c => c.Check == "numeric_output").Passed));
    }

    [SandboxFact]
    public async Task Statistics_NoSpikeRule_FailsSpikesRemoved_TierOneStillPasses()
    {
        var grading = await GradeAsync(Broken("spikes = _spikes(candidates, windows)", "spikes = set()"), "beginner", "stream_spike");

        Assert.Contains(grading.Verdicts, v => Failed(v, "spikes_removed") is { } m && m.Contains("a spike reached the output", StringComparison.Ordinal));
        Assert.All(grading.Verdicts, v => Assert.True(v.PassesThrough(1)));
    }

    [SandboxFact]
    public async Task Statistics_OutliersAlwaysTrimmed_FailsMinorityKept()
    {
        var grading = await GradeAsync(Broken("PATTERN_SHARE = 0.10", "PATTERN_SHARE = 2.0"), "beginner", "stream_minority_pattern");

        Assert.Contains(grading.Verdicts, v => Failed(v, "minority_kept") is { } m && m.Contains("second level was lost", StringComparison.Ordinal));
        Assert.All(grading.Verdicts, v => Assert.True(v.PassesThrough(1)));
    }

    [SandboxFact]
    public async Task Resilience_FiveAttempts_FailPublishRetries()
    {
        var grading = await GradeAsync(Broken("MAX_PUBLISH_ATTEMPTS = 3", "MAX_PUBLISH_ATTEMPTS = 5\nBACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0)").Replace("BACKOFF_SECONDS = (0.5, 1.0)  # before the second and the third attempt", string.Empty, StringComparison.Ordinal), "expert", "stream_sink_outage");

        Assert.Contains(grading.Verdicts, v => Failed(v, "publish_retries") is { } m && m.Contains("called publish 5 times; at most 3", StringComparison.Ordinal));
        Assert.All(grading.Verdicts, v => Assert.True(v.PassesThrough(2)));
    }

    [SandboxFact]
    public async Task Resilience_UnboundedPendingQueue_FailsStateBounded_AndAConstantAttemptCountFailsTruthfulness()
    {
        var unbounded = await GradeAsync(Broken("shed = max(0, len(backlog) - MAX_PENDING)", "shed = 0"), "expert", "stream_sink_outage",
            t => StreamReports.Has(t, "stream_burst"));
        var lying = await GradeAsync(Broken("\"publish_attempts\": attempts,", "\"publish_attempts\": 1,"), "expert", "stream_sink_outage");

        Assert.Contains(unbounded.Verdicts, v => Failed(v, "state_bounded") is { } m && m.Contains("the state holds a container of", StringComparison.Ordinal));
        Assert.Contains(lying.Verdicts, v => Failed(v, "telemetry_truthful") is { } m && m.Contains("telemetry says publish_attempts = 1 where", StringComparison.Ordinal));
        Assert.All(lying.Verdicts, v => Assert.True(v.Checks.Where(c => c.Check != "telemetry_truthful").All(c => c.Passed)));
    }

    private static string Broken(string original, string replacement)
    {
        Assert.Contains(original, Hardened, StringComparison.Ordinal);
        return Hardened.Replace(original, replacement, StringComparison.Ordinal);
    }

    /// <summary>Grades the code on the first hidden draw of the tier (seeds 1, 2, …) with a case injecting the kind (and matching the filter).</summary>
    private static async Task<GauntletGrading> GradeAsync(string code, string tier, string kind, Func<StreamCaseTruth, bool>? match = null)
    {
        var (_, _, seed) = StreamReports.Find(tier, t => StreamReports.Has(t, kind) && (match?.Invoke(t) ?? true));
        var grading = await GauntletTestKit.GradeAsync(StreamPiece.Instance, code, tier, seed);
        Assert.Null(grading.Failure);
        return grading;
    }

    private static string? Failed(CaseVerdict verdict, string check) =>
        verdict.Checks.SingleOrDefault(c => c.Check == check && !c.Passed)?.Message;
}

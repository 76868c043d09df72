using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;
using ChaosLab.Tests.Core.Sandbox;

namespace ChaosLab.Tests.Suites.Gauntlet.Pieces.Consumer;

/// <summary>
/// Each check class in the real sandbox: the hardened solution with exactly one requirement
/// broken fails that requirement's check, on the cases that exercise it, and nothing else.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class ConsumerSandboxTests
{
    private static readonly string Hardened = GauntletTestKit.Solution("consumer_hardened");

    private static string Break(string find, string replace)
    {
        Assert.Contains(find, Hardened);
        return Hardened.Replace(find, replace, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Failed(GauntletGrading grading) =>
        grading.Verdicts.SelectMany(v => v.Checks).Where(c => !c.Passed).Select(c => c.Check).Distinct().Order();

    [SandboxFact]
    public async Task Integrity_MalformedDeliveriesNotCounted_FailsOnlyMalformedRejected_OnEveryCase()
    {
        var code = Break("\"rejected\": batch.counts[\"rejected\"]", "\"rejected\": 0");

        var grading = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, code, "warmup", 3);

        Assert.Equal(["malformed_rejected"], Failed(grading));
        Assert.All(grading.Verdicts, v => Assert.StartsWith("tier 1: call ", v.Checks.Single(c => c.Check == "malformed_rejected").Message));
        Assert.Equal(0, grading.Score.Score);
    }

    [SandboxFact]
    public async Task Integrity_HardenedSolution_PassesTheOriginalsDuplicatesAndRowsItCrashesOn()
    {
        var original = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, ConsumerPiece.Instance.OriginalSource, "warmup", 3);
        var hardened = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, Hardened, "warmup", 3);

        Assert.Equal(1.0, hardened.Score.Score);
        Assert.Equal(0, original.Score.Score);
        Assert.Contains(original.Verdicts, v => v.Checks.Any(c => c.Check == "exactly_once" && c.Message!.Contains(" raised ", StringComparison.Ordinal)));
    }

    [SandboxFact]
    public async Task Ordering_AWindowTooWide_AppliesLateEvents_AndFailsOnlyTier2OnTheCasesWithLateEvents()
    {
        var code = Break("REORDER_WINDOW = 16", "REORDER_WINDOW = 40");

        var grading = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, code, "beginner", 4);

        var late = grading.Verdicts.Where(v => ((ConsumerCases)grading.Cases).Generated.Single(c => c.Id == v.CaseId).Truth.Any(t => t.DeadLettered.Count > 0)).ToList();
        Assert.NotEmpty(late);
        Assert.All(grading.Verdicts, v => Assert.True(v.PassesThrough(1), v.CaseId));
        Assert.All(late, v => Assert.False(v.Checks.Single(c => c.Check == "late_dead_lettered").Passed));
        Assert.All(grading.Verdicts.Except(late), v => Assert.True(v.PassesThrough(2), v.CaseId));
    }

    [SandboxFact]
    public async Task Resilience_ASeenListInTheState_FailsOnlyStateBounded_OnEveryCase()
    {
        var code = Break("    batch = _Batch(state)\n", "    batch = _Batch(state)\n    seen = state.setdefault(\"seen\", [])\n    seen.extend(d.get(\"id\") for d in deliveries if isinstance(d, dict))\n");

        var grading = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, code, "intermediate", 5);

        Assert.Equal(["state_bounded"], Failed(grading));
        Assert.All(grading.Verdicts, v => Assert.Contains("state['seen'] holds ", v.Checks.Single(c => c.Check == "state_bounded").Message));
    }

    [SandboxFact]
    public async Task Resilience_NoCommitRetry_FailsCommitRetried_OnTheCasesWhoseCommitFails()
    {
        var code = Break("MAX_COMMIT_ATTEMPTS = 3", "MAX_COMMIT_ATTEMPTS = 1");

        var grading = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, code, "expert", 6);

        Assert.Equal(["commit_retried"], Failed(grading));
        var failing = grading.Verdicts.Where(v => !v.PassesThrough(3)).ToList();
        Assert.NotEmpty(failing);
        Assert.All(failing, v => Assert.Contains("gave up after 1 commit attempt(s)", v.Checks.Single(c => c.Check == "commit_retried").Message));
        Assert.All(failing, v => Assert.Contains(((ConsumerCases)grading.Cases).Generated.Single(c => c.Id == v.CaseId).Faults, f => f.Kind == "consumer_commit_failure"));
    }

    [SandboxFact]
    public async Task Resilience_TelemetryThatReportsNothingBuffered_FailsTelemetryTruthful_WhereEventsWait()
    {
        var code = Break("buffered=sum(len(c[\"buffer\"]) for c in batch.cursors.values())", "buffered=0");

        var grading = await GauntletTestKit.GradeAsync(ConsumerPiece.Instance, code, "expert", 7);

        Assert.Equal(["telemetry_truthful"], Failed(grading));
        Assert.Contains(grading.Verdicts, v => v.Checks.Single(c => c.Check == "telemetry_truthful").Message?.Contains("telemetry says buffered=0, but ", StringComparison.Ordinal) == true);
    }
}

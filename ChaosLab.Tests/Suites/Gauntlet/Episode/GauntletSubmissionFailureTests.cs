using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Tests.Core.Sandbox;
using static ChaosLab.Tests.Suites.Gauntlet.Episode.GauntletEpisodeKit;

namespace ChaosLab.Tests.Suites.Gauntlet.Episode;

/// <summary>
/// Submissions that crash, hang, flood, escape or kill the harness: each episode ends graded 0
/// with a message that says what happened, and the suite goes on serving the next episode.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class GauntletSubmissionFailureTests
{
    [SandboxFact]
    public Task Submit_CallsExitTheProcess_CrashedCalls() =>
        AssertGradedZeroThenServedAsync("import os\ndef double(values, state):\n    os._exit(3)\n", "the process exited with status 3");

    [SandboxFact]
    public Task Submit_Hangs_TimedOutCalls() =>
        AssertGradedZeroThenServedAsync("def double(values, state):\n    while True:\n        pass\n", "the call did not return within 1.0 s");

    [SandboxFact]
    public Task Submit_Raises_TheExceptionNamed() =>
        AssertGradedZeroThenServedAsync("def double(values, state):\n    raise RuntimeError('down')\n", "raised RuntimeError: down");

    [SandboxFact]
    public Task Submit_PrintsMegabytes_OnlyItsOwnChecksFail() =>
        AssertGradedZeroThenServedAsync("def double(values, state):\n    print('x' * 5_000_000)\n    return {'values': []}\n", "tier 1: values are not every number doubled");

    [SandboxFact]
    public Task Submit_KillsTheHarness_TheRunEndsWithTheReason() =>
        AssertGradedZeroThenServedAsync("import os, signal\ndef double(values, state):\n    os.kill(os.getppid(), signal.SIGKILL)\n", "the harness ended");

    [SandboxFact]
    public Task Submit_TriesToEscape_NothingGetsOut() =>
        AssertGradedZeroThenServedAsync(EscapeCode, "call 0 raised");

    private static string EscapeCode => ((ChaosLab.Core.Suites.Gauntlet.Agents.OneShotExploit)GauntletEpisodeKit.Suite.ExploitAgents.Single(a => a.Name == "exploit-escape").Create())
        .NextAction(new System.Text.Json.Nodes.JsonObject { ["task_id"] = "tiny", ["entry_point"] = "double" })["arguments"]!["code"]!.GetValue<string>();

    private static async Task AssertGradedZeroThenServedAsync(string code, string expected)
    {
        var (session, _) = Start(Scenario("warmup"), 21);
        using var _s = session;

        var final = await StepAsync(session, Code(GauntletTools.SubmitCode, code));
        var (next, _) = Start(Scenario("warmup"), 22);
        using var _n = next;
        var served = await StepAsync(next, Code(GauntletTools.SubmitCode, TinyPiece.Hardened));

        Assert.True(final.Done);
        Assert.Equal((0.0, "failed"), (final.Reward, final.Grade!.Outcome));
        var key = final.Grade.AnswerKey!;
        var message = key["failure"]?.GetValue<string>() ?? key["tiers"]![0]!["first_failure"]!.GetValue<string>();
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal(1.0, served.Reward);
    }
}

using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Tests.Core.Sandbox;
using static ChaosLab.Tests.Suites.Gauntlet.Episode.GauntletEpisodeKit;

namespace ChaosLab.Tests.Suites.Gauntlet.Episode;

/// <summary>A gauntlet episode step by step, every tool really run in the sandbox.</summary>
[Collection(SandboxTestGroup.Name)]
public sealed class GauntletSessionTests
{
    [SandboxFact]
    public void Reset_FirstObservation_NamesTheFunctionTheToolsAndTheGradedTiers()
    {
        var (session, observation) = Start(Scenario("beginner"), 1);
        using var _ = session;

        Assert.Equal(("reset", "tiny", "beginner", 14), (observation["kind"]!.GetValue<string>(), observation["task_id"]!.GetValue<string>(), observation["tier"]!.GetValue<string>(), observation["max_steps"]!.GetValue<int>()));
        Assert.Equal("double", observation["entry_point"]!.GetValue<string>());
        Assert.Equal([GauntletTools.ReadSource, GauntletTools.ReadRequirements, GauntletTools.RunPython, GauntletTools.RunExamples, GauntletTools.SubmitCode],
            observation["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([true, true, false], observation["requirement_tiers"]!.AsArray().Select(t => t!["graded"]!.GetValue<bool>()));
        Assert.Contains("submit_code", observation["instructions"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task ReadTools_ServeTheOriginalTheRuntimeAndTheRequirements()
    {
        var (session, _) = Start(Scenario(), 2);
        using var _s = session;

        var source = (await StepAsync(session, Call(GauntletTools.ReadSource))).Observation["result"]!;
        var requirements = (await StepAsync(session, Call(GauntletTools.ReadRequirements))).Observation["result"]!;

        Assert.Equal(TinyPiece.Original, source["source"]!.GetValue<string>());
        Assert.Equal("double(payload, state)", source["signature"]!.GetValue<string>());
        Assert.Contains("virtual clock", source["runtime"]!["clock"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(TinyPiece.Instance.Requirements, requirements["requirements"]!.GetValue<string>());
    }

    [SandboxFact]
    public async Task RunPython_MathAndStatisticsImported_OutputAndTracebackOfTheAgentsFileOnly()
    {
        var (session, _) = Start(Scenario(), 3);
        using var _s = session;

        var ok = await StepAsync(session, Code(GauntletTools.RunPython, "print(math.sqrt(16), statistics.mean([1, 2, 3]))"));
        var raised = await StepAsync(session, Code(GauntletTools.RunPython, "x = 1\nraise ValueError('boom')\n"));

        var run = ok.Observation["result"]!["sandbox_run"]!;
        Assert.Equal(("run_python", "completed", 0, "4.0 2\n"), (run["label"]!.GetValue<string>(), run["outcome"]!.GetValue<string>(), run["exit_code"]!.GetValue<int>(), run["stdout"]!.GetValue<string>()));
        var failed = raised.Observation["result"]!["sandbox_run"]!;
        Assert.Equal("failed", failed["outcome"]!.GetValue<string>());
        var stderr = failed["stderr"]!.GetValue<string>();
        Assert.Contains("File \"snippet.py\", line 2", stderr, StringComparison.Ordinal);
        Assert.Contains("ValueError: boom", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("main.py", stderr, StringComparison.Ordinal);
        Assert.Equal(0, raised.Reward);
    }

    [SandboxFact]
    public async Task RunPython_MegabytesOfOutput_CappedWithAnHonestNote()
    {
        var (session, _) = Start(Scenario(), 4);
        using var _s = session;

        var flood = await StepAsync(session, Code(GauntletTools.RunPython, "print('x' * 20000)"));

        var run = flood.Observation["result"]!["sandbox_run"]!;
        Assert.True(run["truncated"]!.GetValue<bool>());
        Assert.EndsWith("[... 11809 more bytes not shown]", run["stdout"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ok", flood.Observation["status"]!.GetValue<string>());
    }

    [SandboxFact]
    public async Task RunExamples_GradesThePublicDraw_WithVerdictsAndTheCodeChangeSinceTheLastRun()
    {
        var (session, _) = Start(Scenario(), 5);
        using var _s = session;

        var first = (await StepAsync(session, Code(GauntletTools.RunExamples, TinyPiece.Original))).Observation["result"]!;
        var second = await StepAsync(session, Code(GauntletTools.RunExamples, TinyPiece.Hardened));

        Assert.Equal(0, first["score"]!.GetValue<double>());
        var verdicts = first["tier_verdicts"]!;
        Assert.Equal("public examples", verdicts["scope"]!.GetValue<string>());
        Assert.Equal(["p1", "p2", "p3", "p4"], verdicts["cases"]!.AsArray().Select(c => c!["case"]!.GetValue<string>()));
        Assert.Contains("TypeError", verdicts["tiers"]![0]!["first_failure"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(first["code_change"]!["previous"]);
        Assert.Equal("examples", first["sandbox_run"]!["label"]!.GetValue<string>());

        var result = second.Observation["result"]!;
        Assert.Equal(1.0, result["score"]!.GetValue<double>());
        Assert.Equal(TinyPiece.Original, result["code_change"]!["previous"]!.GetValue<string>());
        Assert.Equal(TinyPiece.Original, result["code_change"]!["original"]!.GetValue<string>());
        Assert.All(second.Record.Faults, f => Assert.StartsWith("case:p", f.Target, StringComparison.Ordinal));
        Assert.Equal(0, second.Reward);
    }

    [SandboxFact]
    public async Task SubmitCode_Hardened_GradedOnTheHiddenDrawWithOneCriterionPerTier()
    {
        var (session, _) = Start(Scenario(), 6);
        using var _s = session;

        await StepAsync(session, Code(GauntletTools.RunExamples, TinyPiece.Tier1));
        var final = await StepAsync(session, Code(GauntletTools.SubmitCode, TinyPiece.Hardened));

        Assert.True(final.Done);
        Assert.Equal((1.0, "hardened"), (final.Reward, final.Observation["outcome"]!.GetValue<string>()));
        Assert.True(final.Grade!.Success);
        Assert.Equal(["tier_1_data_integrity", "tier_2_statistical_stability", "tier_3_resilience"], final.Grade.Criteria.Select(c => c.Name));
        Assert.All(final.Grade.Criteria, c => Assert.Equal(("every check on every case", "12/12 cases", "passed"), (c.Expected, c.Observed, c.Verdict)));
        Assert.Equal(1.0, final.Grade.Criteria.Sum(c => c.Weight), 6);
        var clean = JsonNode.Parse(final.Record.CleanResult!)!;
        Assert.Equal("hidden cases", clean["tier_verdicts"]!["scope"]!.GetValue<string>());
        Assert.Equal(12, clean["tier_verdicts"]!["cases"]!.AsArray().Count);
        Assert.Equal(TinyPiece.Tier1, clean["code_change"]!["previous"]!.GetValue<string>());
        Assert.Equal("grading", clean["sandbox_run"]!["label"]!.GetValue<string>());
        Assert.Equal(24, final.Record.Faults.Count);
        Assert.All(final.Record.Faults, f => Assert.StartsWith("case:h", f.Target, StringComparison.Ordinal));
        Assert.Equal(TinyPiece.Hardened, final.Record.Submission);
        Assert.Equal(12, final.Grade.AnswerKey!["hidden_cases"]!.AsArray().Count);
    }

    [SandboxFact]
    public async Task SubmitCode_Tier1Only_PartialCreditAndTheFirstFailureInTheKey()
    {
        var (session, _) = Start(Scenario("beginner"), 7);
        using var _s = session;

        var final = await StepAsync(session, Code(GauntletTools.SubmitCode, TinyPiece.Tier1));

        // Warmup weights: tier 1 0.4, tier 2 0.3, normalized over the two graded tiers.
        Assert.Equal((Math.Round(0.4 / 0.7, 4), "partial"), (final.Reward, final.Grade!.Outcome));
        Assert.Equal(["passed", "failed", "ungraded"], final.Grade.Criteria.Select(c => c.Verdict));
        Assert.Equal("tier 2: total is not the running sum", final.Grade.AnswerKey!["tiers"]![1]!["first_failure"]!.GetValue<string>());
    }

    [SandboxFact]
    public async Task SubmitAnswer_TextOrCodeObject_IsTheSubmission_AnythingElseARefusedStep()
    {
        var (text, _) = Start(Scenario("warmup"), 8);
        var (code, _) = Start(Scenario("warmup"), 8);
        using var _t = text;
        using var _c = code;

        var refused = await StepAsync(code, Submit(new JsonObject { ["source"] = TinyPiece.Tier1 }));
        var byText = await StepAsync(text, Submit(TinyPiece.Tier1));
        var byObject = await StepAsync(code, Submit(new JsonObject { ["code"] = TinyPiece.Tier1 }));

        Assert.False(refused.Done);
        Assert.Equal(-0.01, refused.Reward);
        Assert.Contains("the answer is the code", refused.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((1.0, true), (byText.Reward, byText.Done));
        Assert.Equal((1.0, true), (byObject.Reward, byObject.Done));
    }

    [SandboxFact]
    public async Task SubmitCode_DoesNotCompile_Graded0WithTheCompilersMessage()
    {
        var (session, _) = Start(Scenario(), 9);
        using var _s = session;

        var final = await StepAsync(session, Code(GauntletTools.SubmitCode, "def double(values, state)\n    return {}\n"));

        Assert.True(final.Done);
        Assert.Equal((0.0, "failed"), (final.Reward, final.Grade!.Outcome));
        var failure = final.Grade.AnswerKey!["failure"]!.GetValue<string>();
        Assert.StartsWith("the code does not compile: SyntaxError", failure, StringComparison.Ordinal);
        Assert.Contains("line 1", failure, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Code_Over64KB_RefusedAsASpentStep()
    {
        var (session, _) = Start(Scenario(), 10);
        using var _s = session;
        var huge = "# " + new string('x', GauntletTools.MaxCodeBytes) + "\n" + TinyPiece.Hardened;

        var examples = await StepAsync(session, Code(GauntletTools.RunExamples, huge));
        var submit = await StepAsync(session, Code(GauntletTools.SubmitCode, huge));

        Assert.All(new[] { examples, submit }, s =>
        {
            Assert.False(s.Done);
            Assert.Equal(("error", -0.01), (s.Observation["status"]!.GetValue<string>(), s.Reward));
            Assert.Contains("tools take at most 65536 bytes", s.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Equal(2, submit.Observation["step"]!.GetValue<int>());
    }

    [SandboxFact]
    public async Task BadToolInput_RefusedWithItsReason()
    {
        var (session, _) = Start(Scenario(), 11);
        using var _s = session;

        var missing = await StepAsync(session, Call(GauntletTools.RunPython));
        var wrongType = await StepAsync(session, Call(GauntletTools.SubmitCode, new JsonObject { ["code"] = 42 }));
        var unknown = await StepAsync(session, Call("exec_shell", new JsonObject { ["cmd"] = "ls" }));
        var extra = await StepAsync(session, Call(GauntletTools.ReadSource, new JsonObject { ["path"] = "/etc/passwd" }));

        Assert.All(new[] { missing, wrongType, unknown, extra }, s => Assert.Equal(("error", -0.01, false), (s.Observation["status"]!.GetValue<string>(), s.Reward, s.Done)));
        Assert.Contains("code", missing.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("unknown tool 'exec_shell'", unknown.Observation["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task StepLimit_WithoutASubmission_Scores0AndTheKeyDescribesTheHiddenCases()
    {
        var (session, observation) = Start(Scenario("warmup"), 12);
        using var _s = session;
        var limit = observation["max_steps"]!.GetValue<int>();

        ChaosLab.Core.Environment.StepResult last = null!;
        for (var i = 0; i < limit; i++)
        {
            last = await StepAsync(session, Call(GauntletTools.ReadSource));
        }

        Assert.True(last.Done);
        Assert.Equal(("step_limit", 0.0), (last.Grade!.Outcome, last.Grade.Score));
        Assert.Equal(8, last.Grade.AnswerKey!["hidden_cases"]!.AsArray().Count);
        Assert.StartsWith("h1: ", last.Grade.AnswerKey["hidden_cases"]![0]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

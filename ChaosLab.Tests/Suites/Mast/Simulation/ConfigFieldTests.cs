using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;
using static ChaosLab.Tests.Suites.Mast.Simulation.Configs;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>
/// Every config field is executed: each changes the pass rate of some instance in the direction
/// the design says (it fixes its fault), and the settings cost what the design says when they
/// address nothing (latency, side failures).
/// </summary>
public sealed class ConfigFieldTests
{
    private const double Broken = 0.3;
    private const double Fixed = 0.85;

    private static readonly MastInstance Healthy = MastInstanceBuilder.ResearchReport().Build();
    private static readonly MastInstance HealthyExecution = MastInstanceBuilder.PlanExecute().Build();

    [Fact]
    public void RetryMax_RetriesTransient503s()
    {
        var instance = FaultCase.Of("backend_error").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { RetryMax = 3 });
    }

    [Fact]
    public void RetryDelayMs_RetriesPassOnlyOnceTheirDelaysReachRetryAfter()
    {
        var instance = FaultCase.Of("backend_rate_limit").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default with { RetryMax = 2 }, ResilienceConfig.Default with { RetryMax = 2, RetryDelayMs = 1_000 });
    }

    [Fact]
    public void RetryDelayMs_WaitsOnTheSimulatedClockAndDoubles()
    {
        var instance = FaultCase.Of("backend_rate_limit").Instance;
        var config = ResilienceConfig.Default with { RetryMax = 3, RetryDelayMs = 300 };

        var refusals = PipelineSimulator.RunMany(instance, config, "delays", 50)
            .SelectMany(r => r.Logs.Where(l => l.Text.Contains("429", StringComparison.Ordinal)).Select(l => l.AtMs).ToList() is var times && times.Count >= 3 ? [times] : Array.Empty<List<int>>())
            .First();

        // 429s land 50 ms after their attempt; the attempts are 300 ms, then 600 ms apart.
        Assert.Equal(300 + 50, refusals[1] - refusals[0]);
        Assert.Equal(600 + 50, refusals[2] - refusals[1]);
    }

    [Fact]
    public void TimeoutMs_CutsHangingCallsSoRetriesCanHelp()
    {
        var instance = FaultCase.Of("backend_slow").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default with { RetryMax = 3 }, ResilienceConfig.Default with { RetryMax = 3, TimeoutMs = 5_000 });
    }

    [Fact]
    public void TimeoutMs_BelowTheUsualLatency_FailsHealthyCalls()
    {
        var rate = PassRate.Of(Healthy, ResilienceConfig.Default with { TimeoutMs = 1_000 });

        Assert.True(rate <= Broken, $"{rate:P0} passed");
    }

    [Fact]
    public void Fallback_SummarizeKeepsCachedNotes_SkipLosesItems_AbortFails()
    {
        var instance = FaultCase.Of("backend_outage").Instance;
        var withBreaker = ResilienceConfig.Default with { CircuitBreakerThreshold = 0.5, TimeoutMs = 5_000 };

        var summarize = PassRate.Of(instance, withBreaker with { Fallback = "summarize" });
        var skip = PipelineSimulator.RunMany(instance, withBreaker with { Fallback = "skip" }, "test", 200);
        var abort = PassRate.Of(instance, withBreaker);

        Assert.True(summarize >= Fixed, $"summarize {summarize:P0}");
        Assert.True(abort <= Broken, $"abort {abort:P0}");
        Assert.True(skip.Count(r => r.Passed) <= Broken * 200);
        Assert.Contains(skip, r => r.FailureReason?.StartsWith("output covers", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Fallback_RetryLastMakesOneMoreAttempt()
    {
        var instance = FaultCase.Of("backend_error").Instance;

        var abort = PassRate.Of(instance, ResilienceConfig.Default);
        var retryLast = PassRate.Of(instance, ResilienceConfig.Default with { Fallback = "retry_last" });

        Assert.True(retryLast >= abort + 0.3, $"retry_last {retryLast:P0}, abort {abort:P0}");
    }

    [Fact]
    public void CircuitBreakerThreshold_StopsWaitingOnADeadBackend()
    {
        var instance = FaultCase.Of("backend_outage").Instance;
        var noBreaker = ResilienceConfig.Default with { Fallback = "summarize", TimeoutMs = 5_000 };

        AssertBrokenThenFixed(instance, noBreaker, noBreaker with { CircuitBreakerThreshold = 0.5 });
        var open = PipelineSimulator.RunMany(instance, noBreaker with { CircuitBreakerThreshold = 0.5 }, "test", 20);
        Assert.Contains(open, r => r.Logs.Any(l => l.Text == "researcher-1: circuit open: call not attempted"));
    }

    [Fact]
    public void ContextStrategy_SummarizeOrChunkKeepTheInstructions()
    {
        var instance = FaultCase.Of("history_loss").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { ContextStrategy = "summarize" });
        var chunk = PassRate.Of(instance, ResilienceConfig.Default with { ContextStrategy = "chunk" });
        Assert.True(chunk >= 0.6, $"chunk {chunk:P0}");
    }

    [Fact]
    public void ContextStrategy_Chunk_MultipliesTheAgentsLatency()
    {
        var instance = FaultCase.Of("history_loss").Instance;

        var summarize = MeanLatency(instance, ResilienceConfig.Default with { ContextStrategy = "summarize" });
        var chunk = MeanLatency(instance, ResilienceConfig.Default with { ContextStrategy = "chunk" });

        Assert.True(chunk > summarize + 2_000, $"chunk {chunk} ms, summarize {summarize} ms");
    }

    [Fact]
    public void ContextSummarizationThreshold_AboveTheWindow_StillTruncates()
    {
        var instance = FaultCase.Of("history_loss").Instance;
        var summarize = ResilienceConfig.Default with { ContextStrategy = "summarize" };

        AssertBrokenThenFixed(instance, summarize with { ContextSummarizationThreshold = 16_384 }, summarize with { ContextSummarizationThreshold = 8_192 });
    }

    [Fact]
    public void ContextSummarizationThreshold_FarTooLow_CostsSummariesOnAHealthyPipeline()
    {
        var config = ResilienceConfig.Default with { ContextStrategy = "summarize", ContextSummarizationThreshold = 256 };

        Assert.True(MeanLatency(Healthy, config) > MeanLatency(Healthy, ResilienceConfig.Default) + 3_000);
        Assert.True(PassRate.Of(Healthy, config) <= 0.7);
    }

    [Fact]
    public void MinReviewDepth_EnoughPassesCoverEverySection()
    {
        var instance = FaultCase.Of("incomplete_verification").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { MinReviewDepth = 5 });
        var partial = PassRate.Of(instance, ResilienceConfig.Default with { MinReviewDepth = 3 });
        Assert.InRange(partial, PassRate.Of(instance, ResilienceConfig.Default) + 0.1, Fixed - 0.1);
    }

    [Fact]
    public void MinReviewDepth_EveryPassCostsLatency()
    {
        var one = PipelineSimulator.Run(Healthy, ResilienceConfig.Default, new TrialKey("cost", 0));
        var three = PipelineSimulator.Run(Healthy, ResilienceConfig.Default with { MinReviewDepth = 3 }, new TrialKey("cost", 0));

        // Two more passes: two more reviewer calls (at least 300 ms each) and 400 ms each.
        Assert.True(three.LatencyMs >= one.LatencyMs + (2 * (300 + 400)), $"{three.LatencyMs} vs {one.LatencyMs}");
        Assert.Equal(one.Turns + 2, three.Turns);
    }

    [Fact]
    public void ConsistencyCheck_CatchesTheContradiction()
    {
        var instance = FaultCase.Of("incorrect_verification").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { ConsistencyCheck = true });
    }

    [Fact]
    public void ConsistencyCheck_CostsLatencyAndRaisesFalseAlarms()
    {
        var plain = PipelineSimulator.RunMany(Healthy, ResilienceConfig.Default, "cost", 200);
        var checkedRuns = PipelineSimulator.RunMany(Healthy, ResilienceConfig.Default with { ConsistencyCheck = true }, "cost", 200);

        var falseAlarms = checkedRuns.Count(r => r.Messages.Any(m => m.Type == "review" && m.Body.Contains("false alarm", StringComparison.Ordinal)));
        Assert.InRange(falseAlarms, 3, 25);
        Assert.All(plain.Zip(checkedRuns), p => Assert.True(p.Second.LatencyMs >= p.First.LatencyMs + 250));
    }

    [Fact]
    public void FormatTranslator_LetsTheJsonConsumerReadYaml()
    {
        var instance = FaultCase.Of("format_mismatch").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { FormatTranslator = true });
    }

    [Fact]
    public void FormatTranslator_Costs15MsPerHandOff()
    {
        var plain = PipelineSimulator.Run(HealthyExecution, ResilienceConfig.Default, new TrialKey("cost", 0));
        var translated = PipelineSimulator.Run(HealthyExecution, ResilienceConfig.Default with { FormatTranslator = true }, new TrialKey("cost", 0));

        var handOffs = translated.Messages.Count(m => m.From == "translator");
        Assert.Equal(2, handOffs);
        Assert.Equal(plain.LatencyMs + (15 * handOffs), translated.LatencyMs);
    }

    [Fact]
    public void RepetitionGuard_BlocksTheLoop()
    {
        var instance = FaultCase.Of("step_repetition").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { RepetitionGuard = 2 });
        var blocked = PipelineSimulator.RunMany(instance, ResilienceConfig.Default with { RepetitionGuard = 2 }, "test", 20);
        Assert.Contains(blocked, r => r.Messages.Any(m => m.From == "guard" && m.Status == "blocked" && m.Fault == "step_repetition"));
    }

    [Fact]
    public void RepetitionGuard_OfOne_BreaksALegitimateRepeat()
    {
        var instance = MastInstanceBuilder.PlanExecute().Fault("step_repetition", "executor-1", 0.9, ("legit_repeats", "1"))
            .Build(ResilienceConfig.Default with { RepetitionGuard = 2 });

        AssertBrokenThenFixed(instance, ResilienceConfig.Default with { RepetitionGuard = 1 }, ResilienceConfig.Default with { RepetitionGuard = 2 });
        var strict = PipelineSimulator.RunMany(instance, ResilienceConfig.Default with { RepetitionGuard = 1 }, "test", 50);
        Assert.Contains(strict, r => r.FailureReason?.StartsWith("output covers", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void RepetitionGuard_Costs2MsPerMessage()
    {
        var plain = PipelineSimulator.Run(Healthy, ResilienceConfig.Default, new TrialKey("cost", 0));
        var guarded = PipelineSimulator.Run(Healthy, ResilienceConfig.Default with { RepetitionGuard = 3 }, new TrialKey("cost", 0));

        Assert.Equal(plain.Messages.Count, guarded.Messages.Count);
        Assert.Equal(plain.LatencyMs + (2 * guarded.Messages.Count), guarded.LatencyMs);
    }

    [Fact]
    public void ActionValidation_ReasksTheMismatchedAction()
    {
        var instance = FaultCase.Of("reasoning_action_mismatch").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default with { ActionValidation = true });
    }

    [Fact]
    public void ActionValidation_Costs40MsPerExecutorAction()
    {
        var plain = PipelineSimulator.Run(HealthyExecution, ResilienceConfig.Default, new TrialKey("cost", 0));
        var validated = PipelineSimulator.Run(HealthyExecution, ResilienceConfig.Default with { ActionValidation = true }, new TrialKey("cost", 0));

        var actions = validated.Messages.Count(m => m.Type == "action");
        Assert.Equal(HealthyExecution.Task.Items, actions);
        Assert.Equal(plain.LatencyMs + (40 * actions), validated.LatencyMs);
    }

    [Fact]
    public void RoleSpec_RoleAndCapabilities_StopTheDrift()
    {
        var instance = FaultCase.Of("role_drift").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher)));
        var wrongRole = PassRate.Of(instance, ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Writer)));
        var missingCapability = PassRate.Of(instance, ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher) with { Capabilities = ["search"] }));
        Assert.True(wrongRole <= Broken && missingCapability <= Broken, $"wrong role {wrongRole:P0}, missing capability {missingCapability:P0}");
    }

    [Fact]
    public void RoleSpec_OverBroadCapabilities_StillDriftAtHalfTheRate()
    {
        var instance = FaultCase.Of("role_drift").Instance;
        var broad = Spec("researcher-1", AgentRoles.Researcher) with { Capabilities = [.. AgentRoles.AllCapabilities] };

        var rate = PassRate.Of(instance, ResilienceConfig.Default.WithSpec(broad));

        Assert.InRange(rate, 0.4, 0.7);
    }

    [Fact]
    public void RoleSpec_Constraints_MustNameTheViolatedConstraint()
    {
        var instance = FaultCase.Of("task_spec_violation").Instance;

        AssertBrokenThenFixed(instance,
            ResilienceConfig.Default.WithSpec(Spec("writer-1", AgentRoles.Writer, constraints: ["cite_sources"])),
            ResilienceConfig.Default.WithSpec(Spec("writer-1", AgentRoles.Writer, constraints: ["iso_dates"])));
    }

    [Fact]
    public void RoleSpec_CostsLatencyByItsLength()
    {
        var spec = Spec("researcher-1", AgentRoles.Researcher, constraints: ["cite_sources", "iso_dates", "metric_units", "no_speculation"]);
        var key = new TrialKey("cost", 0);

        var plain = PipelineSimulator.Run(Healthy, ResilienceConfig.Default, key);
        var specified = PipelineSimulator.Run(Healthy, ResilienceConfig.Default.WithSpec(spec), key);

        // The researcher makes one call per item, each reading the spec.
        Assert.Equal(plain.LatencyMs + (Healthy.Task.Items * (spec.PromptLength / 10)), specified.LatencyMs);
    }

    [Fact]
    public void RoleSpec_OutputFormatJson_FixesTheMismatch()
    {
        var instance = FaultCase.Of("format_mismatch").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default.WithSpec(Spec("planner-1", AgentRoles.Planner, outputFormat: "json")));
    }

    [Fact]
    public void RoleSpec_OutputFormatYaml_BreaksAJsonConsumer()
    {
        var rate = PassRate.Of(HealthyExecution, ResilienceConfig.Default.WithSpec(Spec("planner-1", AgentRoles.Planner, outputFormat: "yaml")));

        Assert.Equal(0, rate);
    }

    [Fact]
    public void RoleSpec_OutputFormatText_IsUnreadableToAJsonConsumer()
    {
        var run = PipelineSimulator.Run(HealthyExecution, ResilienceConfig.Default.WithSpec(Spec("planner-1", AgentRoles.Planner, outputFormat: "text")), new TrialKey("test", 0));

        Assert.Equal("executor-1 failed: input unreadable", run.FailureReason);
        Assert.Contains(run.Messages, m => m.From == "planner-1" && m.Format == "text" && m.Status == "error");
    }

    [Fact]
    public void RoleSpec_StopCondition_ItemsCompleteOrEnoughTurns_StopsTheAgent()
    {
        var instance = FaultCase.Of("no_stop_condition").Instance;

        AssertBrokenThenFixed(instance, ResilienceConfig.Default, ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher, stop: "items_complete")));
        var enough = PassRate.Of(instance, ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher, stop: "max_turns:N", maxTurns: 5)));
        var tooFew = PipelineSimulator.RunMany(instance, ResilienceConfig.Default.WithSpec(Spec("researcher-1", AgentRoles.Researcher, stop: "max_turns:N", maxTurns: 3)), "test", 50);
        Assert.True(enough >= Fixed, $"max_turns:5 {enough:P0}");
        Assert.All(tooFew, r => Assert.Equal("output covers 3 of 5 items", r.FailureReason));
    }

    [Fact]
    public void RoleSpec_StopCondition_Verified_WaitsForTheVerifier()
    {
        var instance = FaultCase.Of("premature_termination").Instance;

        AssertBrokenThenFixed(instance,
            ResilienceConfig.Default.WithSpec(Spec("writer-1", AgentRoles.Writer, stop: "approved")),
            ResilienceConfig.Default.WithSpec(Spec("writer-1", AgentRoles.Writer, stop: "verified")));
    }

    private static void AssertBrokenThenFixed(MastInstance instance, ResilienceConfig before, ResilienceConfig after)
    {
        var broken = PassRate.Of(instance, before);
        var repaired = PassRate.Of(instance, after);

        Assert.True(broken <= Broken, $"before the change {broken:P0} passed");
        Assert.True(repaired >= Fixed, $"after the change only {repaired:P0} passed");
    }

    private static double MeanLatency(MastInstance instance, ResilienceConfig config) =>
        PipelineSimulator.RunMany(instance, config, "cost", 100).Average(r => r.LatencyMs);
}

using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Tests.Suites.Mast.Scenarios;

public sealed class MastFixesTests
{
    private static readonly PipelineAgent[] Agents =
    [
        new("planner-2", "planner", "text", "yaml", 4096, "p"),
        new("researcher-5", "researcher", "json", "json", 6144, "r"),
        new("executor-3", "executor", "json", "json", 8192, "e"),
        new("writer-1", "writer", "json", "text", 5120, "w"),
        new("reviewer-7", "reviewer", "text", "text", 16384, "v"),
        new("verifier-4", "verifier", "text", "text", 16384, "f"),
    ];

    private static MastInstance Instance(params InjectedFault[] faults) => new(
        "test", 1, "specification", "expert", 1, "data_analysis", Agents,
        new TaskSpec("Goal", 5, ["cite_sources", "iso_dates"], 0), new PipelineLimits(10_000, 30), faults);

    private static InjectedFault Fault(string kind, string agent, double rate = 0.8, params (string Key, string Value)[] parameters) =>
        new(kind, agent, rate, parameters.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void ReferenceFix_SpecFaults_OneSpecPerAgentWithItsRoleCapabilitiesAndWhatTheFaultNeeds()
    {
        var fix = MastFixes.ReferenceFix(Instance(
            Fault("task_spec_violation", "writer-1", parameters: ("constraint", "iso_dates")),
            Fault("premature_termination", "writer-1"),
            Fault("no_stop_condition", "researcher-5"),
            Fault("role_drift", "planner-2")));

        Assert.Equal(["planner-2", "researcher-5", "writer-1"], fix.RoleSpecs.Keys.Order());
        var writer = fix.RoleSpecs["writer-1"];
        Assert.Equal(("writer", "verified"), (writer.Role, writer.StopCondition));
        Assert.Equal(["draft", "revise"], writer.Capabilities);
        Assert.Contains("iso_dates", writer.Constraints);
        Assert.Equal("items_complete", fix.RoleSpecs["researcher-5"].StopCondition);
        Assert.Equal(["plan", "decompose"], fix.RoleSpecs["planner-2"].Capabilities);
        Assert.Empty(fix.RoleSpecs["planner-2"].Constraints);
        AssertSame(ResilienceConfig.Default with { RoleSpecs = fix.RoleSpecs }, fix);
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("1", 2)]
    public void ReferenceFix_StepRepetition_GuardAboveTheLegitimateRepeats(string legit, int guard)
    {
        var fix = MastFixes.ReferenceFix(Instance(Fault("step_repetition", "executor-3", parameters: ("legit_repeats", legit))));

        AssertSame(ResilienceConfig.Default with { RepetitionGuard = guard }, fix);
    }

    [Fact]
    public void ReferenceFix_SettingFaults_TheSmallestValueThatAddressesEach()
    {
        var fix = MastFixes.ReferenceFix(Instance(
            Fault("history_loss", "researcher-5", parameters: [("history_tokens", "9000"), ("constraint", "cite_sources")]),
            Fault("format_mismatch", "planner-2"),
            Fault("reasoning_action_mismatch", "executor-3"),
            Fault("incomplete_verification", "reviewer-7", parameters: [("sections", "5"), ("coverage", "2")]),
            Fault("incorrect_verification", "reviewer-7")));

        AssertSame(ResilienceConfig.Default with
        {
            ContextStrategy = "summarize",
            ContextSummarizationThreshold = 6144,
            FormatTranslator = true,
            ActionValidation = true,
            MinReviewDepth = 3,
            ConsistencyCheck = true,
        }, fix);
    }

    [Fact]
    public void ReferenceFix_BackendFaults_RetriesTimeoutBreakerAndFallback()
    {
        var limited = MastFixes.ReferenceFix(Instance(Fault("backend_rate_limit", "writer-1", 0.2, ("retry_after_ms", "1750"))));
        var slow = MastFixes.ReferenceFix(Instance(Fault("backend_slow", "executor-3", 0.1)));
        var outage = MastFixes.ReferenceFix(Instance(Fault("backend_outage", "researcher-5", 0.7, ("outage_from_call", "2"))));
        var flaky = MastFixes.ReferenceFix(Instance(Fault("backend_error", "executor-3", 0.3)));

        Assert.Equal((1800, 60_000), (limited.RetryDelayMs, limited.TimeoutMs));
        Assert.InRange(limited.RetryMax, 2, 4);
        Assert.Equal(5_000, slow.TimeoutMs);
        Assert.InRange(slow.RetryMax, 1, 3);
        Assert.Equal((0.5, "summarize", 5_000, 0), (outage.CircuitBreakerThreshold, outage.Fallback, outage.TimeoutMs, outage.RetryMax));
        Assert.True(flaky.RetryMax > slow.RetryMax);
    }

    [Fact]
    public void ReferenceFix_EveryBuiltInOverSeeds_ChangesOnlyWhatItsFaultsNeed()
    {
        foreach (var scenario in MastScenarioCatalog.All)
        {
            foreach (var seed in new long[] { 1, 2, 3, 4, 5 })
            {
                var instance = MastInstances.Draw(scenario, seed);
                var fix = MastFixes.ReferenceFix(instance);

                Assert.True(MastFixes.UnneededSettings(instance, fix).Count == 0, $"{scenario.Id} {seed}: {string.Join(", ", MastFixes.UnneededSettings(instance, fix))}");
                Assert.NotEqual(ResilienceConfigReader.ToJson(ResilienceConfig.Default).ToJsonString(), ResilienceConfigReader.ToJson(fix).ToJsonString());
                Assert.Equal([], ResilienceConfigReader.Read(System.Text.Json.JsonDocument.Parse(ResilienceConfigReader.ToJson(fix).ToJsonString()).RootElement, instance.Agents).Errors);
            }
        }
    }

    [Fact]
    public void UnneededSettings_FieldsAndSpecsThatAddressNoFault_Listed()
    {
        var instance = Instance(Fault("role_drift", "writer-1"), Fault("backend_error", "executor-3", 0.2));
        var spec = new RoleSpec("x", "writer", ["draft", "revise"], [], null, null, null);
        var config = ResilienceConfig.Default with
        {
            RetryMax = 3,
            ConsistencyCheck = true,
            MinReviewDepth = 4,
            RoleSpecs = new Dictionary<string, RoleSpec> { ["writer-1"] = spec, ["executor-3"] = spec with { Role = "executor" } },
        };

        Assert.Equal(["min_review_depth", "consistency_check", "role_specs/executor-3"], MastFixes.UnneededSettings(instance, config));
    }

    [Fact]
    public void Addresses_EveryFaultKind_NamesConfigFields()
    {
        var fields = ResilienceConfigReader.Fields.Select(f => f.Name).Append("role_specs").ToHashSet();

        Assert.All(MastFaultKinds.All, k => Assert.NotEmpty(MastFixes.Addresses(k.Name)));
        Assert.All(MastFaultKinds.All.SelectMany(k => MastFixes.Addresses(k.Name)), f => Assert.Contains(f, fields));
        Assert.Equal(["repetition_guard"], MastFixes.Addresses("step_repetition"));
    }

    [Fact]
    public void Calibrate_FakeRuns_P95TimesFactorRoundedUpAndTurnsWithSlack()
    {
        var instance = Instance(Fault("incorrect_verification", "reviewer-7"));
        var seen = new List<(ResilienceConfig Config, TrialKey Key, PipelineLimits Limits)>();
        TrialRun Run(MastInstance i, ResilienceConfig config, TrialKey key)
        {
            seen.Add((config, key, i.Limits));
            return new TrialRun(key, true, 1000 + (key.Index * 100), 10 + (key.Index % 3), null, [], [], []);
        }

        var calibrated = MastCalibration.Calibrate(instance, 1.3, Run);

        Assert.Equal(Enumerable.Range(0, 16).Select(i => new TrialKey("calibration", i)), seen.Select(s => s.Key));
        Assert.All(seen, s => AssertSame(MastFixes.ReferenceFix(instance), s.Config));
        Assert.All(seen, s => Assert.True(s.Limits.SloMs >= 3_600_000 && s.Limits.MaxTurns >= 200));
        Assert.Equal(new PipelineLimits(3300, 18), calibrated.Limits);
    }

    private static void AssertSame(ResilienceConfig expected, ResilienceConfig actual) =>
        Assert.Equal(ResilienceConfigReader.ToJson(expected).ToJsonString(), ResilienceConfigReader.ToJson(actual).ToJsonString());
}

using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>Every fault kind breaks most runs of the deployed pipeline, and its fix, executed, repairs most.</summary>
public sealed class FaultKindTests
{
    [Fact]
    public void Cases_CoverEveryFaultKind() =>
        Assert.Equal(MastFaultKinds.All.Select(k => k.Name).Order(), FaultCase.All.Select(c => c.Kind).Order());

    [Theory]
    [MemberData(nameof(FaultCase.Kinds), MemberType = typeof(FaultCase))]
    public void Fault_WithDefaults_FailsMostRuns(string kind)
    {
        var rate = PassRate.Of(FaultCase.Of(kind).Instance, ResilienceConfig.Default);

        Assert.True(rate <= 0.3, $"{kind}: {rate:P0} of runs passed with the defaults");
    }

    [Theory]
    [MemberData(nameof(FaultCase.Kinds), MemberType = typeof(FaultCase))]
    public void Fault_WithItsFix_PassesMostRuns(string kind)
    {
        var fault = FaultCase.Of(kind);

        var rate = PassRate.Of(fault.Instance, fault.Fix);

        Assert.True(rate >= 0.85, $"{kind}: only {rate:P0} of runs passed with the fix");
    }

    [Theory]
    [MemberData(nameof(FaultCase.Kinds), MemberType = typeof(FaultCase))]
    public void FailingRun_ShowsTheSymptomInTheOperatorsWords(string kind)
    {
        var fault = FaultCase.Of(kind);

        var failing = PipelineSimulator.RunMany(fault.Instance, ResilienceConfig.Default, "symptom", 20).First(r => !r.Passed);

        var seen = failing.Logs.Select(l => l.Text).Concat(failing.Messages.Select(m => m.Body)).Append(failing.FailureReason!);
        Assert.Contains(seen, text => text.Contains(fault.Symptom, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FaultCase.Kinds), MemberType = typeof(FaultCase))]
    public void FailingRun_RecordsTheFiredDecision(string kind)
    {
        var fault = FaultCase.Of(kind);

        var failing = PipelineSimulator.RunMany(fault.Instance, ResilienceConfig.Default, "symptom", 20).First(r => !r.Passed);

        var decision = failing.Decisions.First(d => d.Kind == kind && d.Fired);
        Assert.Equal("symptom", decision.Trigger);
        Assert.Equal(failing.Key.Index, decision.Inputs.Occurrence);
        Assert.True(decision.Inputs.Roll < decision.Inputs.Threshold);
    }

    [Theory]
    [InlineData("task_spec_violation")]
    [InlineData("role_drift")]
    [InlineData("step_repetition")]
    [InlineData("format_mismatch")]
    [InlineData("reasoning_action_mismatch")]
    [InlineData("premature_termination")]
    [InlineData("incomplete_verification")]
    [InlineData("incorrect_verification")]
    public void MessagesAFaultShaped_CarryItsLabel(string kind)
    {
        var fault = FaultCase.Of(kind);

        var failing = PipelineSimulator.RunMany(fault.Instance, ResilienceConfig.Default, "symptom", 20).First(r => !r.Passed);

        Assert.Contains(failing.Messages, m => m.Fault == kind);
        Assert.DoesNotContain(failing.Messages, m => m.Fault is not null && m.Fault != kind);
    }

    [Theory]
    [MemberData(nameof(FaultCase.Kinds), MemberType = typeof(FaultCase))]
    public void PerRunFault_IsDecidedOncePerRun(string kind)
    {
        if (kind is "backend_error" or "backend_rate_limit" or "backend_slow")
        {
            return; // Decided per call attempt instead.
        }

        var fault = FaultCase.Of(kind);

        var runs = PipelineSimulator.RunMany(fault.Instance, fault.Fix, "once", 30);

        Assert.All(runs, r => Assert.Single(r.Decisions, d => d.Kind == kind));
    }

    [Fact]
    public void HealthyRun_CarriesNoFaultLabel()
    {
        var instance = MastInstanceBuilder.ResearchReport().Build();

        var runs = PipelineSimulator.RunMany(instance, ResilienceConfig.Default, "healthy", 20);

        Assert.All(runs, r => Assert.All(r.Messages, m => Assert.Null(m.Fault)));
    }
}

using ChaosLab.Web.Model.Results;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class StepResultViewsTests
{
    [Fact]
    public void Read_CleanVisible_ConventionsFoundNestedAndFaultsShown()
    {
        var views = StepResultViews.Read(TrialResult(), Delivered(TrialResult()));

        var flow = Assert.Single(views.Flows);
        Assert.True(flow.Truthful);
        Assert.Equal(["format_mismatch"], flow.FaultKinds);
        Assert.Equal(10, Assert.Single(views.Trials).Runs);
        Assert.Null(views.ConfigChange);
        Assert.False(views.IsEmpty);
    }

    [Fact]
    public void Read_OnlyDelivered_OperatorViewWithoutFaults()
    {
        // A running episode: the store discloses no clean result. Even a delivered copy that
        // (wrongly) carried a fault label shows none.
        var views = StepResultViews.Read(null, TrialResult());

        var flow = Assert.Single(views.Flows);
        Assert.False(flow.Truthful);
        Assert.Empty(flow.FaultKinds);
    }

    [Fact]
    public void Read_CleanNotJson_FallsBackToTheDeliveredResult()
    {
        var views = StepResultViews.Read("plain text from a tool", TrialResult());

        Assert.False(Assert.Single(views.Flows).Truthful);
    }

    [Fact]
    public void Read_FinalResult_ConfigChangeAndSummary()
    {
        var views = StepResultViews.Read(FinalResult(), null);

        Assert.NotNull(views.ConfigChange);
        Assert.Single(views.Trials);
        Assert.Empty(views.Flows);
    }

    [Fact]
    public void Read_GradedSubmission_VerdictsCodeChangeAndRunFoundNested()
    {
        var views = StepResultViews.Read(GradedSubmission(), null);

        Assert.Equal("hidden cases", Assert.Single(views.Verdicts).Scope);
        Assert.NotNull(views.CodeChange!.AgainstPrevious);
        Assert.Equal("grading", Assert.Single(views.SandboxRuns).Label);
        Assert.Empty(views.Flows);
        Assert.False(views.IsEmpty);
    }

    [Fact]
    public void Read_OnlyASandboxRunDelivered_DrawnFromTheDeliveredResult()
    {
        var views = StepResultViews.Read(null, $$$"""{"sandbox_run": {{{SandboxRunJson}}}}""");

        Assert.Equal("failed", Assert.Single(views.SandboxRuns).Outcome);
        Assert.Null(views.CodeChange);
        Assert.Empty(views.Verdicts);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("clean 1", "faulty 1")]
    [InlineData("{\"message_trace\": {\"messages\": [", "{\"message_trace\": \"cut")]
    [InlineData("""{"message_trace": {"messages": []}, "trial_summary": {"runs": 1}, "config_change": {"before": 1}}""", null)]
    [InlineData("""[{"message_trace": {}}]""", null)]
    [InlineData("""{"code_change": {"after": "x = 1"}, "sandbox_run": {"stdout": "hi"}, "tier_verdicts": {"score": 1}}""", null)]
    public void Read_NoUsableConvention_None(string? clean, string? delivered) =>
        Assert.Same(StepResultViews.None, StepResultViews.Read(clean, delivered));

    [Fact]
    public void Read_TraceDeeperThanTheSearch_Ignored()
    {
        var deep = """{"a": {"b": {"c": {"d": {"e": {"message_trace": """ + FailingTrace + "}}}}}}";

        Assert.Empty(StepResultViews.Read(deep, null).Flows);
    }

    [Fact]
    public void Read_TraceShapedObjectUnderAnotherName_DrawnToo()
    {
        var result = """{"trial": 1, "failing_run": """ + FailingTrace + """, "incidents": [{"run_id": "incident#0", "messages": 3}]}""";

        var flow = Assert.Single(StepResultViews.Read(result, null).Flows);

        Assert.Equal("trial-1#3", flow.RunId);
    }
}

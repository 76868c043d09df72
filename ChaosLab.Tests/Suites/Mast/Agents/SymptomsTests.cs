using ChaosLab.Core.Suites.Mast.Agents;

namespace ChaosLab.Tests.Suites.Mast.Agents;

/// <summary>The careful agent reads the symptom lines the design publishes, by their words alone.</summary>
public sealed class SymptomsTests
{
    [Theory]
    [InlineData("writer-2: role prompt names no task constraints", "task_spec_violation", "writer-2")]
    [InlineData("executor-3: expected action from researcher-2, got draft", "role_drift", "researcher-2")]
    [InlineData("executor-4: repeated step 'fetch_rows' (3th time)", "step_repetition", "executor-4")]
    [InlineData("researcher-1: history 9120 tokens exceeds window 6144; dropped 2976 oldest tokens", "history_loss", "researcher-1")]
    [InlineData("writer-3: work done, no stop condition: continuing", "no_stop_condition", "writer-3")]
    [InlineData("executor-2: cannot parse input from planner-1 as json: 'p' is an invalid start of a value.", "format_mismatch", "planner-1")]
    [InlineData("coordinator-5: declaring the work done", "premature_termination", "coordinator-5")]
    [InlineData("researcher-2: model call failed: 503 Service Unavailable", "backend_error", "researcher-2")]
    [InlineData("writer-1: model call failed: 429 Too Many Requests (Retry-After: 1800 ms)", "backend_rate_limit", "writer-1")]
    [InlineData("writer-1: model call timed out after 60000 ms", "backend_slow", "writer-1")]
    [InlineData("researcher-2: model call timed out after 60000 ms (upstream unreachable)", "backend_outage", "researcher-2")]
    [InlineData("researcher-2: circuit open: call not attempted", "backend_outage", "researcher-2")]
    public void Read_PublishedSymptomLine_KindAndAgent(string line, string kind, string agent)
    {
        var symptom = Assert.Single(Symptoms.Read(line));

        Assert.Equal((kind, agent), (symptom.Kind, symptom.Agent));
    }

    [Fact]
    public void Read_LineWithoutPrefix_AttributedToTheLogsAuthor()
    {
        var symptom = Assert.Single(Symptoms.Read("work done, no stop condition: continuing", "executor-2"));

        Assert.Equal("executor-2", symptom.Agent);
    }

    [Fact]
    public void Read_Values_WindowRetryAfterAndReviewCoverage()
    {
        var history = Assert.Single(Symptoms.Read("writer-2: history 9120 tokens exceeds window 6144; dropped 2976 oldest tokens"));
        var limit = Assert.Single(Symptoms.Read("writer-1: model call failed: 429 Too Many Requests (Retry-After: 1800 ms)"));
        var review = Assert.Single(Symptoms.Read("reviewed sections 1-2 of 5; approve"));

        Assert.Equal((6144, 9120), (history.Value("window"), history.Value("history")));
        Assert.Equal(1800, limit.Value("retry_after_ms"));
        Assert.Equal(("incomplete_verification", 2, 5), (review.Kind, review.Value("coverage"), review.Value("sections")));
    }

    [Theory]
    [InlineData("output violates cite_sources: 2 claims without a source", Symptoms.FailureClass.ConstraintViolated)]
    [InlineData("output covers 2 of 5 items", Symptoms.FailureClass.ItemsMissing)]
    [InlineData("run stopped at the turn limit (40 turns)", Symptoms.FailureClass.TurnLimit)]
    [InlineData("executor-2 failed: input unreadable", Symptoms.FailureClass.InputUnreadable)]
    [InlineData("step 3: effect 'delete_rows' does not match the plan's 'archive_rows'", Symptoms.FailureClass.EffectMismatch)]
    [InlineData("final output was not verified", Symptoms.FailureClass.NotVerified)]
    [InlineData("defect in section 4 reached the output: a wrong total", Symptoms.FailureClass.DefectPassed)]
    [InlineData("output contradicts itself: section 1 says 12, section 3 says 15", Symptoms.FailureClass.Contradiction)]
    [InlineData("run exceeded its latency objective", Symptoms.FailureClass.Other)]
    [InlineData(null, Symptoms.FailureClass.Other)]
    public void Classify_FailureReason_TheQuestionItRaises(string? reason, Symptoms.FailureClass expected)
    {
        Assert.Equal(expected, Symptoms.Classify(reason));
    }

    [Fact]
    public void Read_OrdinaryLine_NoSymptom()
    {
        Assert.Empty(Symptoms.Read("writer-2: model call ok in 840 ms"));
        Assert.Empty(Symptoms.Read("reviewed sections 1-5 of 5; approve"));
        Assert.Equal("executor-2", Symptoms.UnreadableConsumer("executor-2 failed: input unreadable"));
    }
}

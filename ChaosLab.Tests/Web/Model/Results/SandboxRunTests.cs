using System.Text.Json.Nodes;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class SandboxRunTests
{
    [Fact]
    public void Read_FullRun_OutputAndOutcome()
    {
        var run = SandboxRun.Read(JsonNode.Parse(StepResultFixtures.SandboxRunJson))!;

        Assert.Equal(("grading", "failed", (int?)1, false), (run.Label, run.Outcome, run.ExitCode, run.Truncated));
        Assert.Equal("batch 1: 12 readings\nbatch 2: 0 readings\n", run.Stdout);
        Assert.EndsWith("ZeroDivisionError: float division by zero\n", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(RunTone.Error, run.Tone);
    }

    [Theory]
    [InlineData("completed", RunTone.Success, "completed")]
    [InlineData("Completed ", RunTone.Success, "completed")]
    [InlineData("refused", RunTone.Warning, "refused")]
    [InlineData("failed", RunTone.Error, "failed")]
    [InlineData("timed_out", RunTone.Error, "timed out")]
    [InlineData("output_limit_exceeded", RunTone.Error, "output limit exceeded")]
    [InlineData("memory_limit_exceeded", RunTone.Error, "memory limit exceeded")]
    [InlineData("crashed_oddly", RunTone.Neutral, "crashed oddly")]
    public void Read_Outcome_ToneAndWords(string outcome, RunTone tone, string text)
    {
        var run = SandboxRun.Read(new JsonObject { ["outcome"] = outcome })!;

        Assert.Equal((tone, text), (run.Tone, run.OutcomeText));
    }

    [Fact]
    public void Read_FieldsOfTheWrongType_LeftOutNotFatal()
    {
        var run = SandboxRun.Read(JsonNode.Parse("""{"label": 4, "outcome": "timed_out", "exit_code": "137", "stdout": ["x"], "stderr": null, "truncated": "yes"}"""))!;

        Assert.Equal(((string?)null, (int?)null, "", "", false), (run.Label, run.ExitCode, run.Stdout, run.Stderr, run.Truncated));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"outcome": ""}""")]
    [InlineData("""{"outcome": "  "}""")]
    [InlineData("""{"outcome": 0, "stdout": "hi"}""")]
    public void Read_NoOutcome_Null(string json) => Assert.Null(SandboxRun.Read(JsonNode.Parse(json)));
}

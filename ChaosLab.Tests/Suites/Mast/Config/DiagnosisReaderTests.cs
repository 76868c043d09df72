using System.Text.Json;
using ChaosLab.Core.Suites.Mast.Config;

namespace ChaosLab.Tests.Suites.Mast.Config;

public sealed class DiagnosisReaderTests
{
    private static DiagnosisReading Read(string json) => DiagnosisReader.Read(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Read_Object_CanonicalCodeComponentAndExplanation()
    {
        var reading = Read("""{"failure_mode":"fm1.3","component":"executor-1","explanation":"it repeats its step"}""");

        Assert.Empty(reading.Errors);
        Assert.Equal(new Diagnosis("FM-1.3", "executor-1", "it repeats its step"), Assert.Single(reading.Diagnoses));
    }

    [Fact]
    public void Read_ArrayOfUpToThree_ReadsEach()
    {
        var reading = Read("""[{"failure_mode":"FM-2.5","component":"planner-3"},{"failure_mode":"FM-2.6"}]""");

        Assert.Empty(reading.Errors);
        Assert.Equal([new Diagnosis("FM-2.5", "planner-3", null), new Diagnosis("FM-2.6", null, null)], reading.Diagnoses);
    }

    [Fact]
    public void Read_ArrayOfMoreThanThree_NoneCounts()
    {
        var reading = Read("""[{"failure_mode":"FM-1.1"},{"failure_mode":"FM-1.2"},{"failure_mode":"FM-1.3"},{"failure_mode":"FM-1.4"}]""");

        Assert.Empty(reading.Diagnoses);
        Assert.Equal(["diagnosis: at most 3 diagnoses (given 4); none is counted"], reading.Errors);
    }

    [Theory]
    [InlineData("\"FM-1.3\"", "FM-1.3", null)]
    [InlineData("\"FM-3.2 reviewer-4\"", "FM-3.2", "reviewer-4")]
    [InlineData("\"  fm-2.5 planner-1 \"", "FM-2.5", "planner-1")]
    public void Read_ExactCodeOrCodeAndAgent_Counts(string json, string code, string? agent)
    {
        var reading = Read(json);

        Assert.Empty(reading.Errors);
        Assert.Equal(new Diagnosis(code, agent, null), Assert.Single(reading.Diagnoses));
    }

    [Theory]
    [InlineData("\"The role definition is too vague and needs explicit capabilities\"")]
    [InlineData("\"FM-1.1 FM-1.2 FM-1.3 FM-1.4 FM-1.5 FM-2.5 FM-2.6 FM-3.1 FM-3.2 FM-3.3 spec role format verification\"")]
    [InlineData("\"FM-1.3 because executor-1 repeats\"")]
    [InlineData("\"step repetition executor-1\"")]
    [InlineData("\"FM-9.9\"")]
    public void Read_FreeOrKeywordStuffedText_EarnsNothing(string json)
    {
        var reading = Read(json);

        Assert.Empty(reading.Diagnoses);
        Assert.StartsWith("diagnosis: free text earns nothing", Assert.Single(reading.Errors));
    }

    [Theory]
    [InlineData("""{"failure_mode":"FM-1.1, FM-1.3"}""", "diagnosis/failure_mode: one code from the published list")]
    [InlineData("""{"failure_mode":"specification"}""", "diagnosis/failure_mode: one code from the published list")]
    [InlineData("""{"component":"executor-1"}""", "diagnosis/failure_mode: required")]
    [InlineData("""{"failure_mode":"FM-1.3","component":"the executor and the planner"}""", "diagnosis/component: one agent id")]
    [InlineData("""{"failure_mode":"FM-1.3","keywords":["role","format"]}""", "diagnosis/keywords: unknown field")]
    [InlineData("""[{"failure_mode":"FM-1.3"},"FM-1.4"]""", "diagnosis/1: a diagnosis is an object")]
    [InlineData("42", "diagnosis: a diagnosis is")]
    public void Read_Malformed_PointsAtTheProblem(string json, string error)
    {
        var reading = Read(json);

        Assert.StartsWith(error, Assert.Single(reading.Errors));
    }

    [Fact]
    public void Read_KeywordStuffedExplanation_EarnsNoMoreThanTheCodeItNames()
    {
        var stuffed = Read("""{"failure_mode":"FM-1.2","explanation":"FM-1.1 FM-1.3 FM-1.4 FM-1.5 FM-2.5 FM-2.6 FM-3.1 FM-3.2 FM-3.3 executor-1 planner-2"}""");

        var diagnosis = Assert.Single(stuffed.Diagnoses);
        Assert.Equal(("FM-1.2", null), (diagnosis.FailureMode, diagnosis.Component));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    public void Read_Nothing_NoDiagnosisNoError(string json)
    {
        var reading = Read(json);

        Assert.Empty(reading.Diagnoses);
        Assert.Empty(reading.Errors);
    }
}

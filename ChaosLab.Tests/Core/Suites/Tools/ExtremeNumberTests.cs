using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>
/// Numbers no double can hold (1e400, a 400-digit integer) and arithmetic that overflows must come
/// back as a normal tool result or a clear tool error: never an exception that loses the step.
/// </summary>
public sealed class ExtremeNumberTests
{
    private static readonly string FourHundredDigits = "9" + new string('0', 399);

    private static ToolsSession Clean()
    {
        var session = (ToolsSession)Suite.CreateSession();
        Assert.True(session.Start(ScenarioCatalog.Find("W01")! with { BadPaths = [], FaultProbability = 0 }, 11, "numbers").Succeeded);
        return session;
    }

    /// <summary>Runs one call whose arguments are raw JSON text (so literals like 1e400 reach the server unparsed).</summary>
    private static StepResult CallRaw(ToolsSession session, string tool, string argumentsJson)
    {
        var result = TryStep(session, Json($$"""{"type":"call_tool","tool_name":"{{tool}}","arguments":{{argumentsJson}}}"""));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        var step = result.Value!;
        Assert.Single(session.State["history"]!.AsArray());
        step.Observation.ToJsonString();
        return step;
    }

    private static string Status(StepResult step) => step.Observation["status"]!.ToString();

    private static string Message(StepResult step) => step.Observation["result"]!["message"]?.ToString() ?? "";

    [Theory]
    [InlineData("sum")]
    [InlineData("mean")]
    [InlineData("median")]
    [InlineData("max")]
    [InlineData("sort_ascending")]
    [InlineData("ratio")]
    [InlineData("percent_change")]
    [InlineData("round")]
    public void DataTransform_OutOfRangeLiteral_ClearToolError(string operation)
    {
        var step = CallRaw(Clean(), "data_transform", $$"""{"data":[1e400, 2],"operation":"{{operation}}"}""");
        Assert.Equal("error", Status(step));
        Assert.Contains("out of range", Message(step), StringComparison.Ordinal);
    }

    [Fact]
    public void DataTransform_FourHundredDigitInteger_ClearToolError()
    {
        var step = CallRaw(Clean(), "data_transform", $$"""{"data":[{{FourHundredDigits}}],"operation":"sum"}""");
        Assert.Equal("error", Status(step));
        Assert.Contains("out of range", Message(step), StringComparison.Ordinal);
    }

    [Fact]
    public void DataTransform_FourHundredDigitsInText_ClearToolError()
    {
        var step = CallRaw(Clean(), "data_transform", $$"""{"data":"1, {{FourHundredDigits}}","operation":"sum"}""");
        Assert.Equal("error", Status(step));
        Assert.Contains("out of range", Message(step), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sum", "1.7e308, 1.7e308")]
    [InlineData("mean", "1.7e308, 1.7e308")]
    [InlineData("difference", "1.7e308, -1.7e308")]
    [InlineData("percent_change", "1e-300, 1e300")]
    public void DataTransform_ResultOverflows_ClearToolError(string operation, string data)
    {
        var step = CallRaw(Clean(), "data_transform", $$"""{"data":[{{data}}],"operation":"{{operation}}"}""");
        Assert.Equal("error", Status(step));
        Assert.Contains("out of range", Message(step), StringComparison.Ordinal);
    }

    [Fact]
    public void DataTransform_RatioOfHugeFinite_FiniteResult()
    {
        var step = CallRaw(Clean(), "data_transform", """{"data":[1.7e308, 1.7e308],"operation":"ratio"}""");
        Assert.Equal("ok", Status(step));
        Assert.Equal(1.0, step.Observation["result"]!["result"]!.GetValue<double>());
    }

    [Fact]
    public void CheckConsistency_FourHundredDigitFigures_IgnoredNotThrown()
    {
        var step = CallRaw(Clean(), "check_consistency", $$"""{"source1":"revenue {{FourHundredDigits}} and 12 million","source2":"{{FourHundredDigits}} and 12,000,000"}""");
        Assert.Equal("ok", Status(step));
        Assert.Equal(1, step.Observation["result"]!["numbers_in_source1"]!.GetValue<int>());
        Assert.Equal(1, step.Observation["result"]!["numbers_in_source2"]!.GetValue<int>());
        Assert.True(step.Observation["result"]!["consistent"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("1e400", "2")]
    [InlineData("\"about 1e400\"", "2")]
    [InlineData("-1.7e308", "1.7e308")]
    public void CompareValues_OutOfRangeOrOverflow_NoException(string value1, string value2)
    {
        var step = CallRaw(Clean(), "compare_values", $$"""{"value1":{{value1}},"value2":{{value2}},"tolerance":0.02}""");
        Assert.True(Status(step) == "ok" || Message(step).Contains("out of range", StringComparison.Ordinal), step.Observation.ToJsonString());
    }

    [Fact]
    public void CompareValues_FourHundredDigitInteger_ClearToolError()
    {
        var step = CallRaw(Clean(), "compare_values", $$"""{"value1":{{FourHundredDigits}},"value2":1,"tolerance":0.02}""");
        Assert.Equal("error", Status(step));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("1e308 * 10")]
    [InlineData("sqrt(-1)")]
    public void Calculator_OutOfRange_MathError(string expression)
    {
        var step = CallRaw(Clean(), "calculator", new JsonObject { ["expression"] = expression }.ToJsonString());
        Assert.Equal("error", Status(step));
    }

    [Fact]
    public void Calculator_FourHundredDigitInteger_MathError()
    {
        var step = CallRaw(Clean(), "calculator", new JsonObject { ["expression"] = FourHundredDigits + " - 1" }.ToJsonString());
        Assert.Equal("error", Status(step));
    }

    [Fact]
    public void ValidateData_HugeNumbersInDataAndSchema_Evaluated()
    {
        var arguments = """{"data":{"a":1e400,"b":NNN},"schema":{"type":"object","properties":{"a":{"type":"integer","maximum":1e500},"b":{"type":"number","minimum":-1e999}}}}""".Replace("NNN", FourHundredDigits, StringComparison.Ordinal);
        var step = CallRaw(Clean(), "validate_data", arguments);
        Assert.Equal("ok", Status(step));
    }

    [Fact]
    public void JsonQuery_HugeNumber_ReturnedAsWritten()
    {
        var step = CallRaw(Clean(), "json_query", """{"data":{"a":1e400},"query":"$.a"}""");
        Assert.Equal("ok", Status(step));
        Assert.Equal("1e400", step.Observation["result"]!["result"]!.ToJsonString());
    }

    [Fact]
    public void UpdateTicket_HugeNumberField_Stored()
    {
        var step = CallRaw(Clean(), "update_ticket", """{"ticket_id":"TCK-1001","update":{"fields":{"x":1e400}}}""");
        Assert.Equal("ok", Status(step));
    }

    [Fact]
    public void FiniteResults_NonFiniteNumberInBody_ToolError()
    {
        var output = FiniteResults.Check(ToolOutput.Ok(new JsonObject { ["rows"] = new JsonArray(new JsonObject { ["x"] = double.NaN }) }));
        Assert.True(output.IsError);
        Assert.Equal("out_of_range", output.Body["error"]!.ToString());
        output.Body.ToJsonString();
    }

    [Fact]
    public void FiniteResults_FiniteBody_Unchanged()
    {
        var body = new JsonObject { ["x"] = 1.5, ["y"] = JsonNode.Parse("1e400") };
        Assert.Same(body, FiniteResults.Check(ToolOutput.Ok(body)).Body);
    }
}

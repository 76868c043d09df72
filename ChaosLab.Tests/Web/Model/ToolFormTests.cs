using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class ToolFormTests
{
    private static ToolForm FormOf(string tool) =>
        ToolForm.FromSchema(new ToolsSuite().Tools.Single(t => t.Name == tool).InputSchema);

    [Fact]
    public void FromSchema_EveryToolsSuiteTool_GetsAFieldPerParameter()
    {
        foreach (var tool in new ToolsSuite().Tools)
        {
            var form = ToolForm.FromSchema(tool.InputSchema);
            Assert.Equal(((JsonObject)tool.InputSchema["properties"]!).Count, form.Fields.Count);
        }
    }

    [Theory]
    [InlineData("web_search", "query", ToolFieldKind.Text)]
    [InlineData("python_execute", "code", ToolFieldKind.TextArea)]
    [InlineData("api_call", "method", ToolFieldKind.Choice)]
    [InlineData("compare_values", "tolerance", ToolFieldKind.Number)]
    [InlineData("compare_values", "value1", ToolFieldKind.NumberOrText)]
    [InlineData("database_insert", "data", ToolFieldKind.Json)]
    [InlineData("json_query", "data", ToolFieldKind.Json)]
    public void FromSchema_ToolsSuiteParameters_PickTheMatchingControl(string tool, string parameter, ToolFieldKind kind)
    {
        Assert.Equal(kind, FormOf(tool).Fields.Single(f => f.Name == parameter).Kind);
    }

    [Fact]
    public void FromSchema_HandWrittenSchema_MapsTypesRequiredDescriptionsAndDefaults()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "flag":{"type":"boolean","default":true},
              "count":{"type":"integer","minimum":1,"maximum":5,"description":"how many"},
              "mode":{"type":"string","enum":["a","b"]},
              "name":{"type":"string"}},
             "required":["name","count"]}
            """)!.AsObject();

        var form = ToolForm.FromSchema(schema);

        Assert.Equal(["count", "name", "flag", "mode"], form.Fields.Select(f => f.Name));
        var count = form.Fields[0];
        Assert.Equal((ToolFieldKind.WholeNumber, true, 1.0, 5.0), (count.Kind, count.Required, count.Minimum!.Value, count.Maximum!.Value));
        Assert.Contains("how many", count.Help, StringComparison.Ordinal);
        Assert.True(form.Fields.Single(f => f.Name == "flag").Checked);
        Assert.Equal(["a", "b"], form.Fields.Single(f => f.Name == "mode").Choices);
    }

    [Fact]
    public void TryBuildArguments_ValidValues_ConvertsToTypedJson()
    {
        var form = FormOf("compare_values");
        Set(form, "value1", "3.14");
        Set(form, "value2", "about 3 billion");
        Set(form, "tolerance", "0.02");

        Assert.True(form.TryBuildArguments(out var arguments));

        Assert.Equal("""{"value1":3.14,"value2":"about 3 billion","tolerance":0.02}""", arguments.ToJsonString());
    }

    [Fact]
    public void TryBuildArguments_JsonObjectField_ParsesTheObject()
    {
        var form = FormOf("database_insert");
        Set(form, "table", "agent_notes");
        Set(form, "data", """{ "key": "k", "value": 2 }""");

        Assert.True(form.TryBuildArguments(out var arguments));

        Assert.Equal("""{"table":"agent_notes","data":{"key":"k","value":2}}""", arguments.ToJsonString());
    }

    [Fact]
    public void TryBuildArguments_InvalidJsonInObjectField_FailsWithInlineMessageAndNoArguments()
    {
        var form = FormOf("database_insert");
        Set(form, "table", "agent_notes");
        Set(form, "data", """{ "key": """);

        Assert.False(form.TryBuildArguments(out var arguments));

        Assert.Empty(arguments);
        Assert.StartsWith("Not valid JSON", form.Fields.Single(f => f.Name == "data").Error, StringComparison.Ordinal);
        Assert.Null(form.Fields.Single(f => f.Name == "table").Error);
    }

    [Fact]
    public void JsonQueryData_BrokenObject_HelpPromisesNoPlainTextAndErrorIsReadable()
    {
        var form = FormOf("json_query");
        var data = form.Fields.Single(f => f.Name == "data");
        Set(form, "data", "{not json");
        Set(form, "query", "$.a");

        Assert.False(form.TryBuildArguments(out _));

        Assert.DoesNotContain("plain text", data.Help, StringComparison.Ordinal);
        Assert.Contains("text starting with { or [ must be valid JSON", data.Help, StringComparison.Ordinal);
        Assert.StartsWith("Not valid JSON: check", data.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", data.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuildArguments_ArrayWhereOnlyObjectAllowed_IsRejected()
    {
        var form = FormOf("update_ticket");
        Set(form, "ticket_id", "TCK-1");
        Set(form, "update", "[1, 2]");

        Assert.False(form.TryBuildArguments(out _));
        Assert.Contains("got a JSON array", form.Fields.Single(f => f.Name == "update").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuildArguments_TextInJsonFieldThatAllowsText_IsSentAsString()
    {
        var form = FormOf("json_query");
        Set(form, "data", "not json at all");
        Set(form, "query", "$.a");

        Assert.True(form.TryBuildArguments(out var arguments));
        Assert.Equal("not json at all", arguments["data"]!.GetValue<string>());
    }

    [Fact]
    public void TryBuildArguments_MissingRequiredAndOutOfRange_ReportsEach()
    {
        var form = FormOf("compare_values");
        Set(form, "value1", "1");
        Set(form, "tolerance", "3");

        Assert.False(form.TryBuildArguments(out _));

        Assert.Equal("Required.", form.Fields.Single(f => f.Name == "value2").Error);
        Assert.StartsWith("Must be between 0 and 1", form.Fields.Single(f => f.Name == "tolerance").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuildArguments_EmptyOptionalFields_AreLeftOut()
    {
        var form = FormOf("hash_verify");
        Set(form, "data", "abc");
        Set(form, "expected_hash", "00");

        Assert.True(form.TryBuildArguments(out var arguments));

        Assert.Equal(["data", "expected_hash"], arguments.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TryBuildArguments_NotANumber_Fails()
    {
        var form = FormOf("compare_values");
        Set(form, "value1", "1");
        Set(form, "value2", "2");
        Set(form, "tolerance", "two percent");

        Assert.False(form.TryBuildArguments(out _));
        Assert.Equal("Enter a number, e.g. 0.02.", form.Fields.Single(f => f.Name == "tolerance").Error);
    }

    private static void Set(ToolForm form, string name, string value) => form.Fields.Single(f => f.Name == name).Value = value;
}

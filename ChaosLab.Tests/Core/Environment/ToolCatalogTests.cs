using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Environment;

/// <summary>The suite-neutral schema check: JsonSchema.Net's failing keywords, told as "arguments.name: what is wrong".</summary>
public sealed class ToolCatalogTests
{
    private static readonly ToolCatalog Catalog = new(
    [
        new ToolDescriptor("search", "Search.", "retrieval", JsonNode.Parse("""
            {"type":"object","additionalProperties":false,"required":["query"],
             "properties":{
               "query":{"type":"string","maxLength":5},
               "limit":{"type":"number","minimum":1,"maximum":50},
               "order":{"type":"string","enum":["asc","desc"]},
               "filter":{"type":["object","array"]},
               "code":{"type":"string","pattern":"^[A-Z]+$"}}}
            """)!.AsObject()),
        new ToolDescriptor("configure", "Configure.", "action", JsonNode.Parse("""
            {"type":"object","additionalProperties":false,"required":["config"],
             "properties":{
               "config":{"type":"object","additionalProperties":false,
                 "properties":{
                   "retry_max":{"type":"integer","minimum":0,"maximum":10},
                   "hosts":{"type":"array","items":{"type":"string"}}}}}}
            """)!.AsObject()),
    ]);

    [Theory]
    [InlineData("""{"config":{"retry_max":25}}""", "invalid arguments: arguments.config.retry_max: ")]
    [InlineData("""{"config":{"hosts":["a",7]}}""", "invalid arguments: arguments.config.hosts[1]: ")]
    [InlineData("""{"config":{"retries":1}}""", "invalid arguments: arguments.config")]
    public void Check_BrokenRuleInsideAnArgument_IsRefusedWithItsPath(string arguments, string expectedStart)
    {
        var refusal = Catalog.Check("configure", Parse(arguments));
        Assert.Equal(ToolCallRefusal.InvalidArgumentsReason, refusal?.Reason);
        Assert.StartsWith(expectedStart, refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ValidNestedArguments_NoRefusal()
    {
        Assert.Null(Catalog.Check("configure", Parse("""{"config":{"retry_max":3,"hosts":["a","b"]}}""")));
    }

    [Theory]
    [InlineData("""{"query":"abc"}""")]
    [InlineData("""{"query":"abc","limit":50,"order":"desc","filter":[1]}""")]
    public void Check_ValidArguments_NoRefusal(string arguments)
    {
        Assert.Null(Catalog.Check("search", Parse(arguments)));
    }

    [Theory]
    [InlineData(null, "invalid arguments: arguments.query: required")]
    [InlineData("{}", "invalid arguments: arguments.query: required")]
    [InlineData("""{"query":"abcdef"}""", "invalid arguments: arguments.query: longer than 5 characters")]
    [InlineData("""{"query":"a","limit":51}""", "invalid arguments: arguments.limit: must be at most 50")]
    [InlineData("""{"query":"a","limit":0}""", "invalid arguments: arguments.limit: must be at least 1")]
    [InlineData("""{"query":"a","order":"up"}""", "invalid arguments: arguments.order: must be one of asc, desc")]
    [InlineData("""{"query":true}""", "invalid arguments: arguments.query: expected string, got boolean")]
    [InlineData("""{"query":"a","filter":"x"}""", "invalid arguments: arguments.filter: expected object or array, got string")]
    [InlineData("""{"query":"a","order":7}""", "invalid arguments: arguments.order: expected string, got number")]
    [InlineData("""{"qurey":"a"}""", "invalid arguments: arguments.qurey: unknown argument (valid: query, limit, order, filter, code); arguments.query: required")]
    [InlineData("""{"limit":99,"query":"abcdef"}""", "invalid arguments: arguments.limit: must be at most 50; arguments.query: longer than 5 characters")]
    [InlineData("[1]", "invalid arguments: arguments: must be an object")]
    public void Check_BrokenRule_NamesTheFieldAndTheRule(string? arguments, string expected)
    {
        var refusal = Catalog.Check("search", arguments is null ? null : Parse(arguments));
        Assert.Equal(ToolCallRefusal.InvalidArgumentsReason, refusal?.Reason);
        Assert.Equal(expected, refusal!.Message);
    }

    [Fact]
    public void Check_KeywordWithoutOwnWording_KeepsTheFieldAndJsonSchemaNetsMessage()
    {
        var refusal = Catalog.Check("search", Parse("""{"query":"a","code":"abc"}"""));
        Assert.StartsWith("invalid arguments: arguments.code: ", refusal!.Message, StringComparison.Ordinal);
        Assert.True(refusal.Message.Length > "invalid arguments: arguments.code: ".Length);
    }

    [Fact]
    public void Check_UnknownTool_ListsTheValidOnes()
    {
        var refusal = Catalog.Check("serch", Parse("{}"));
        Assert.Equal(ToolCallRefusal.UnknownTool, refusal?.Reason);
        Assert.Equal("unknown tool 'serch'. Valid tools: search, configure", refusal!.Message);
    }

    [Fact]
    public void ToolsSchemas_CarryEveryRuleTheToolsChecked()
    {
        // The tools suite's schemas alone refuse what its hand-written checks refused.
        Assert.Equal("invalid arguments: arguments.method: must be one of GET, POST, PUT, DELETE",
            ToolRegistry.Catalog.Check(ToolNames.ApiCall, Parse("""{"url":"internal://entity/x","method":"PATCH"}"""))!.Message);
        Assert.Equal("invalid arguments: arguments.tolerance: must be at most 1",
            ToolRegistry.Catalog.Check(ToolNames.CompareValues, Parse("""{"value1":1,"value2":2,"tolerance":5}"""))!.Message);
        Assert.Equal("invalid arguments: arguments.tolerance: must be at least 0",
            ToolRegistry.Catalog.Check(ToolNames.CompareValues, Parse("""{"value1":1,"value2":2,"tolerance":-1}"""))!.Message);
        Assert.Equal("invalid arguments: arguments.query: longer than 300 characters",
            ToolRegistry.Catalog.Check(ToolNames.WebSearch, Parse($$"""{"query":"{{new string('a', 301)}}"}"""))!.Message);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}

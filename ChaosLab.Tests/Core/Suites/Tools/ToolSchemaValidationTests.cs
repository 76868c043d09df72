using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>Every tool's schema is enforced: a missing, mistyped or unknown argument is an error the agent sees and a step it spends.</summary>
public sealed class ToolSchemaValidationTests
{
    public static TheoryData<string> AllTools() => [.. ToolRegistry.Definitions.Select(d => d.Name)];

    [Fact]
    public void Registry_HasThe30ToolsInFiveCategories()
    {
        Assert.Equal(30, ToolRegistry.Definitions.Count);
        Assert.Equal(["action", "computation", "retrieval", "storage", "validation"], ToolRegistry.Definitions.Select(d => d.Category).Distinct().Order());
        Assert.Equal(8, ToolRegistry.Definitions.Count(d => d.Category == "retrieval"));
        Assert.Equal(7, ToolRegistry.Definitions.Count(d => d.Category == "computation"));
    }

    [Theory]
    [MemberData(nameof(AllTools))]
    public void Call_MissingRequiredArgument_ErrorAndStepSpent(string tool)
    {
        var definition = ToolRegistry.Find(tool)!;
        var required = definition.Parameters.First(p => p.Required);
        var args = ValidArguments(definition);
        args.Remove(required.Name);
        AssertRejected(tool, args, $"arguments.{required.Name}: required");
    }

    [Theory]
    [MemberData(nameof(AllTools))]
    public void Call_WrongType_ErrorAndStepSpent(string tool)
    {
        var definition = ToolRegistry.Find(tool)!;
        var parameter = definition.Parameters.First(p => p.Types != JsonTypes.Any);
        var args = ValidArguments(definition);
        args[parameter.Name] = parameter.Types.HasFlag(JsonTypes.Boolean) ? JsonValue.Create("x") : JsonValue.Create(true);
        AssertRejected(tool, args, $"arguments.{parameter.Name}: expected");
    }

    [Theory]
    [MemberData(nameof(AllTools))]
    public void Call_UnknownArgument_ErrorAndStepSpent(string tool)
    {
        var args = ValidArguments(ToolRegistry.Find(tool)!);
        args["bogus"] = 1;
        AssertRejected(tool, args, "arguments.bogus: unknown argument");
    }

    [Theory]
    [MemberData(nameof(AllTools))]
    public void Call_ValidArguments_NeverAnArgumentError(string tool)
    {
        var (session, _) = Start("W01", 5);
        var result = CallTool(session, tool, ValidArguments(ToolRegistry.Find(tool)!));
        Assert.Null(result.Observation["error"]);
    }

    [Fact]
    public void Call_EnumViolationAndLengthCap_Rejected()
    {
        AssertRejected("api_call", new JsonObject { ["url"] = "internal://entity/x", ["method"] = "PATCH" }, "arguments.method: must be one of");
        AssertRejected("web_search", new JsonObject { ["query"] = new string('a', 301) }, "longer than 300");
        AssertRejected("compare_values", new JsonObject { ["value1"] = 1, ["value2"] = 2, ["tolerance"] = 5 }, "at most 1");
    }

    private static void AssertRejected(string tool, JsonObject args, string expected)
    {
        var (session, _) = Start("W01", 5);
        var result = CallTool(session, tool, args);
        Assert.False(result.Done);
        Assert.Equal("error", result.Observation["status"]!.ToString());
        Assert.Contains(expected, result.Observation["error"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, result.Record.Index);
        Assert.Equal(5, result.Observation["steps_remaining"]!.GetValue<int>());
        Assert.Contains(result.Record.RewardComponents, c => c.Name == "invalid_call");
    }

    /// <summary>Arguments that satisfy the schema.</summary>
    internal static JsonObject ValidArguments(ToolDefinition tool)
    {
        var args = new JsonObject();
        foreach (var p in tool.Parameters.Where(p => p.Required))
        {
            args[p.Name] = p switch
            {
                { Enum: { } values } => values[0],
                { Name: "tolerance" } => 0.02,
                { Name: "update" } => new JsonObject { ["comment"] = "checked" },
                { Name: "data", Types: JsonTypes.Object } => new JsonObject { ["key"] = "k", ["value"] = "v" },
                { Name: "table" } => "agent_notes",
                { Name: "schema" } => new JsonObject { ["type"] = "object" },
                { Name: "time" } => "2026-05-01T00:00:00Z",
                { Name: "ticket_id" } => "TCK-1001",
                { Name: "expression" } => "1+1",
                { Name: "url" } => "https://chaos.local/",
                { Name: "sql" } => "SELECT 1",
                { Name: "path" } => "/data/README.md",
                { Name: "timezone" } => "UTC",
                { Name: "code" } => "print(1)",
                _ when p.Types.HasFlag(JsonTypes.String) => "text 12",
                _ when p.Types.HasFlag(JsonTypes.Number) => 1,
                _ when p.Types.HasFlag(JsonTypes.Array) => new JsonArray(1, 2),
                _ => new JsonObject(),
            };
        }

        return args;
    }
}

using System.Text.Json.Nodes;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Results;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class ConfigChangeTests
{
    [Fact]
    public void Read_BeforeAndAfter_CanonicalTextAndTheChangedSettingsInItsOrder()
    {
        var change = ConfigChange.Read(JsonNode.Parse(StepResultFixtures.ConfigChange))!;

        Assert.Equal(
            [
                new ConfigFieldChange("/diagnosis", null, "\"FM-2.5\""),
                new ConfigFieldChange("/format_translator", "false", "true"),
                new ConfigFieldChange("/retry_max", "0", "2"),
                new ConfigFieldChange("/role_specs/writer-1", null, """{"constraints":["no jargon"],"role":"writer"}"""),
            ],
            change.Changes);
        // Keys sorted: the submitted order (timeout_ms first) does not show as a change.
        Assert.Equal("""
            {
              "format_translator": false,
              "retry_max": 0,
              "role_specs": {},
              "timeout_ms": 30000
            }
            """.ReplaceLineEndings("\n"), change.Before.ReplaceLineEndings("\n"));
        Assert.StartsWith("{\n  \"diagnosis\": \"FM-2.5\",\n  \"format_translator\": true,", change.After.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(change.Lines, l => l.Kind == DiffKind.Same && l.Text.Contains("\"timeout_ms\": 30000", StringComparison.Ordinal));
        Assert.Contains(change.Lines, l => l.Kind == DiffKind.Added && l.Text.Contains("\"retry_max\": 2", StringComparison.Ordinal));
        Assert.Contains(change.Rows, r => r.Old?.Text.Contains("\"retry_max\": 0", StringComparison.Ordinal) == true
            && r.New?.Text.Contains("\"retry_max\": 2", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Read_NestedValueChanged_PathNamesTheLeafAndArraysCountAsOneValue()
    {
        var change = ConfigChange.Read(JsonNode.Parse("""
            {"before": {"role_specs": {"a/b": {"role": "writer", "constraints": ["x"]}}, "gone": 1},
             "after": {"role_specs": {"a/b": {"role": "writer", "constraints": ["x", "y"]}}}}
            """))!;

        Assert.Equal(
            [new ConfigFieldChange("/gone", "1", null), new ConfigFieldChange("/role_specs/a~1b/constraints", """["x"]""", """["x","y"]""")],
            change.Changes);
    }

    [Fact]
    public void Read_SameSettingsSpelledDifferently_NoChange()
    {
        var change = ConfigChange.Read(JsonNode.Parse("""{"before": {"a": 1.0, "b": [1]}, "after": {"b": [1], "a": 1}}"""))!;

        Assert.Empty(change.Changes);
        Assert.All(change.Lines, l => Assert.Equal(DiffKind.Same, l.Kind));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"before": {}}""")]
    [InlineData("""{"before": [], "after": {}}""")]
    [InlineData("""{"before": {}, "after": "retry_max=2"}""")]
    public void Read_NotTwoObjects_Null(string json) => Assert.Null(ConfigChange.Read(JsonNode.Parse(json)));
}

using System.Text.Json.Nodes;
using ChaosLab.Core.Faults;

namespace ChaosLab.Tests.Core.Faults;

public sealed class PayloadFaultsTests
{
    private static readonly PayloadTargets Targets = new(["population"], ["1,234,567"], ["Ann Other", "Bo Person"]);

    private static JsonObject Record() => new() { ["name"] = "Karvenia", ["population"] = 1234567, ["area_km2"] = 1000 };

    [Fact]
    public void DropField_TargetField_SilentlyRemoved()
    {
        var result = PayloadFaults.DropField(Record(), Targets, 0).AsObject();
        Assert.False(result.ContainsKey("population"));
        Assert.True(result.ContainsKey("area_km2"));
    }

    [Fact]
    public void DropField_Prose_SentenceWithValueRemoved()
    {
        var page = new JsonObject { ["content"] = "Karvenia is a country. Population: 1,234,567 (2025 estimate). Area: 1,000 km2." };
        var text = PayloadFaults.DropField(page, Targets, 0)["content"]!.ToString();
        Assert.DoesNotContain("1,234,567", text, StringComparison.Ordinal);
        Assert.Contains("Area", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenameField_TargetField_RenamedValueKept()
    {
        var result = PayloadFaults.RenameField(Record(), Targets, 0).AsObject();
        Assert.False(result.ContainsKey("population"));
        Assert.Equal(1234567, ChaosLab.Core.Environment.JsonNumber.Read(result["population_v2"]!));
    }

    [Fact]
    public void Corrupt_NumberAndProse_PlausiblyWrongSameFormat()
    {
        var result = PayloadFaults.Corrupt(Record(), Targets, 1.2, 0);
        Assert.Equal(1481480, ChaosLab.Core.Environment.JsonNumber.Read(result["population"]!));
        Assert.Equal("1,481,480", PayloadFaults.CorruptText("1,234,567", 1.2, [], 0));
        Assert.Equal("12.34", PayloadFaults.CorruptText("10.28", 1.2, [], 0));
        Assert.Equal("2025-05-24", PayloadFaults.CorruptText("2025-05-14", 1.2, [], 0));
        Assert.Equal("Bo Person", PayloadFaults.CorruptText("Ann Other", 1.2, ["Ann Other", "Bo Person"], 0));
    }

    [Fact]
    public void Duplicate_SingleRecord_TwoMatchesWithDifferentValues()
    {
        var result = PayloadFaults.Duplicate(Record(), Targets, 0.8, 0).AsObject();
        var matches = result["matches"]!.AsArray();
        Assert.Equal(2, matches.Count);
        Assert.NotEqual(ChaosLab.Core.Environment.JsonNumber.Read(matches[0]!["population"]!), ChaosLab.Core.Environment.JsonNumber.Read(matches[1]!["population"]!));
    }

    [Fact]
    public void Duplicate_RowsArray_SecondRowInserted()
    {
        var payload = new JsonObject { ["rows"] = new JsonArray(Record()) };
        var rows = PayloadFaults.Duplicate(payload, Targets, 0.8, 0)["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void Poison_Prose_InstructionAppended()
    {
        var page = new JsonObject { ["content"] = "Karvenia is a country in the north with many people living there." };
        var text = PayloadFaults.Poison(page, 0)["content"]!.ToString();
        Assert.Contains("ignore all previous instructions", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Truncate_Body_CutMidContent()
    {
        var full = Record().ToJsonString();
        var cut = PayloadFaults.Truncate(Record(), 0.5);
        Assert.True(cut.Length < full.Length);
        Assert.StartsWith(cut, full, StringComparison.Ordinal);
    }
}

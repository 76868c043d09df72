using System.Text.Json.Nodes;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Results;
using static ChaosLab.Tests.Web.Model.Results.StepResultFixtures;

namespace ChaosLab.Tests.Web.Model.Results;

public sealed class CodeChangeTests
{
    [Fact]
    public void Read_OriginalPreviousAndAfter_BothComparisonsWithTheirCounts()
    {
        var change = CodeChange.Read(JsonNode.Parse(CodeChangeJson()))!;

        Assert.Equal("python", change.Language);
        Assert.Equal(CodeBaseline.Original, change.AgainstOriginal.Baseline);
        Assert.Equal((12, 4), (change.AgainstOriginal.Added, change.AgainstOriginal.Removed));
        var previous = change.AgainstPrevious!;
        Assert.Equal((CodeBaseline.Previous, 11, 5), (previous.Baseline, previous.Added, previous.Removed));
        Assert.Same(previous, change.Against(CodeBaseline.Previous));
        Assert.Same(change.AgainstOriginal, change.Against(CodeBaseline.Original));
        // Only against the previous run is the string check a removed line: the original never had it.
        Assert.Contains(previous.Lines, l => l.Kind == DiffKind.Removed && l.Text.Contains("isinstance(event[\"value\"], str)", StringComparison.Ordinal));
        Assert.DoesNotContain(change.AgainstOriginal.Lines, l => l.Text.Contains("isinstance(event[\"value\"], str)", StringComparison.Ordinal));
        Assert.Equal(AfterCode.Split('\n').Length, change.AfterLines.Count);
        Assert.Equal("MAX_BUFFER = 240", change.AfterLines[2]);
    }

    [Fact]
    public void Read_ChangedLine_NumberedOnBothSidesWithWordChanges()
    {
        var change = CodeChange.Read(JsonNode.Parse(CodeChangeJson()))!;

        var removed = change.AgainstOriginal.Lines.Single(l => l.Kind == DiffKind.Removed && l.Text.Contains("kept = ", StringComparison.Ordinal));
        var added = change.AgainstOriginal.Lines.Single(l => l.Kind == DiffKind.Added && l.Text.Contains("kept = ", StringComparison.Ordinal));
        Assert.Equal((7, (int?)null), (removed.OldNumber, removed.NewNumber));
        Assert.Equal(((int?)null, 15), (added.OldNumber, added.NewNumber));
        Assert.Contains(added.Spans, s => s.Kind == DiffKind.Added && s.Text.Contains("std", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ChangeDeepInLongCode_UnchangedStretchesCollapsed()
    {
        var original = string.Join('\n', Enumerable.Range(1, 60).Select(i => $"x{i} = {i}"));
        var after = original.Replace("x30 = 30", "x30 = 31", StringComparison.Ordinal);

        var change = CodeChange.Read(new JsonObject { ["original"] = original, ["after"] = after, ["previous"] = null })!;

        Assert.Null(change.AgainstPrevious);
        Assert.Equal((1, 1), (change.AgainstOriginal.Added, change.AgainstOriginal.Removed));
        Assert.Equal([26, 27], [.. change.AgainstOriginal.Lines.Where(l => l.Skipped > 0).Select(l => l.Skipped)]);
        Assert.Equal(2 + (2 * CodeChange.Context) + 2, change.AgainstOriginal.Lines.Count);
    }

    [Fact]
    public void Read_NoPreviousRun_PreviousFallsBackToTheOriginal()
    {
        var change = CodeChange.Read(JsonNode.Parse(CodeChangeJson(previous: null)))!;

        Assert.Null(change.AgainstPrevious);
        Assert.Same(change.AgainstOriginal, change.Against(CodeBaseline.Previous));
    }

    [Fact]
    public void Read_AfterIsTheOriginal_Identical()
    {
        var change = CodeChange.Read(new JsonObject { ["original"] = OriginalCode, ["after"] = OriginalCode, ["language"] = 3, ["previous"] = 7 })!;

        Assert.True(change.AgainstOriginal.Identical);
        Assert.Null(change.Language);
        Assert.Null(change.AgainstPrevious);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"def f(): pass\"")]
    [InlineData("{}")]
    [InlineData("""{"original": "a = 1"}""")]
    [InlineData("""{"after": "a = 1", "previous": "a = 0"}""")]
    [InlineData("""{"original": ["a = 1"], "after": "a = 2"}""")]
    [InlineData("""{"original": "a = 1", "after": null}""")]
    public void Read_NotOriginalAndAfterStrings_Null(string json) => Assert.Null(CodeChange.Read(JsonNode.Parse(json)));
}

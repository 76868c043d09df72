using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class TextDiffTests
{
    [Fact]
    public void Lines_IdenticalTexts_AllSameWithBothLineNumbers()
    {
        var diff = TextDiff.Lines("a\nb\nc", "a\nb\nc");

        Assert.All(diff, line => Assert.Equal(DiffKind.Same, line.Kind));
        Assert.Equal([1, 2, 3], diff.Select(l => l.OldNumber!.Value));
        Assert.Equal([1, 2, 3], diff.Select(l => l.NewNumber!.Value));
    }

    [Fact]
    public void Lines_OneLineInserted_OnlyThatLineIsAdded()
    {
        var diff = TextDiff.Lines("a\nb\nc", "a\nb\nX\nc");

        Assert.Equal(["Same a", "Same b", "Added X", "Same c"], diff.Select(l => $"{l.Kind} {l.Text}"));
        Assert.Equal(3, diff[2].NewNumber);
        Assert.Null(diff[2].OldNumber);
        Assert.Equal(3, diff[3].OldNumber);
        Assert.Equal(4, diff[3].NewNumber);
    }

    [Fact]
    public void Lines_TailCutOff_RemovesTheMissingLines()
    {
        var diff = TextDiff.Lines("{\n  \"a\": 1,\n  \"b\": 2\n}", "{\n  \"a\": 1,");

        Assert.Equal(["Same {", "Same   \"a\": 1,", "Removed   \"b\": 2", "Removed }"], diff.Select(l => $"{l.Kind} {l.Text}"));
    }

    [Fact]
    public void Lines_LineReplaced_RemovalThenAdditionWithWordSpans()
    {
        var diff = TextDiff.Lines("x\n\"revenue\": 3.14 billion\ny", "x\n\"revenue\": 2.90 billion\ny");

        var removed = Assert.Single(diff, l => l.Kind == DiffKind.Removed);
        var added = Assert.Single(diff, l => l.Kind == DiffKind.Added);
        Assert.True(diff.ToList().IndexOf(removed) < diff.ToList().IndexOf(added));
        Assert.Equal([(DiffKind.Same, "\"revenue\": "), (DiffKind.Removed, "3.14"), (DiffKind.Same, " billion")], removed.Spans.Select(s => (s.Kind, s.Text)));
        Assert.Equal([(DiffKind.Same, "\"revenue\": "), (DiffKind.Added, "2.90"), (DiffKind.Same, " billion")], added.Spans.Select(s => (s.Kind, s.Text)));
    }

    [Fact]
    public void Lines_UnpairedChanges_CarryNoWordSpans()
    {
        var diff = TextDiff.Lines("a", "a\nb\nc");

        Assert.All(diff.Where(l => l.Kind == DiffKind.Added), l => Assert.Empty(l.Spans));
    }

    [Fact]
    public void Lines_EmptyOld_EverythingAdded()
    {
        var diff = TextDiff.Lines(null, "a\nb");

        Assert.Equal([DiffKind.Added, DiffKind.Added], diff.Select(l => l.Kind));
    }

    [Fact]
    public void Lines_IsAMinimalEditScript_ForInterleavedChanges()
    {
        var diff = TextDiff.Lines("a\nb\nc\nd\ne", "a\nc\nd\nX\ne");

        Assert.Equal(["Same a", "Removed b", "Same c", "Same d", "Added X", "Same e"], diff.Select(l => $"{l.Kind} {l.Text}"));
    }

    [Fact]
    public void Words_NumberWithDecimals_IsOneToken()
    {
        Assert.Equal(["$", "3.14", " ", "billion", ","], TextDiff.Tokenize("$3.14 billion,"));
    }

    [Fact]
    public void Collapse_LongUnchangedRuns_BecomeOnePlaceholderEach()
    {
        var old = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}"));
        var changed = old.Replace("line 20", "line twenty", StringComparison.Ordinal);

        var collapsed = TextDiff.Collapse(TextDiff.Lines(old, changed), context: 2);

        Assert.Equal(
            ["… 17 unchanged lines", "line 18", "line 19", "-line 20", "+line twenty", "line 21", "line 22", "… 8 unchanged lines"],
            collapsed.Select(l => l.Kind switch { DiffKind.Removed => "-" + l.Text, DiffKind.Added => "+" + l.Text, _ => l.Text }));
        Assert.Equal(17, collapsed[0].Skipped);
    }

    [Fact]
    public void Lines_HugeInputs_FallBackWithoutQuadraticBlowUp()
    {
        var a = string.Join('\n', Enumerable.Range(0, 3_000).Select(i => "a" + i));
        var b = string.Join('\n', Enumerable.Range(0, 3_000).Select(i => "b" + i));

        var diff = TextDiff.Lines(a, b);

        Assert.Equal(3_000, diff.Count(l => l.Kind == DiffKind.Removed));
        Assert.Equal(3_000, diff.Count(l => l.Kind == DiffKind.Added));
    }

    [Fact]
    public void SideBySide_ReplacedAndExtraLines_PairedInOrderWithGapsOpposite()
    {
        var rows = TextDiff.SideBySide(TextDiff.Lines("a\nb\nc\nz", "a\nB\nC\nD\nz"));

        Assert.Equal(
            [("a", "a"), ("b", "B"), ("c", "C"), (null, "D"), ("z", "z")],
            rows.Select(r => (r.Old?.Text, r.New?.Text)));
        Assert.Equal((2, 2), (rows[1].Old!.OldNumber!.Value, rows[1].New!.NewNumber!.Value));
        Assert.Same(rows[0].Old, rows[0].New);
    }

    [Fact]
    public void SideBySide_OnlyRemovals_NothingOpposite()
    {
        var rows = TextDiff.SideBySide(TextDiff.Lines("a\nb\nc", "a"));

        Assert.Equal([("a", "a"), ("b", null), ("c", null)], rows.Select(r => (r.Old?.Text, r.New?.Text)));
    }

    [Fact]
    public void SideBySide_CollapsedRun_OnePlaceholderRowOnBothSides()
    {
        var old = string.Join("\n", Enumerable.Range(1, 20));
        var rows = TextDiff.SideBySide(TextDiff.Collapse(TextDiff.Lines(old, old.Replace("20", "twenty", StringComparison.Ordinal))));

        var placeholder = Assert.Single(rows, r => r.Old?.Skipped > 0);
        Assert.Same(placeholder.Old, placeholder.New);
        Assert.Equal(("20", "twenty"), (rows[^1].Old!.Text, rows[^1].New!.Text));
    }

    [Fact]
    public void AlignJsonMembers_ChangedMembers_EachOppositeItsOldValueWithWordChanges()
    {
        const string Old = "{\n  \"a\": false,\n  \"b\": 0,\n  \"z\": 1\n}";
        const string New = "{\n  \"added\": \"x\",\n  \"a\": true,\n  \"b\": 2,\n  \"z\": 1\n}";

        var lines = TextDiff.AlignJsonMembers(TextDiff.Lines(Old, New));

        Assert.Equal(
            [
                (DiffKind.Same, "{"),
                (DiffKind.Added, "  \"added\": \"x\","),
                (DiffKind.Removed, "  \"a\": false,"),
                (DiffKind.Added, "  \"a\": true,"),
                (DiffKind.Removed, "  \"b\": 0,"),
                (DiffKind.Added, "  \"b\": 2,"),
                (DiffKind.Same, "  \"z\": 1"),
                (DiffKind.Same, "}"),
            ],
            lines.Select(l => (l.Kind, l.Text)));
        Assert.Equal([(DiffKind.Removed, "0")], lines[4].Spans.Where(s => s.Kind != DiffKind.Same).Select(s => (s.Kind, s.Text)));
        Assert.Empty(lines[1].Spans);
        // Line numbers stay those of each side's text.
        Assert.Equal(((int?)2, (int?)3, (int?)3, (int?)4), (lines[2].OldNumber, lines[3].NewNumber, lines[4].OldNumber, lines[5].NewNumber));
        var rows = TextDiff.SideBySide(lines);
        Assert.Contains(rows, r => r.Old?.Text == "  \"b\": 0," && r.New?.Text == "  \"b\": 2,");
        Assert.Contains(rows, r => r.Old is null && r.New?.Text == "  \"added\": \"x\",");
    }

    [Fact]
    public void AlignSimilarLines_EditedLinesAmongNewOnes_EachOppositeTheLineItEdits()
    {
        const string Old = "for e in events:\n    out.append(float(e))\n    total = sum(out)\nreturn out";
        const string New = "for e in events:\n    if bad(e):\n        continue\n    out.append(float(e.value))\n    total = sum(out) if out else 0\nreturn out";

        var lines = TextDiff.AlignSimilarLines(TextDiff.Lines(Old, New));

        Assert.Equal(
            [
                (DiffKind.Same, "for e in events:"),
                (DiffKind.Added, "    if bad(e):"),
                (DiffKind.Added, "        continue"),
                (DiffKind.Removed, "    out.append(float(e))"),
                (DiffKind.Added, "    out.append(float(e.value))"),
                (DiffKind.Removed, "    total = sum(out)"),
                (DiffKind.Added, "    total = sum(out) if out else 0"),
                (DiffKind.Same, "return out"),
            ],
            lines.Select(l => (l.Kind, l.Text)));
        Assert.Equal([" if out else 0"], lines[6].Spans.Where(s => s.Kind == DiffKind.Added).Select(s => s.Text));
        Assert.Empty(lines[1].Spans);
        Assert.Equal(((int?)2, (int?)4, (int?)3, (int?)5), (lines[3].OldNumber, lines[4].NewNumber, lines[5].OldNumber, lines[6].NewNumber));
    }

    [Fact]
    public void AlignSimilarLines_NothingAlike_RemovedAndAddedStandAlone()
    {
        var lines = TextDiff.AlignSimilarLines(TextDiff.Lines("a = compute_the_total()\n", "print('hello world')\n"));

        Assert.Equal([DiffKind.Removed, DiffKind.Added, DiffKind.Same], lines.Select(l => l.Kind));
        Assert.All(lines, l => Assert.Empty(l.Spans));
    }

    [Fact]
    public void AlignSimilarLines_ChangeBeyondTheBound_PairedByPosition()
    {
        // 60 x 40 characters on each side: 2,400 x 2,400 character comparisons pass MaxCells.
        var old = string.Join('\n', Enumerable.Range(0, 60).Select(i => $"old_value_{i:00} = compute_something({i:000})"));
        var @new = string.Join('\n', Enumerable.Range(0, 60).Select(i => $"new_value_{i:00} = compute_something({i + 1:000})"));
        Assert.True((long)old.Length * @new.Length > TextDiff.MaxCells);

        var lines = TextDiff.AlignSimilarLines(TextDiff.Lines(old, @new));

        Assert.Equal(120, lines.Count);
        Assert.Equal(("old_value_00 = compute_something(000)", "new_value_00 = compute_something(001)"), (lines[0].Text, lines[1].Text));
        Assert.NotEmpty(lines[1].Spans);
    }
}

namespace ChaosLab.Web.Model;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>A run of characters inside a changed line: kept, removed or added.</summary>
public sealed record DiffSpan(DiffKind Kind, string Text);

/// <summary>
/// One line of a diff. A removed line paired with the added line that replaced it carries
/// word-level <see cref="Spans"/>, so a one-number change does not paint the whole line.
/// </summary>
/// <param name="OldNumber">1-based line number in the old text; null for an added line.</param>
/// <param name="NewNumber">1-based line number in the new text; null for a removed line.</param>
/// <param name="Skipped">For a placeholder made by <see cref="TextDiff.Collapse"/>: how many unchanged lines it stands for.</param>
public sealed record DiffLine(DiffKind Kind, string Text, int? OldNumber, int? NewNumber, IReadOnlyList<DiffSpan> Spans, int Skipped = 0);

/// <summary>
/// One row of a side-by-side diff: the old line on the left, the new one on the right. An
/// unchanged or skipped line is both; a line with nothing opposite has null there.
/// </summary>
public sealed record DiffRow(DiffLine? Old, DiffLine? New);

/// <summary>
/// A small LCS diff: lines first, then words within lines that were replaced. Quadratic, so
/// inputs beyond <see cref="MaxCells"/> comparisons fall back to "all removed, all added".
/// </summary>
public static class TextDiff
{
    /// <summary>Largest LCS table computed (old lines x new lines, after trimming the common ends).</summary>
    public const int MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Lines(string? oldText, string? newText)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        var ops = Diff(oldLines, newLines, StringComparer.Ordinal);

        var result = new List<DiffLine>(ops.Count);
        int oldNumber = 0, newNumber = 0;
        for (var i = 0; i < ops.Count;)
        {
            if (ops[i].Kind == DiffKind.Same)
            {
                oldNumber++;
                newNumber++;
                result.Add(new DiffLine(DiffKind.Same, ops[i].Value, oldNumber, newNumber, []));
                i++;
                continue;
            }

            // A block of removals followed by additions: pair them up for word-level changes.
            var removed = new List<string>();
            while (i < ops.Count && ops[i].Kind == DiffKind.Removed)
            {
                removed.Add(ops[i++].Value);
            }

            var added = new List<string>();
            while (i < ops.Count && ops[i].Kind == DiffKind.Added)
            {
                added.Add(ops[i++].Value);
            }

            var pairs = Math.Min(removed.Count, added.Count);
            for (var r = 0; r < removed.Count; r++)
            {
                var spans = r < pairs ? Side(Words(removed[r], added[r]), DiffKind.Removed) : [];
                result.Add(new DiffLine(DiffKind.Removed, removed[r], ++oldNumber, null, spans));
            }

            for (var a = 0; a < added.Count; a++)
            {
                var spans = a < pairs ? Side(Words(removed[a], added[a]), DiffKind.Added) : [];
                result.Add(new DiffLine(DiffKind.Added, added[a], null, ++newNumber, spans));
            }
        }

        return result;
    }

    /// <summary>
    /// The rows of <paramref name="lines"/> (from <see cref="Lines"/> or <see cref="Collapse"/>)
    /// side by side: each removed line opposite the added line that replaced it, in order, so a
    /// changed value sits beside its new value.
    /// </summary>
    public static IReadOnlyList<DiffRow> SideBySide(IReadOnlyList<DiffLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rows = new List<DiffRow>(lines.Count);
        for (var i = 0; i < lines.Count;)
        {
            if (lines[i].Kind == DiffKind.Same)
            {
                rows.Add(new DiffRow(lines[i], lines[i]));
                i++;
                continue;
            }

            var removed = new List<DiffLine>();
            while (i < lines.Count && lines[i].Kind == DiffKind.Removed)
            {
                removed.Add(lines[i++]);
            }

            var added = new List<DiffLine>();
            while (i < lines.Count && lines[i].Kind == DiffKind.Added)
            {
                added.Add(lines[i++]);
            }

            for (var r = 0; r < Math.Max(removed.Count, added.Count); r++)
            {
                rows.Add(new DiffRow(r < removed.Count ? removed[r] : null, r < added.Count ? added[r] : null));
            }
        }

        return rows;
    }

    /// <summary>
    /// Re-pairs the lines of each change in indented JSON by member name: a removed
    /// <c>"retry_max": 0</c> goes opposite the added <c>"retry_max": 2</c> (with word-level
    /// changes between them) instead of opposite whatever added line has the same position, and
    /// members only one side has stand alone. Within a change the old lines keep their order,
    /// and so do the new ones.
    /// </summary>
    public static IReadOnlyList<DiffLine> AlignJsonMembers(IReadOnlyList<DiffLine> lines) =>
        Align(lines, (removed, added) => Diff([.. removed.Select(MemberKey)], [.. added.Select(MemberKey)], StringComparer.Ordinal));

    /// <summary>
    /// Re-pairs the lines of each change in code by likeness: a removed line goes opposite the
    /// added line that keeps at least half of its characters (ignoring indentation), with
    /// word-level changes between them, so an edited line is shown as an edit and a new line
    /// that happens to sit at the same position is shown as new. Order is kept on each side.
    /// A change whose removed characters times added characters pass <see cref="MaxCells"/>
    /// (the comparisons' total cost) keeps the positional pairing of <see cref="Lines"/>.
    /// </summary>
    public static IReadOnlyList<DiffLine> AlignSimilarLines(IReadOnlyList<DiffLine> lines) =>
        Align(lines, (removed, added) => (long)removed.Sum(l => l.Text.Length) * added.Sum(l => l.Text.Length) > MaxCells
            ? [.. removed.Select((_, i) => i < added.Count ? (DiffKind.Same, "") : (DiffKind.Removed, "")), .. added.Skip(removed.Count).Select(_ => (DiffKind.Added, ""))]
            : Diff([.. removed.Select(l => l.Text)], [.. added.Select(l => l.Text)], LikeLines.Instance));

    // Each change (removed lines, then added lines) laid out by the pairing's edit script: a
    // Same pairs a removed line with an added one and gives both their word-level changes.
    private static List<DiffLine> Align<T>(IReadOnlyList<DiffLine> lines, Func<List<DiffLine>, List<DiffLine>, List<(DiffKind Kind, T Value)>> pairing)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new List<DiffLine>(lines.Count);
        for (var i = 0; i < lines.Count;)
        {
            if (lines[i].Kind == DiffKind.Same)
            {
                result.Add(lines[i++]);
                continue;
            }

            var removed = new List<DiffLine>();
            while (i < lines.Count && lines[i].Kind == DiffKind.Removed)
            {
                removed.Add(lines[i++]);
            }

            var added = new List<DiffLine>();
            while (i < lines.Count && lines[i].Kind == DiffKind.Added)
            {
                added.Add(lines[i++]);
            }

            int x = 0, y = 0;
            foreach (var (kind, _) in pairing(removed, added))
            {
                switch (kind)
                {
                    case DiffKind.Same:
                        var words = Words(removed[x].Text, added[y].Text);
                        result.Add(removed[x++] with { Spans = Side(words, DiffKind.Removed) });
                        result.Add(added[y++] with { Spans = Side(words, DiffKind.Added) });
                        break;
                    case DiffKind.Removed:
                        result.Add(removed[x++] with { Spans = [] });
                        break;
                    default:
                        result.Add(added[y++] with { Spans = [] });
                        break;
                }
            }
        }

        return result;
    }

    /// <summary>Two lines are alike when, indentation aside, the characters they share in order are at least half of both.</summary>
    private sealed class LikeLines : IEqualityComparer<string>
    {
        public static LikeLines Instance { get; } = new();

        public bool Equals(string? x, string? y)
        {
            var a = x?.Trim() ?? "";
            var b = y?.Trim() ?? "";
            if (a.Length == 0 || b.Length == 0)
            {
                return a.Length == b.Length;
            }

            var kept = Words(a, b).Where(s => s.Kind == DiffKind.Same).Sum(s => s.Text.Length);
            return 2 * kept >= (a.Length + b.Length) / 2;
        }

        // The edit script only compares; nothing hashes lines.
        public int GetHashCode(string obj) => 0;
    }

    // "name": of a member line, else the whole trimmed line (brackets, array items).
    private static string MemberKey(DiffLine line)
    {
        var text = line.Text.Trim();
        var end = text.StartsWith('"') ? text.IndexOf("\":", 1, StringComparison.Ordinal) : -1;
        return end > 0 ? text[..(end + 2)] : text;
    }

    /// <summary>
    /// Keeps <paramref name="context"/> unchanged lines around each change and replaces longer
    /// unchanged runs with one placeholder line, so a change deep in a long body is visible at once.
    /// </summary>
    public static IReadOnlyList<DiffLine> Collapse(IReadOnlyList<DiffLine> lines, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Kind != DiffKind.Same)
            {
                for (var j = Math.Max(0, i - context); j <= Math.Min(lines.Count - 1, i + context); j++)
                {
                    keep[j] = true;
                }
            }
        }

        var result = new List<DiffLine>();
        for (var i = 0; i < lines.Count;)
        {
            if (keep[i])
            {
                result.Add(lines[i++]);
                continue;
            }

            var start = i;
            while (i < lines.Count && !keep[i])
            {
                i++;
            }

            var count = i - start;
            result.Add(new DiffLine(DiffKind.Same, $"… {count} unchanged line{(count == 1 ? "" : "s")}", null, null, [], count));
        }

        return result;
    }

    /// <summary>Word-level diff of two lines; adjacent spans of one kind are merged.</summary>
    public static IReadOnlyList<DiffSpan> Words(string oldLine, string newLine)
    {
        var ops = Diff(Tokenize(oldLine), Tokenize(newLine), StringComparer.Ordinal);
        var spans = new List<DiffSpan>();
        foreach (var (kind, value) in ops)
        {
            if (spans.Count > 0 && spans[^1].Kind == kind)
            {
                spans[^1] = spans[^1] with { Text = spans[^1].Text + value };
            }
            else
            {
                spans.Add(new DiffSpan(kind, value));
            }
        }

        return spans;
    }

    /// <summary>Splits into words, runs of whitespace, and single punctuation characters.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = start + 1;
            if (char.IsLetterOrDigit(text[start]))
            {
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || (text[end] is '.' or '_' && end + 1 < text.Length && char.IsLetterOrDigit(text[end + 1]))))
                {
                    end++;
                }
            }
            else if (char.IsWhiteSpace(text[start]))
            {
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
            }

            tokens.Add(text[start..end]);
            start = end;
        }

        return tokens;
    }

    private static string[] SplitLines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.ReplaceLineEndings("\n").Split('\n');

    // The same-side view of a word diff: the old line shows kept + removed, the new one kept + added.
    private static DiffSpan[] Side(IReadOnlyList<DiffSpan> spans, DiffKind side) =>
        [.. spans.Where(s => s.Kind == DiffKind.Same || s.Kind == side)];

    /// <summary>Edit script from <paramref name="a"/> to <paramref name="b"/>: removals before additions at each change.</summary>
    internal static List<(DiffKind Kind, T Value)> Diff<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, IEqualityComparer<T> comparer)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && comparer.Equals(a[prefix], b[prefix]))
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && comparer.Equals(a[a.Count - 1 - suffix], b[b.Count - 1 - suffix]))
        {
            suffix++;
        }

        var ops = new List<(DiffKind, T)>(a.Count + b.Count);
        for (var i = 0; i < prefix; i++)
        {
            ops.Add((DiffKind.Same, a[i]));
        }

        int n = a.Count - prefix - suffix, m = b.Count - prefix - suffix;
        if ((long)n * m > MaxCells)
        {
            for (var i = 0; i < n; i++)
            {
                ops.Add((DiffKind.Removed, a[prefix + i]));
            }

            for (var j = 0; j < m; j++)
            {
                ops.Add((DiffKind.Added, b[prefix + j]));
            }
        }
        else
        {
            // lengths[i, j] = LCS length of a[i..] and b[j..] (within the trimmed middle).
            var lengths = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    lengths[i, j] = comparer.Equals(a[prefix + i], b[prefix + j])
                        ? lengths[i + 1, j + 1] + 1
                        : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
                }
            }

            int x = 0, y = 0;
            var pendingAdds = new List<T>();
            while (x < n || y < m)
            {
                if (x < n && y < m && comparer.Equals(a[prefix + x], b[prefix + y]))
                {
                    Flush(ops, pendingAdds);
                    ops.Add((DiffKind.Same, a[prefix + x]));
                    x++;
                    y++;
                }
                else if (y < m && (x == n || lengths[x, y + 1] > lengths[x + 1, y]))
                {
                    pendingAdds.Add(b[prefix + y]);
                    y++;
                }
                else
                {
                    ops.Add((DiffKind.Removed, a[prefix + x]));
                    x++;
                }
            }

            Flush(ops, pendingAdds);
        }

        for (var i = a.Count - suffix; i < a.Count; i++)
        {
            ops.Add((DiffKind.Same, a[i]));
        }

        return ops;

        static void Flush(List<(DiffKind, T)> ops, List<T> adds)
        {
            foreach (var add in adds)
            {
                ops.Add((DiffKind.Added, add));
            }

            adds.Clear();
        }
    }
}

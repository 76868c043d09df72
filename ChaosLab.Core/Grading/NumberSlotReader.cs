namespace ChaosLab.Core.Grading;

/// <summary>Commits a number slot to one value, or finds it ambiguous.</summary>
/// <remarks>
/// Candidates are narrowed step by step, each step applied only when it leaves a candidate, so a
/// lone number always stays: (1) drop values the question stated (a claimed figure being refuted).
/// In prose only: (2) keep the numbers in a clause with one of the slot's cues, and among those
/// prefer the form the slot's unit names (currency, percent, multiplier); (3) drop bare years
/// (1900-2100) and counts of the agent's work ("2 sources"). Then values within the slot's
/// tolerance of each other are one value ("12.3 million (12,300,000)"); more than one value left
/// is ambiguous. No step looks at the expected value, and the unit only breaks ties next to a cue,
/// so a list of numbers in every form stays ambiguous. A structured list is taken as listed.
/// </remarks>
internal static class NumberSlotReader
{
    private static readonly HashSet<string> CountNouns =
    [
        "source", "sources", "step", "steps", "tool", "tools", "call", "calls", "document", "documents",
        "search", "searches", "query", "queries", "attempt", "attempts", "check", "checks", "reference", "references",
    ];

    public static SlotReading Read(AnswerSlot slot, PreparedAnswer answer)
    {
        var expected = slot.ExpectedNumber;
        List<ExtractedNumber> candidates;
        if (answer.StructuredValues(slot) is { } structured)
        {
            candidates = [.. structured.SelectMany(FromStructured)];
            if (candidates.Count == 0)
            {
                return structured.Any(v => v.Boolean is null)
                    ? SlotReading.Unreadable(string.Join(" | ", structured.Select(v => v.Text)))
                    : SlotReading.None;
            }

            candidates = Narrow(candidates, c => !IsQuestionValue(slot, c.Value));
        }
        else
        {
            candidates = [.. NumberExtractor.Extract(answer.FreeText)];
            candidates = Narrow(candidates, c => !IsQuestionValue(slot, c.Value));
            var inCueClause = InCueClause(slot, answer);
            if (candidates.Any(inCueClause))
            {
                candidates = [.. candidates.Where(inCueClause)];
                candidates = Narrow(candidates, MatchesUnit(slot.Unit));
            }

            candidates = Narrow(candidates, c => !IsYear(c) && !IsCount(c, answer.FreeText));
        }

        var values = Cluster(candidates, slot.RelativeTolerance);
        return SlotReading.FromDistinct(values, ValueFormat.Number, v => Within(v, expected, slot.RelativeTolerance));
    }

    private static IEnumerable<ExtractedNumber> FromStructured(StructuredValue value) => value.Number is { } number
        ? [new ExtractedNumber(number, 0, value.Text.Length, value.Text, NumberScale.None, false, false)]
        : value.Boolean is null ? NumberExtractor.Extract(value.Text) : [];

    private static List<ExtractedNumber> Narrow(List<ExtractedNumber> candidates, Func<ExtractedNumber, bool> keep)
    {
        var kept = candidates.Where(keep).ToList();
        return kept.Count > 0 ? kept : candidates;
    }

    private static bool IsQuestionValue(AnswerSlot slot, double value) =>
        slot.QuestionValues?.Any(q => Within(value, q, slot.RelativeTolerance)) == true;

    private static Func<ExtractedNumber, bool> MatchesUnit(string? unit) => unit?.Trim().ToLowerInvariant() switch
    {
        "x" or "times" or "ratio" or "factor" or "fold" => c => c.IsMultiplier,
        "%" or "percent" or "pct" => c => c.IsPercent,
        "usd" or "eur" or "gbp" or "$" or "€" or "£" or "dollars" or "euros" => c => c.IsCurrency,
        _ => _ => true,
    };

    private static Func<ExtractedNumber, bool> InCueClause(AnswerSlot slot, PreparedAnswer answer)
    {
        if (slot.Cues is not { Count: > 0 } cues)
        {
            return _ => true;
        }

        var cueStarts = EntityMatcher.FindMentions(answer.Tokens, cues).Select(m => m.Mention.Start).ToList();
        var clauses = new ClauseMap(answer.FreeText);
        return c => cueStarts.Exists(s => clauses.Same(s, c.Start));
    }

    private static bool IsBare(ExtractedNumber number) =>
        number.Scale == NumberScale.None && !number.IsPercent && !number.IsCurrency && !number.IsMultiplier
        && number.Text.All(char.IsAsciiDigit);

    private static bool IsYear(ExtractedNumber number) =>
        IsBare(number) && number.Text.Length == 4 && number.Value is >= 1900 and <= 2100;

    /// <summary>A bare integer counting the agent's own work: "2 sources", "3 independent searches".</summary>
    private static bool IsCount(ExtractedNumber number, string text)
    {
        if (!IsBare(number) || number.Text.Length > 2)
        {
            return false;
        }

        var following = WordTokens.Tokenize(text.Substring(number.Start + number.Length, Math.Min(40, text.Length - number.Start - number.Length))).Words;
        return following.Take(2).Any(w => CountNouns.Contains(w.Folded));
    }

    private static List<double> Cluster(List<ExtractedNumber> candidates, double tolerance)
    {
        var representatives = new List<double>();
        foreach (var candidate in candidates)
        {
            if (!representatives.Exists(r => Within(candidate.Value, r, tolerance)))
            {
                representatives.Add(candidate.Value);
            }
        }

        return representatives;
    }

    internal static bool Within(double value, double expected, double relativeTolerance) =>
        Math.Abs(value - expected) <= Math.Max(relativeTolerance * Math.Abs(expected), 1e-9);

    /// <summary>Clause numbering of a text: breaks at ; ! ? ( ) newlines, and '.' or ',' before a space.</summary>
    private sealed class ClauseMap
    {
        private readonly List<int> _breaks = [];

        public ClauseMap(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var isBreak = c is ';' or '!' or '?' or '(' or ')' or '[' or ']' or '\n'
                    || (c is '.' or ',' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
                if (isBreak)
                {
                    _breaks.Add(i);
                }
            }
        }

        public bool Same(int first, int second) => Clause(first) == Clause(second);

        private int Clause(int position)
        {
            var index = _breaks.BinarySearch(position);
            return index >= 0 ? index : ~index;
        }
    }
}

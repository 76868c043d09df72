namespace ChaosLab.Core.Grading;

/// <summary>What an answer committed to for one slot, before weights are applied.</summary>
internal sealed record SlotReading(string Verdict, string? Extracted)
{
    public const string Correct = "correct";
    public const string Wrong = "wrong";
    public const string Missing = "missing";
    public const string Ambiguous = "ambiguous";

    private const int MaxCandidatesShown = 5;
    private const int MaxRawLength = 80;

    public static SlotReading None { get; } = new(Missing, null);

    public static SlotReading Committed(string extracted, bool correct) => new(correct ? Correct : Wrong, extracted);

    /// <summary>A structured value that is no value of the slot's kind ("population": "unknown").</summary>
    public static SlotReading Unreadable(string raw) =>
        new(Wrong, raw.Length <= MaxRawLength ? raw : raw[..MaxRawLength] + "…");

    public static SlotReading Several(IEnumerable<string> candidates)
    {
        var distinct = candidates.Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join(" | ", distinct.Take(MaxCandidatesShown));
        return new(Ambiguous, distinct.Count > MaxCandidatesShown ? shown + " | …" : shown);
    }

    /// <summary>One distinct value commits; several are ambiguous; none is missing.</summary>
    public static SlotReading FromDistinct<T>(IReadOnlyList<T> distinct, Func<T, string> render, Func<T, bool> isCorrect) =>
        distinct.Count switch
        {
            0 => None,
            1 => Committed(render(distinct[0]), isCorrect(distinct[0])),
            _ => Several(distinct.Select(render)),
        };
}

namespace ChaosLab.Core.Grading;

/// <summary>Commits an entity slot to one candidate, in the order the grading rules give.</summary>
/// <remarks>
/// Order: (1) a structured value; (2) a choice linked to a cue ("Veloria is denser", "Veloria has
/// the higher density", "the denser one is Veloria"; a negated link such as "Veloria is not
/// denser" links nothing); (3) the only candidate mentioned. Several linked or mentioned
/// candidates are ambiguous. Without <see cref="AnswerSlot.Choices"/> the only candidate is the
/// expected entity, so free text can be correct or missing, never wrong: keys should list choices
/// whenever a question has plausible alternatives.
/// </remarks>
internal static class EntitySlotReader
{
    private const int MaxLinkWords = 4;

    // Words that may stand between a choice and a following cue: "Veloria is clearly the denser".
    private static readonly HashSet<string> LinksBeforeCue =
    [
        "is", "was", "are", "has", "have", "had", "the", "a", "clearly", "much", "far", "significantly",
        "slightly", "considerably", "somewhat", "indeed", "noticeably", "roughly", "about", "approximately",
        "times", "x", "by", "with",
    ];

    // Words that may stand between a cue and a following choice: "the denser of the two is Veloria".
    private static readonly HashSet<string> LinksAfterCue =
    [
        "one", "country", "city", "company", "nation", "state", "entity", "place", "option", "candidate",
        "is", "was", "of", "the", "two", "them", "both", "answer", "here",
    ];

    private static readonly HashSet<string> Negators = ["not", "never", "isn't", "isnt", "wasn't", "wasnt", "no"];

    public static SlotReading Read(AnswerSlot slot, PreparedAnswer answer)
    {
        var candidates = Candidates(slot);
        var spellings = candidates.SelectMany(c => c.Spellings).ToList();
        var expected = slot.ExpectedEntity;
        if (answer.StructuredValues(slot) is { } structured)
        {
            var named = structured.Select(v => Identify(v.Text, candidates, spellings)).Distinct(StringComparer.Ordinal).ToList();
            return SlotReading.FromDistinct(named, n => n, n => EntityMatcher.AreSame(n, expected));
        }

        var mentions = EntityMatcher.FindMentions(answer.Tokens, spellings);
        var linked = LinkedToCue(slot, answer.Tokens, mentions, candidates);
        var chosen = linked.Count > 0
            ? linked
            : mentions.Select(m => CanonicalOf(m.Mention.Name, candidates)).Distinct(StringComparer.Ordinal).ToList();
        return SlotReading.FromDistinct(chosen, n => n, n => EntityMatcher.AreSame(n, expected));
    }

    /// <summary>Each choice with its spellings; the expected entity carries the aliases.</summary>
    private static List<Candidate> Candidates(AnswerSlot slot)
    {
        var expected = slot.ExpectedEntity;
        var expectedSpellings = new List<string> { expected };
        expectedSpellings.AddRange(slot.Aliases ?? []);
        var candidates = new List<Candidate>();
        foreach (var choice in slot.Choices ?? [])
        {
            candidates.Add(EntityMatcher.AreSame(choice, expected)
                ? new Candidate(expected, [choice, .. expectedSpellings])
                : new Candidate(choice, [choice]));
        }

        if (!candidates.Exists(c => c.Name == expected))
        {
            candidates.Add(new Candidate(expected, expectedSpellings));
        }

        return candidates;
    }

    /// <summary>The candidate a structured value names, or the value itself when it names none.</summary>
    private static string Identify(string value, List<Candidate> candidates, List<string> spellings)
    {
        var exact = candidates.Find(c => c.Spellings.Exists(s => EntityMatcher.AreSame(s, value)));
        if (exact is not null)
        {
            return exact.Name;
        }

        var mentioned = EntityMatcher.FindMentions(value, spellings).Select(m => CanonicalOf(m.Name, candidates)).Distinct().ToList();
        return mentioned.Count == 1 ? mentioned[0] : value.Trim();
    }

    private static List<string> LinkedToCue(
        AnswerSlot slot, WordTokens tokens, List<(EntityMention Mention, int FirstWord, int EndWord)> mentions, List<Candidate> candidates)
    {
        if (slot.Cues is not { Count: > 0 } cues || mentions.Count == 0)
        {
            return [];
        }

        var linked = new List<string>();
        foreach (var (_, cueFirst, cueEnd) in EntityMatcher.FindMentions(tokens, cues))
        {
            foreach (var (mention, first, end) in mentions)
            {
                var isLinked = end <= cueFirst
                    ? Links(tokens, end - 1, cueFirst, LinksBeforeCue)
                    : cueEnd <= first && Links(tokens, cueEnd - 1, first, LinksAfterCue);
                if (isLinked)
                {
                    linked.Add(CanonicalOf(mention.Name, candidates));
                }
            }
        }

        return [.. linked.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the words strictly between <paramref name="left"/> and <paramref name="right"/> only link them.</summary>
    private static bool Links(WordTokens tokens, int left, int right, HashSet<string> linkWords)
    {
        if (right - left - 1 > MaxLinkWords)
        {
            return false;
        }

        for (var i = left + 1; i < right; i++)
        {
            var word = tokens.Words[i].Folded;
            var isNumber = char.IsAsciiDigit(word[0]);
            if (Negators.Contains(word) || (!isNumber && !linkWords.Contains(word)))
            {
                return false;
            }
        }

        for (var i = left + 1; i <= right; i++)
        {
            if (tokens.BreakBetween(i - 1, i, WordTokens.LinkBreaks))
            {
                return false;
            }
        }

        return true;
    }

    private static string CanonicalOf(string spelling, List<Candidate> candidates) =>
        candidates.Find(c => c.Spellings.Contains(spelling))?.Name ?? spelling;

    private sealed record Candidate(string Name, List<string> Spellings);
}

namespace ChaosLab.Core.Grading;

/// <summary>Finds yes/no verdicts in text, word by word, with negation applied within a clause.</summary>
/// <remarks>
/// Words match whole and folded, so "NovaTech", "Norway", "knowledge" and "notable" are never
/// "no" or "not". Rules a caller should know:
/// <list type="bullet">
/// <item>A negator ("not", "never", "isn't", "doesn't", ...) flips every verdict word after it in
/// the same clause; clauses end at punctuation and at "but", "and", "or", "however", ....
/// "not inaccurate" is true.</item>
/// <item>"not only" and "not just" are no negation: "not only accurate but also recent" is true.</item>
/// <item>"no" is a verdict only when it stands alone in its clause ("No.", "No, ...", "Answer: no")
/// or opens one ("no it isn't"); "no evidence" is not a verdict.</item>
/// <item>A verdict word used as an attribute is not a verdict: after a determiner ("the true
/// figure", "a correct value"), before a quantity noun ("correct revenue"), or before "by"
/// ("confirmed by two sources" says how a figure was checked).</item>
/// <item>Cues are read as yes ("accurate" → true, "inaccurate", "not accurate" → false). A cue the
/// default lexicon reads as no (e.g. "overstated") turns the domain lexicon off for that call:
/// only yes/no/true/false and the cues count, since "accurate" would then contradict the cue.</item>
/// </list>
/// </remarks>
public static class BooleanExtractor
{
    private static readonly HashSet<string> DomainYes =
        ["accurate", "correct", "confirmed", "valid", "verified", "supported", "substantiated"];

    private static readonly HashSet<string> DomainNo =
    [
        "inaccurate", "incorrect", "wrong", "invalid", "overstated", "understated", "misleading",
        "exaggerated", "inflated", "unsupported", "unsubstantiated", "refuted", "debunked",
        "erroneous", "fabricated", "bogus", "mistaken",
    ];

    private static readonly HashSet<string> Negators =
    [
        "not", "never", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't", "werent",
        "doesn't", "doesnt", "don't", "dont", "didn't", "didnt", "can't", "cant", "cannot",
        "won't", "wont", "hardly", "neither", "nor",
    ];

    private static readonly HashSet<string> Conjunctions =
        ["but", "and", "or", "however", "although", "though", "whereas", "while", "yet", "instead"];

    private static readonly HashSet<string> Determiners =
        ["the", "a", "an", "its", "their", "our", "his", "her", "my", "your"];

    private static readonly HashSet<string> QuantityNouns =
    [
        "figure", "figures", "value", "values", "number", "numbers", "amount", "revenue", "answer",
        "total", "population", "estimate", "result", "results", "data", "count", "one", "rate",
    ];

    // Words after "no" that make it an answer ("no it isn't") rather than a determiner ("no evidence").
    private static readonly HashSet<string> AfterAnswerNo =
        ["it", "it's", "its", "that", "this", "the", "they", "not", "i", "we", "sir"];

    public static IReadOnlyList<ExtractedBoolean> Extract(string text, IReadOnlyList<string>? cues = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lexicon = Lexicon.For(cues);
        var tokens = WordTokens.Tokenize(text);
        var words = tokens.Words;
        var found = new List<ExtractedBoolean>();
        var clauseStart = 0;
        var negations = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i].Folded;
            if (i > 0 && tokens.BreakBetween(i - 1, i, WordTokens.ClauseBreaks))
            {
                clauseStart = i;
                negations = 0;
            }

            if (Conjunctions.Contains(word))
            {
                clauseStart = i + 1;
                negations = 0;
                continue;
            }

            if (Negators.Contains(word))
            {
                var notOnly = word == "not" && i + 1 < words.Count && words[i + 1].Folded is "only" or "just";
                negations += notOnly ? 0 : 1;
                continue;
            }

            var (polarity, length) = lexicon.Match(tokens, i);
            if (polarity is not { } value
                || (word == "no" && !IsAnswerNo(tokens, i, clauseStart))
                || IsAttribute(tokens, i, length, clauseStart))
            {
                continue;
            }

            var last = words[i + length - 1];
            found.Add(new ExtractedBoolean(value ^ (negations % 2 == 1), words[i].Start, last.End - words[i].Start, text[words[i].Start..last.End]));
            i += length - 1;
        }

        return found;
    }

    private static bool IsAnswerNo(WordTokens tokens, int i, int clauseStart)
    {
        if (i != clauseStart)
        {
            return false;
        }

        var isLast = i + 1 == tokens.Words.Count || tokens.BreakBetween(i, i + 1, WordTokens.ClauseBreaks);
        return isLast || AfterAnswerNo.Contains(tokens.Words[i + 1].Folded) || Conjunctions.Contains(tokens.Words[i + 1].Folded);
    }

    private static bool IsAttribute(WordTokens tokens, int i, int length, int clauseStart)
    {
        var words = tokens.Words;
        var afterDeterminer = i > clauseStart && Determiners.Contains(words[i - 1].Folded);
        var next = i + length;
        var followedBy = next < words.Count && !tokens.BreakBetween(next - 1, next, WordTokens.ClauseBreaks)
            ? words[next].Folded
            : null;

        // "confirmed by two sources" reports how a figure was checked, not a verdict on the claim.
        return afterDeterminer || (followedBy is not null && (QuantityNouns.Contains(followedBy) || followedBy == "by"));
    }

    /// <summary>The verdict words in force for one call: defaults plus the caller's cues.</summary>
    private sealed class Lexicon
    {
        private static readonly Lexicon Default = new([]);
        private readonly List<(string[] Phrase, bool Value)> _cuePhrases = [];
        private readonly bool _useDomain;

        private Lexicon(IReadOnlyList<string> cues)
        {
            _useDomain = !cues.Any(c => DomainNo.Contains(TextFolding.Fold(c.Trim())));
            foreach (var cue in cues)
            {
                var phrase = WordTokens.Phrase(cue);
                if (phrase.Length == 0)
                {
                    continue;
                }

                _cuePhrases.Add((phrase, true));
                if (phrase.Length == 1)
                {
                    // "accurate" → "inaccurate", "unverified", "nonexistent", "impossible", "irregular", "illegal".
                    foreach (var prefix in (ReadOnlySpan<string>)["in", "un", "non", "im", "ir", "il", "mis"])
                    {
                        _cuePhrases.Add(([prefix + phrase[0]], false));
                    }
                }
            }

            // Longest phrases first, so "higher density" wins over "higher".
            _cuePhrases.Sort((a, b) => b.Phrase.Length.CompareTo(a.Phrase.Length));
        }

        public static Lexicon For(IReadOnlyList<string>? cues) => cues is { Count: > 0 } ? new Lexicon(cues) : Default;

        public (bool? Value, int Length) Match(WordTokens tokens, int i)
        {
            foreach (var (phrase, value) in _cuePhrases)
            {
                if (tokens.MatchesAt(i, phrase))
                {
                    return (value, phrase.Length);
                }
            }

            var word = tokens.Words[i].Folded;
            bool? polar = word switch
            {
                "yes" or "yeah" or "yep" or "true" => true,
                "no" or "nope" or "false" or "untrue" => false,
                _ when _useDomain && DomainYes.Contains(word) => true,
                _ when _useDomain && DomainNo.Contains(word) => false,
                _ => null,
            };
            return (polar, 1);
        }
    }
}

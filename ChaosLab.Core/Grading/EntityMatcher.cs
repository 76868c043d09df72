namespace ChaosLab.Core.Grading;

/// <summary>Whole-word, case- and diacritic-insensitive matching of entity names in text.</summary>
/// <remarks>
/// Names are compared word by word after folding, so "Sao Tome" matches "São Tomé", "costa-rica"
/// matches "Costa Rica", and "Nor" never matches inside "Norway".
/// </remarks>
public static class EntityMatcher
{
    /// <summary>Every non-overlapping mention of any of <paramref name="names"/>, longest name first at each position.</summary>
    public static IReadOnlyList<EntityMention> FindMentions(string text, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        return FindMentions(WordTokens.Tokenize(text), names).Select(m => m.Mention).ToList();
    }

    /// <summary>Whether two spellings name the same entity ("Côte d'Ivoire" and "cote d’ivoire").</summary>
    public static bool AreSame(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = WordTokens.Phrase(first);
        return a.Length > 0 && a.AsSpan().SequenceEqual(WordTokens.Phrase(second));
    }

    /// <summary>Mentions with their word positions, for callers that reason about nearby words.</summary>
    internal static List<(EntityMention Mention, int FirstWord, int EndWord)> FindMentions(WordTokens tokens, IReadOnlyList<string> names)
    {
        var phrases = names
            .Select(name => (Name: name, Phrase: WordTokens.Phrase(name)))
            .Where(p => p.Phrase.Length > 0)
            .OrderByDescending(p => p.Phrase.Length)
            .ToList();
        var mentions = new List<(EntityMention, int, int)>();
        var words = tokens.Words;
        for (var i = 0; i < words.Count; i++)
        {
            foreach (var (name, phrase) in phrases)
            {
                if (!tokens.MatchesAt(i, phrase))
                {
                    continue;
                }

                var end = i + phrase.Length;
                mentions.Add((new EntityMention(name, words[i].Start, words[end - 1].End - words[i].Start), i, end));
                i = end - 1;
                break;
            }
        }

        return mentions;
    }
}

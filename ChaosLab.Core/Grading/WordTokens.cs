using System.Text;

namespace ChaosLab.Core.Grading;

/// <summary>One word of a text: a run of letters and digits (inner apostrophes kept, "isn't"), folded.</summary>
internal readonly record struct Word(string Folded, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>A text split into folded words, with the punctuation between them kept for clause checks.</summary>
internal sealed class WordTokens
{
    // Clause breaks for reading verdicts: "No, it is accurate" holds two clauses.
    public const string ClauseBreaks = ".,;:!?()[]\n\u2014";

    // Breaks for linking a choice to a cue: a colon may link them ("the denser one: Veloria").
    public const string LinkBreaks = ".,;!?()[]\n\u2014";

    private readonly string _text;

    private WordTokens(string text, IReadOnlyList<Word> words)
    {
        _text = text;
        Words = words;
    }

    public IReadOnlyList<Word> Words { get; }

    public static WordTokens Tokenize(string text)
    {
        var words = new List<Word>();
        var builder = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            builder.Clear();
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsLetterOrDigit(c))
                {
                    TextFolding.AppendFolded(builder, c);
                    i++;
                }
                else if (IsApostrophe(c) && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > start)
                {
                    builder.Append('\'');
                    i++;
                }
                else
                {
                    break;
                }
            }

            words.Add(new Word(builder.ToString(), start, i - start));
        }

        return new WordTokens(text, words);
    }

    /// <summary>The folded words of a short phrase (a name, an alias, a cue).</summary>
    public static string[] Phrase(string phrase) => [.. Tokenize(phrase).Words.Select(w => w.Folded)];

    /// <summary>Whether the text between two words holds one of <paramref name="breaks"/>.</summary>
    /// <remarks>A '.' or ',' counts only before a space or the end, so "4.2" and "1,150" never break.</remarks>
    public bool BreakBetween(int fromWord, int toWord, string breaks)
    {
        var from = Words[fromWord].End;
        var to = Words[toWord].Start;
        for (var i = from; i < to; i++)
        {
            var c = _text[i];
            if (!breaks.Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            if (c is '.' or ',' && i + 1 < _text.Length && !char.IsWhiteSpace(_text[i + 1]))
            {
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>Whether the words from <paramref name="index"/> spell <paramref name="phrase"/>.</summary>
    public bool MatchesAt(int index, string[] phrase)
    {
        if (phrase.Length == 0 || index + phrase.Length > Words.Count)
        {
            return false;
        }

        for (var k = 0; k < phrase.Length; k++)
        {
            if (!string.Equals(Words[index + k].Folded, phrase[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02BC';
}

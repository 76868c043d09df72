using System.Text;

namespace ChaosLab.Core.Harness;

/// <summary>
/// Okapi BM25 over a handful of documents, small enough to read: a document's score for a query
/// is the sum over query terms of idf(term) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length)).
/// </summary>
public sealed class Bm25Index
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    // Words too common to tell procedures apart.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from", "has", "have", "if", "in", "is", "it", "its", "of", "on", "or",
        "that", "the", "then", "this", "to", "was", "what", "when", "which", "with", "you", "your", "not", "no", "can", "one", "each", "every",
    };

    private readonly List<Dictionary<string, int>> _termCounts;
    private readonly List<int> _lengths;
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IEnumerable<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _termCounts = [];
        _lengths = [];
        foreach (var document in documents)
        {
            var terms = Tokenize(document);
            var counts = terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            _termCounts.Add(counts);
            _lengths.Add(terms.Count);
            foreach (var term in counts.Keys)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        _averageLength = _lengths.Count == 0 ? 0 : Math.Max(1, _lengths.Average());
    }

    public int Count => _termCounts.Count;

    /// <summary>Every document's score for <paramref name="query"/>, in document order (0 when no term matches).</summary>
    public IReadOnlyList<double> Score(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = Tokenize(query);
        var scores = new double[Count];
        foreach (var term in terms)
        {
            if (!_documentFrequency.TryGetValue(term, out var df))
            {
                continue;
            }

            var idf = Math.Log(1 + ((Count - df + 0.5) / (df + 0.5)));
            for (var i = 0; i < Count; i++)
            {
                if (_termCounts[i].TryGetValue(term, out var tf))
                {
                    scores[i] += idf * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
                }
            }
        }

        return scores;
    }

    /// <summary>Lowercase words of letters and digits ("Retry-After" is retry, after; "web_search" is web, search), stop words dropped.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length > 1 && !StopWords.Contains(word.ToString()))
            {
                terms.Add(word.ToString());
            }

            word.Clear();
        }

        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return terms;
    }
}

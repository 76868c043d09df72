using System.Text;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Full-text search over one corpus, in process: the ranking SQLite's FTS5 gave for
/// <c>documents_fts MATCH '"t1" OR "t2" ...' ORDER BY rank, doc_id</c> over the title and body
/// columns (unicode61 tokens, bm25 with k1 = 1.2, b = 0.75), computed with the same arithmetic in
/// the same order, so every result list is identical. Building it is one pass over the corpus
/// text into a few arrays, about a hundred times cheaper than building the FTS5 index was, and
/// a corpus of a few hundred short documents is scanned per query faster than a posting lookup
/// would pay for itself.
/// </summary>
internal sealed class DocumentIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int MaxTerms = 16;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "of", "and", "or", "in", "is", "what", "which", "who", "was", "for", "to", "a", "an", "by", "on", "at", "its", "how", "many", "much",
    };

    private readonly IReadOnlyList<Document> _documents;
    private readonly TokenList _tokens;

    /// <summary>Per document: first title token, first body token, and the end (exclusive).</summary>
    private readonly int[] _titleStart;
    private readonly int[] _bodyStart;
    private readonly int[] _end;
    private readonly double _averageLength;

    public DocumentIndex(IReadOnlyList<Document> documents)
    {
        _documents = documents;
        var n = documents.Count;
        _titleStart = new int[n];
        _bodyStart = new int[n];
        _end = new int[n];
        var characters = 0;
        foreach (var d in documents)
        {
            characters += d.Title.Length + d.Body.Length;
        }

        // Folded ASCII is as long as the text; a token is five characters or more with its separator, on average.
        _tokens = new TokenList(characters, characters / 5);
        for (var d = 0; d < n; d++)
        {
            _titleStart[d] = _tokens.Count;
            Unicode61Tokenizer.Tokenize(documents[d].Title, _tokens);
            _bodyStart[d] = _tokens.Count;
            Unicode61Tokenizer.Tokenize(documents[d].Body, _tokens);
            _end[d] = _tokens.Count;
        }

        _averageLength = n == 0 ? 0 : (double)_tokens.Count / n;
    }

    /// <summary>The documents that match any term of the query, web pages or the others, best first.</summary>
    public List<Document> Search(string query, bool webPages, int limit)
    {
        var results = new List<Document>(limit);
        var terms = Terms(query);
        if (terms.Count == 0 || _documents.Count == 0)
        {
            return results;
        }

        var phrases = new TokenList(query.Length, terms.Count);
        var phraseStart = new int[terms.Count + 1];
        for (var p = 0; p < terms.Count; p++)
        {
            phraseStart[p] = phrases.Count;
            Unicode61Tokenizer.Tokenize(terms[p], phrases);
        }

        phraseStart[terms.Count] = phrases.Count;
        var n = _documents.Count;
        var frequencies = new int[terms.Count * n];
        var matched = new bool[n];
        for (var p = 0; p < terms.Count; p++)
        {
            CountInstances(p, phrases, phraseStart[p], phraseStart[p + 1] - phraseStart[p], frequencies, matched);
        }

        // FTS5's bm25(): IDF from the rows holding each phrase among all rows, floored at 1e-6.
        var idf = new double[terms.Count];
        for (var p = 0; p < terms.Count; p++)
        {
            var hits = 0;
            for (var d = 0; d < n; d++)
            {
                hits += frequencies[(p * n) + d] > 0 ? 1 : 0;
            }

            var nHit = (double)hits;
            idf[p] = Math.Log((n - nHit + 0.5) / (nHit + 0.5));
            if (idf[p] <= 0.0)
            {
                idf[p] = 1e-6;
            }
        }

        var ranked = new List<(double Rank, Document Document)>();
        for (var d = 0; d < n; d++)
        {
            if (!matched[d] || _documents[d].IsWebPage != webPages)
            {
                continue;
            }

            var length = (double)(_end[d] - _titleStart[d]);
            var score = 0.0;
            for (var p = 0; p < terms.Count; p++)
            {
                var f = (double)frequencies[(p * n) + d];
                score += idf[p] * ((f * (K1 + 1.0)) / (f + (K1 * (1 - B + (B * length / _averageLength)))));
            }

            ranked.Add((-1.0 * score, _documents[d]));
        }

        ranked.Sort(static (x, y) => x.Rank != y.Rank ? x.Rank.CompareTo(y.Rank) : CompareAsUtf8(x.Document.Id, y.Document.Id));
        for (var i = 0; i < ranked.Count && i < limit; i++)
        {
            results.Add(ranked[i].Document);
        }

        return results;
    }

    /// <summary>
    /// The agent's text as search terms: runs of letters and digits, lower-cased, longer than one
    /// character and not stop words, the first 16 of them, duplicates removed. Each term is one
    /// FTS5 phrase, so no search syntax from the agent is ever interpreted.
    /// </summary>
    internal static List<string> Terms(string query)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in query + " ")
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(char.ToLowerInvariant(ch));
                continue;
            }

            if (current.Length > 1 && terms.Count < MaxTerms && current.ToString() is var term && !StopWords.Contains(term))
            {
                terms.Add(term);
            }

            current.Clear();
        }

        return terms.Distinct().ToList();
    }

    /// <summary>
    /// Counts, per document, the places phrase p (tokens start..start+length of the phrase list)
    /// occurs within one column: candidates are found by a vectorized search for the hash of its
    /// first token over every token of the corpus, then checked token by token.
    /// </summary>
    private void CountInstances(int p, TokenList phrases, int start, int length, int[] frequencies, bool[] matched)
    {
        if (length == 0)
        {
            return;
        }

        var n = _documents.Count;
        var hashes = _tokens.Hashes;
        var first = phrases.Hashes[start];
        for (var from = 0; from < hashes.Length;)
        {
            var found = hashes[from..].IndexOf(first);
            if (found < 0)
            {
                return;
            }

            var t = from + found;
            from = t + 1;
            var d = DocumentOf(t);
            var columnEnd = t < _bodyStart[d] ? _bodyStart[d] : _end[d];
            if (t + length > columnEnd)
            {
                continue;
            }

            var k = 0;
            while (k < length && _tokens.TokenEquals(t + k, phrases, start + k))
            {
                k++;
            }

            if (k == length)
            {
                frequencies[(p * n) + d]++;
                matched[d] = true;
            }
        }
    }

    /// <summary>The document holding token t: the last one starting at or before it (a document with no tokens starts where the next one does).</summary>
    private int DocumentOf(int t)
    {
        int low = 0, high = _titleStart.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (_titleStart[mid] <= t)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    /// <summary>SQLite's BINARY collation: UTF-8 bytes, i.e. code point order (UTF-16 order differs above U+D7FF).</summary>
    private static int CompareAsUtf8(string x, string y)
    {
        var a = x.EnumerateRunes();
        var b = y.EnumerateRunes();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA.CompareTo(hasB);
            }

            if (a.Current != b.Current)
            {
                return a.Current.Value.CompareTo(b.Current.Value);
            }
        }
    }
}

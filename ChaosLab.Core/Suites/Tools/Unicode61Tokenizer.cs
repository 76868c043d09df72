using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Splits text into tokens exactly as SQLite FTS5's default <c>unicode61</c> tokenizer does
/// (remove_diacritics=1), so the in-process document search ranks exactly as the FTS5 index it
/// replaced. ASCII, which is all a generated world writes, is handled here: letters and digits
/// are token characters, folded to lower case, everything else separates. For any other code
/// point the tokenizer's own answer (a separator, a character it drops, or its folded form) is
/// asked once per process from SQLite's FTS5 itself and cached, so no Unicode table is copied
/// here and none can drift from the one that defined the ranking.
/// </summary>
internal static class Unicode61Tokenizer
{
    /// <summary>Cached folds of non-ASCII code points: a separator, "" (dropped) or the folded text.</summary>
    private static readonly ConcurrentDictionary<int, string?> Folds = new();
    private static readonly Lock ProbeGate = new();
    private static SqliteConnection? _probe;

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>.</summary>
    public static void Tokenize(string text, TokenList tokens)
    {
        if (!Ascii.IsValid(text))
        {
            LearnFolds(text);
        }

        var inToken = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 128)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    if (!inToken)
                    {
                        tokens.Begin();
                        inToken = true;
                    }

                    tokens.Append(char.ToLowerInvariant(c));
                }
                else if (inToken)
                {
                    tokens.End();
                    inToken = false;
                }

                continue;
            }

            // A lone surrogate decodes as U+FFFD, as it reaches SQLite in UTF-8.
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            i += consumed - 1;
            var fold = Folds[rune.Value];
            if (fold is null)
            {
                if (inToken)
                {
                    tokens.End();
                    inToken = false;
                }

                continue;
            }

            if (!inToken)
            {
                // A dropped character (a combining diacritic) continues a token but never starts one.
                if (fold.Length == 0)
                {
                    continue;
                }

                tokens.Begin();
                inToken = true;
            }

            foreach (var ch in fold)
            {
                tokens.Append(ch);
            }
        }

        if (inToken)
        {
            tokens.End();
        }
    }

    /// <summary>Asks FTS5, in one call, how it tokenizes every non-ASCII code point of the text not seen before.</summary>
    private static void LearnFolds(string text)
    {
        List<int>? unknown = null;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!rune.IsAscii && !Folds.ContainsKey(rune.Value))
            {
                (unknown ??= []).Add(rune.Value);
            }
        }

        if (unknown is null)
        {
            return;
        }

        lock (ProbeGate)
        {
            if (_probe is null)
            {
                var connection = new SqliteConnection("Data Source=:memory:");
                connection.Open();
                using var create = connection.CreateCommand();
                create.CommandText = "CREATE VIRTUAL TABLE probe USING fts5(x, tokenize = 'unicode61'); CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, 'instance');";
                create.ExecuteNonQuery();
                _probe = connection;
            }

            // Each code point c is probed as "a{c}b": FTS5 returns "a" and "b" when c separates,
            // "ab" when it drops c, and "a{fold}b" otherwise.
            var distinct = unknown.Distinct().ToList();
            var probeText = new StringBuilder();
            foreach (var value in distinct)
            {
                probeText.Append('a').Append(new Rune(value).ToString()).Append("b ");
            }

            using var command = _probe.CreateCommand();
            command.CommandText = "DELETE FROM probe; INSERT INTO probe (x) VALUES ($t); SELECT term FROM probe_terms ORDER BY offset;";
            command.Parameters.AddWithValue("$t", probeText.ToString());
            using var reader = command.ExecuteReader();
            foreach (var value in distinct)
            {
                reader.Read();
                var term = reader.GetString(0);
                if (term == "a")
                {
                    reader.Read();
                    Folds[value] = null;
                }
                else
                {
                    Folds[value] = term[1..^1];
                }
            }
        }
    }
}

/// <summary>
/// Tokens as folded characters in one buffer, with each token's end and hash: a corpus tokenizes
/// into three arrays instead of one string per token.
/// </summary>
internal sealed class TokenList(int charCapacity, int tokenCapacity)
{
    private char[] _chars = new char[Math.Max(charCapacity, 16)];
    private int[] _ends = new int[Math.Max(tokenCapacity, 4)];
    private int[] _hashes = new int[Math.Max(tokenCapacity, 4)];
    private int _charCount;
    private int _hash;

    public int Count { get; private set; }

    /// <summary>The hashes of the tokens, by index; equal tokens have equal hashes.</summary>
    public ReadOnlySpan<int> Hashes => _hashes.AsSpan(0, Count);

    public ReadOnlySpan<char> Token(int token) => _chars.AsSpan(token == 0 ? 0 : _ends[token - 1], _ends[token] - (token == 0 ? 0 : _ends[token - 1]));

    public bool TokenEquals(int token, TokenList other, int otherToken) =>
        _hashes[token] == other._hashes[otherToken] && Token(token).SequenceEqual(other.Token(otherToken));

    internal void Begin()
    {
        if (Count == _ends.Length)
        {
            Array.Resize(ref _ends, Count * 2);
            Array.Resize(ref _hashes, Count * 2);
        }

        _hash = unchecked((int)2166136261);
    }

    internal void Append(char c)
    {
        if (_charCount == _chars.Length)
        {
            Array.Resize(ref _chars, _chars.Length * 2);
        }

        _chars[_charCount++] = c;
        _hash = unchecked((_hash ^ c) * 16777619);
    }

    internal void End()
    {
        _ends[Count] = _charCount;
        _hashes[Count] = _hash;
        Count++;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using ChaosLab.Core.Suites.Tools;
using CsCheck;
using Microsoft.Data.Sqlite;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>
/// The in-process document search returns exactly what the SQLite FTS5 index it replaced
/// returned: each test builds that index (the old table, tokenizer and query) over the same
/// documents and compares the ordered ids for many corpora and queries.
/// </summary>
public sealed class DocumentSearchTests
{
    private const int Limit = RetrievalTools.SearchResults;

    private static readonly string[] Accented = ["é", "ö", "Å", "ñ", "ç", "ß", "ø", "Ł", "İ", "ı", "ǅ", "Ω", "ж", "ÿ", "ﬁ", "ǘ", "Ǆ", "ẞ"];

    private static readonly string[] Oddities =
    [
        "\u0301", "\u0308", "\u00B2", "\u2163", "\u00BD", "\u3007", "\u0660", "\u05D0", "\u4E2D", "\uE000", "\uFFFD", "\u00AD", "\u200B", "\u02B0",
        "\U0001D400", "\U0001F600", "\U00010400", "\u0903", "\u0E31", "-", "'", "_", "$", "\u00A0", "\u1E9E", "\u2126", "\uD800", "\uDC00x",
    ];

    [Fact]
    public void Search_GeneratedCorpora_RanksAsFts5()
    {
        // CsCheck samples on several threads at once: the cache of built corpora is shared by them.
        var corpora = new ConcurrentDictionary<(int Seed, string Scenario, Snapshot Pages), (DocumentCorpus Corpus, Fts5Reference Reference, string[] Words)>();
        var scenarios = ScenarioCatalog.All.Select(s => s.Id).ToArray();
        var gen =
            from seed in Gen.Int[0, 7]
            from scenario in Gen.Int[0, scenarios.Length - 1]
            from pages in Gen.Bool
            from picks in Gen.Int[0, 10_000].Array[1, 8]
            from decorations in Gen.Int[0, 40].Array[8]
            from web in Gen.Bool
            select (seed, scenarios[scenario], pages ? Snapshot.Previous : Snapshot.Current, picks, decorations, web);

        gen.Sample(
            t =>
            {
                var (seed, scenario, pages, picks, decorations, web) = t;
                var entry = corpora.GetOrAdd((seed, scenario, pages), key =>
                {
                    var instance = ToolsTestKit.Instance(key.Scenario, key.Seed);
                    var corpus = key.Pages == Snapshot.Current
                        ? DocumentCorpus.Build(instance, Snapshot.Current)
                        : DocumentCorpus.Build(instance, Snapshot.Previous, World.PreviousAsOf.AddDays(45));
                    var words = corpus.Documents.SelectMany(d => (d.Title + " " + d.Body).Split([' ', ',', '.', ':', ';', '$', '(', ')'], StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray();
                    return (corpus, new Fts5Reference(corpus.Documents), words);
                });

                var query = Query(entry.Words, picks, decorations);
                return Ids(entry.Corpus.Search(query, web, Limit)).SequenceEqual(entry.Reference.Search(query, web, Limit));
            },
            iter: 3_000,
            print: t => $"seed {t.Item1}, {t.Item2}, {t.Item3}, query '{Query(corpora[(t.Item1, t.Item2, t.Item3)].Words, t.Item4, t.Item5)}', web {t.Item6}");
    }

    [Fact]
    public void Search_UnicodeDocumentsAndQueries_RanksAsFts5()
    {
        // Worlds from scenario files may name things in any script; the tokenizer must split and fold as unicode61 does.
        var alphabet = Gen.OneOf(
            Gen.Char['a', 'e'].Select(c => c.ToString()),
            Gen.Char['A', 'E'].Select(c => c.ToString()),
            Gen.Char['0', '2'].Select(c => c.ToString()),
            Gen.Const(" "),
            Gen.Int[0, Accented.Length - 1].Select(i => Accented[i]),
            Gen.Int[0, Oddities.Length - 1].Select(i => Oddities[i]),
            Gen.Char.Select(c => c.ToString()));
        var text = alphabet.Array[0, 30].Select(parts => string.Concat(parts));
        var document = Gen.Select(text, text, Gen.Bool, Gen.Int[0, 999], (title, body, web, id) => (title, body, web, id));
        var gen = Gen.Select(document.Array[1, 25], text.Array[1, 6], Gen.Bool);

        gen.Sample(
            t =>
            {
                var (docs, queries, web) = t;
                var documents = docs.Select((d, i) => new Document(
                    "doc-" + d.id.ToString(CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture), d.web ? "web_page" : "filing", d.title, "s", new DateOnly(2025, 1, 1), "high", "u", d.body)).ToList();
                var index = new DocumentIndex(documents);
                using var reference = new Fts5Reference(documents);
                return queries.All(q => Ids(index.Search(q, web, Limit)).SequenceEqual(reference.Search(q, web, Limit)));
            },
            iter: 600);
    }

    /// <summary>
    /// Document length decides between two documents that hold the term once: each text here is
    /// one token or several to unicode61, so a tokenizer that counts them differently ranks the
    /// pair the other way round.
    /// </summary>
    [Theory]
    [InlineData("xq \u0301 \u0301 \u0301 \u0301")]
    [InlineData("xq \u0301a \u0301b")]
    [InlineData("xq a\u0301b")]
    [InlineData("xq \uD800 \uDC00 \uFFFD")]
    [InlineData("xq \u00B2 \u2163 \u00BD")]
    [InlineData("xq caf\u00E9 \u00DF \u0130")]
    [InlineData("xq \U0001D400 \U0001F600")]
    [InlineData("xq \u00AD \u200B \u02B0")]
    public void Search_TextsThatTokenizeUnusually_RankAsFts5(string body)
    {
        var documents = new List<Document>
        {
            new("a", "web_page", "", "s", new DateOnly(2025, 1, 1), "high", "u", body),
            new("b", "web_page", "", "s", new DateOnly(2025, 1, 1), "high", "u", "xq y z"),
            new("c", "web_page", "", "s", new DateOnly(2025, 1, 1), "high", "u", "xq y"),
        };
        using var reference = new Fts5Reference(documents);
        Assert.Equal(reference.Search("xq", webPages: true, Limit), Ids(new DocumentIndex(documents).Search("xq", webPages: true, Limit)));
    }

    [Theory]
    [InlineData("population", 1)]
    [InlineData("the of and what", 0)]
    [InlineData("x", 0)]
    [InlineData("Population, POPULATION! population?", 1)]
    public void Terms_DropsStopWordsSingleLettersAndDuplicates(string query, int count) => Assert.Equal(count, DocumentIndex.Terms(query).Count);

    [Fact]
    public void Terms_KeepsTheFirstSixteenWords()
    {
        var words = Enumerable.Range(0, 20).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(words.Take(16), DocumentIndex.Terms(string.Join(' ', words)));
    }

    private static string Query(string[] words, int[] picks, int[] decorations)
    {
        var parts = new List<string>();
        for (var i = 0; i < picks.Length; i++)
        {
            var word = words[picks[i] % words.Length];
            var decoration = decorations[i % decorations.Length];
            parts.Add(decoration switch
            {
                0 => word.ToUpperInvariant(),
                1 => word + Accented[picks[i] % Accented.Length],
                2 => word.Length > 2 ? word[..2] + "é" + word[3..] : word,
                3 => "the",
                4 => word + "-" + words[(picks[i] + 1) % words.Length],
                5 => Oddities[picks[i] % Oddities.Length] + word,
                6 => word.Length > 1 ? word[..^1] : word,
                _ => word,
            });
        }

        return string.Join(decorations[0] % 3 == 0 ? ", " : " ", parts);
    }

    private static IEnumerable<string> Ids(IEnumerable<Document> documents) => documents.Select(d => d.Id);

    /// <summary>The FTS5 table and query the search used before it moved in process.</summary>
    private sealed class Fts5Reference : IDisposable
    {
        private readonly SqliteConnection _connection = new("Data Source=:memory:");

        public Fts5Reference(IEnumerable<Document> documents)
        {
            _connection.Open();
            using var create = _connection.CreateCommand();
            create.CommandText = "CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, web UNINDEXED, title, body, tokenize = 'unicode61')";
            create.ExecuteNonQuery();
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO documents_fts (doc_id, web, title, body) VALUES ($id, $web, $title, $body)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var web = insert.Parameters.Add("$web", SqliteType.Integer);
            var title = insert.Parameters.Add("$title", SqliteType.Text);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            foreach (var d in documents)
            {
                (id.Value, web.Value, title.Value, body.Value) = (d.Id, d.IsWebPage ? 1 : 0, d.Title, d.Body);
                insert.ExecuteNonQuery();
            }
        }

        public List<string> Search(string query, bool webPages, int limit)
        {
            var match = string.Join(" OR ", DocumentIndex.Terms(query).Select(t => "\"" + t + "\""));
            var ids = new List<string>();
            if (match.Length == 0)
            {
                return ids;
            }

            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT doc_id FROM documents_fts WHERE documents_fts MATCH $q AND web = $web ORDER BY rank, doc_id LIMIT $n";
            command.Parameters.AddWithValue("$q", match);
            command.Parameters.AddWithValue("$web", webPages ? 1 : 0);
            command.Parameters.AddWithValue("$n", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }

        public void Dispose() => _connection.Dispose();
    }
}

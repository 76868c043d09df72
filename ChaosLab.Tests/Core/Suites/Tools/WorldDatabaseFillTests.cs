using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>
/// The workspace database fills each world table on the first statement that reads it; an agent
/// must see the same rows, in the same order, whichever statement (or none) came first.
/// </summary>
public sealed class WorldDatabaseFillTests
{
    private static readonly string[] Tables = ["countries", "cities", "companies", "financials", "people", "products", "events", "documents"];

    private static readonly string[] Probes =
    [
        .. Tables.Select(t => $"SELECT * FROM {t}"),
        .. Tables.Select(t => $"SELECT count(*) AS n FROM {t}"),
        "SELECT c.name, ci.name AS city, co.name AS company, f.revenue_usd_billions FROM countries c JOIN cities ci ON ci.country = c.name JOIN companies co ON co.country = c.name JOIN financials f ON f.company = co.name ORDER BY 1, 2, 3, 4",
        "SELECT name FROM countries WHERE name IN (SELECT country FROM cities WHERE is_capital = 0) AND EXISTS (SELECT 1 FROM documents)",
        "WITH p AS (SELECT company, count(*) AS n FROM people GROUP BY company) SELECT products.name, p.n FROM products JOIN p ON p.company = products.company",
        "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM products) AS n",
        "SELECT rowid, id FROM documents ORDER BY rowid DESC LIMIT 3",
    ];

    [Theory]
    [InlineData(Snapshot.Current, 3)]
    [InlineData(Snapshot.Previous, 3)]
    [InlineData(Snapshot.Current, 11)]
    public void Query_AnyOrderOfFirstReads_SameResultsAsEveryTableFilledFirst(Snapshot snapshot, long seed)
    {
        using var fullWorkspace = new Workspace(ToolsTestKit.Instance("W02", seed));
        var full = fullWorkspace.Database(snapshot);
        Assert.Null(full.Query("SELECT 1 FROM " + string.Join(", ", Tables) + " LIMIT 1").Error);
        var expected = Probes.Select(p => Result(full, p)).ToList();

        for (var rotation = 0; rotation < Probes.Length; rotation += 3)
        {
            using var lazyWorkspace = new Workspace(ToolsTestKit.Instance("W02", seed));
            var lazy = lazyWorkspace.Database(snapshot);
            for (var i = 0; i < Probes.Length; i++)
            {
                var p = (i + rotation) % Probes.Length;
                Assert.Equal(expected[p], Result(lazy, Probes[p]));
            }
        }
    }

    [Fact]
    public void Query_CountOfAnUnreadTable_CountsItsRows()
    {
        var instance = ToolsTestKit.Instance("W02", 5);
        using var workspace = new Workspace(instance);
        var result = workspace.Database(Snapshot.Current).Query("SELECT count(*) AS n FROM documents").Result!;
        Assert.Equal(workspace.Corpus(Snapshot.Current).Documents.Count, result["rows"]![0]!["n"]!.GetValue<long>());
    }

    [Fact]
    public void Query_StatementDeniedBeforeAnyTableIsRead_StillDeniedAfterwards()
    {
        using var workspace = new Workspace(ToolsTestKit.Instance("W02", 5));
        var db = workspace.Database(Snapshot.Current);
        Assert.Contains("not authorized", db.Query("DELETE FROM countries").Error, StringComparison.Ordinal);
        Assert.Equal(10, db.Query("SELECT count(*) AS n FROM countries").Result!["rows"]![0]!["n"]!.GetValue<long>());
        Assert.Contains("not authorized", db.Query("DELETE FROM countries").Error, StringComparison.Ordinal);
        Assert.Equal(10, db.Query("SELECT count(*) AS n FROM countries").Result!["rows"]![0]!["n"]!.GetValue<long>());
    }

    [Fact]
    public void Create_AfterEpisodesThatFilledAndWrote_StartsFromAnEmptyDatabaseOfItsOwnWorld()
    {
        // Ended episodes' databases are emptied and reused; nothing of one episode may reach the next.
        for (var episode = 0; episode < 12; episode++)
        {
            var snapshot = episode % 3 == 0 ? Snapshot.Previous : Snapshot.Current;
            using var workspace = new Workspace(ToolsTestKit.Instance("W02", 40 + episode));
            var db = workspace.Database(snapshot);
            Assert.Equal(0, Scalar(db, "SELECT count(*) AS n FROM agent_notes"));
            var documents = workspace.Corpus(snapshot).Documents;
            Assert.Equal(documents.Count, Scalar(db, "SELECT count(*) AS n FROM documents WHERE rowid BETWEEN 1 AND " + documents.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(documents[^1].Id, db.Query("SELECT id FROM documents ORDER BY rowid DESC LIMIT 1").Result!["rows"]![0]!["id"]!.GetValue<string>());
            Assert.Equal(
                string.Join(",", workspace.World.Countries.Select(c => c.Name)),
                db.Query("SELECT group_concat(name) AS names FROM (SELECT name FROM countries ORDER BY rowid)").Result!["rows"]![0]!["names"]!.GetValue<string>());
            Assert.Equal(1, Scalar(db, "SELECT min(rowid) AS n FROM countries"));
            Assert.Null(db.Query("SELECT 1 FROM " + string.Join(", ", Tables) + " LIMIT 1").Error);
            Assert.Null(db.Insert("agent_notes", new System.Text.Json.Nodes.JsonObject { ["key"] = "episode", ["value"] = episode }, DateTimeOffset.UnixEpoch));
            Assert.Equal(1, Scalar(db, "SELECT count(*) AS n FROM agent_notes"));
        }
    }

    private static long Scalar(WorldDatabase db, string sql) => db.Query(sql).Result!["rows"]![0]!["n"]!.GetValue<long>();

    private static string Result(WorldDatabase db, string sql)
    {
        var (result, error) = db.Query(sql);
        Assert.Null(error);
        return result!.ToJsonString();
    }
}

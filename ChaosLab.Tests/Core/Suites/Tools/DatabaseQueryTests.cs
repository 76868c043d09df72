using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using SQLitePCL;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>database_query is read-only by SQLite's own authorizer, one statement, capped in rows, VM steps, value size, memory and SQL shape.</summary>
public sealed class DatabaseQueryTests
{
    private static StepResult Query(string sql) => Query(Clean(), sql);

    private static StepResult Query(ToolsSession session, string sql) => CallTool(session, "database_query", new JsonObject { ["sql"] = sql });

    /// <summary>W02 with no background faults.</summary>
    private static ToolsSession Clean()
    {
        var session = (ToolsSession)Suite.CreateSession();
        var definition = ScenarioCatalog.Find("W02")! with { BadPaths = [], FaultProbability = 0 };
        Assert.True(session.Start(definition, 3, "db").Succeeded);
        return session;
    }

    /// <summary>How far SQLite's heap rose above its level before the query (the database and its documents table, which fill lazily, are built first).</summary>
    private static (StepResult Result, long HeapGrowth) QueryMeasured(string sql)
    {
        var session = Clean();
        Query(session, "SELECT count(*) FROM documents");
        var before = raw.sqlite3_memory_used();
        raw.sqlite3_memory_highwater(1);
        var result = Query(session, sql);
        return (result, raw.sqlite3_memory_highwater(0) - before);
    }

    [Theory]
    [InlineData("INSERT INTO countries (name) VALUES ('X')")]
    [InlineData("UPDATE countries SET population = 1")]
    [InlineData("DELETE FROM countries")]
    [InlineData("DROP TABLE countries")]
    [InlineData("CREATE TABLE t (a)")]
    [InlineData("CREATE TEMP TABLE t (a)")]
    [InlineData("ATTACH DATABASE ':memory:' AS other")]
    [InlineData("PRAGMA user_version = 5")]
    [InlineData("PRAGMA query_only = 0")]
    [InlineData("PRAGMA table_info(countries)")]
    [InlineData("SELECT 1; DROP TABLE countries")]
    [InlineData("SELECT 1; SELECT 2")]
    [InlineData("SELECT random()")]
    [InlineData("SELECT date('now')")]
    [InlineData("VACUUM")]
    [InlineData("SELECT load_extension('x')")]
    public void Query_WriteOrUnsafeStatement_FailsAndDataIntact(string sql)
    {
        var result = Query(sql);
        Assert.Equal("error", result.Observation["status"]!.ToString());
        Assert.Contains("SQL error", result.Observation["result"]!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Query_AfterRejectedWrites_DataUnchanged()
    {
        var session = Clean();
        CallTool(session, "database_query", new JsonObject { ["sql"] = "DELETE FROM countries" });
        CallTool(session, "database_query", new JsonObject { ["sql"] = "SELECT 1; DELETE FROM countries" });
        var count = CallTool(session, "database_query", new JsonObject { ["sql"] = "SELECT count(*) AS n FROM countries" });
        Assert.Equal(10, count.Observation["result"]!["rows"]![0]!["n"]!.GetValue<long>());
    }

    [Fact]
    public void Query_Select_ReturnsRowsAsObjects()
    {
        var result = Query("SELECT name, population FROM countries ORDER BY name LIMIT 3");
        Assert.Equal("ok", result.Observation["status"]!.ToString());
        var rows = result.Observation["result"]!["rows"]!.AsArray();
        Assert.Equal(3, rows.Count);
        Assert.NotNull(rows[0]!["population"]);
    }

    [Fact]
    public void Query_ManyRows_CappedAt50()
    {
        var result = Query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500) SELECT x FROM c");
        Assert.Equal(50, result.Observation["result"]!["row_count"]!.GetValue<int>());
        Assert.True(result.Observation["result"]!["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public void Query_Runaway_InterruptedByStepBudget()
    {
        var result = Query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c");
        Assert.Equal("error", result.Observation["status"]!.ToString());
        Assert.Contains("work limit", result.Observation["result"]!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Query_Schema_HasNoAnswerKeyColumns()
    {
        var result = Query("SELECT group_concat(sql, ' ') AS ddl FROM sqlite_master");
        var ddl = result.Observation["result"]!["rows"]![0]!["ddl"]!.ToString().ToLowerInvariant();
        Assert.DoesNotContain("accurate", ddl, StringComparison.Ordinal);
        Assert.DoesNotContain("verdict", ddl, StringComparison.Ordinal);
        Assert.DoesNotContain("expected", ddl, StringComparison.Ordinal);
    }

    [Fact]
    public void DatabaseInsert_AgentNotesAllowed_WorldTablesDenied()
    {
        var (session, _) = Start("W01", 8);
        var ok = CallTool(session, "database_insert", new JsonObject { ["table"] = "agent_notes", ["data"] = new JsonObject { ["key"] = "a", ["value"] = "b" } });
        var denied = CallTool(session, "database_insert", new JsonObject { ["table"] = "countries", ["data"] = new JsonObject { ["key"] = "a" } });
        Assert.True(ok.Observation["status"]!.ToString() == "ok" || ok.Record.Faults.Any(f => f.Fired));
        Assert.Equal("error", denied.Observation["status"]!.ToString());
    }

    private static string Message(StepResult result) => result.Observation["result"]!["message"]?.ToString() ?? "";

    [Theory]
    [InlineData("SELECT length(replace(hex(zeroblob(400000000)),'00','ab'))")]
    [InlineData("SELECT printf('%.*c', 1e9, 'x')")]
    [InlineData("SELECT length(group_concat(hex(zeroblob(10000)))) FROM documents a, documents b")]
    public void Query_BuiltInBuildsHugeValue_SizeLimitErrorWithoutGrowingTheHeap(string sql)
    {
        var (result, heapGrowth) = QueryMeasured(sql);
        Assert.Equal("error", result.Observation["status"]!.ToString());
        Assert.Contains("size limit", Message(result), StringComparison.Ordinal);

        // Loose on purpose (other tests use SQLite in parallel): without the limit these allocate gigabytes.
        Assert.InRange(heapGrowth, long.MinValue, 256L * 1024 * 1024);
    }

    [Fact]
    public void Query_SortOfManyLargeValues_MemoryLimitErrorWithoutGrowingTheHeap()
    {
        var (result, heapGrowth) = QueryMeasured("SELECT hex(zeroblob(60000)) FROM documents a, documents b ORDER BY 1");
        Assert.Equal("error", result.Observation["status"]!.ToString());
        Assert.Contains("memory limit", Message(result), StringComparison.Ordinal);
        Assert.InRange(heapGrowth, long.MinValue, 256L * 1024 * 1024);
    }

    [Fact]
    public void Query_LargestWorldValue_FarBelowTheSizeLimit()
    {
        var result = Query("SELECT max(length(CAST(body AS BLOB))) AS longest FROM documents");
        Assert.InRange(result.Observation["result"]!["rows"]![0]!["longest"]!.GetValue<long>(), 1, SqlLimits.MaxValueBytes / 8);
    }

    [Fact]
    public void Query_WideButSensibleJoin_StillAnswered()
    {
        var result = Query("SELECT c.name, c.population, co.name AS company, f.revenue_usd_billions FROM countries c JOIN companies co ON co.country = c.name JOIN financials f ON f.company = co.name ORDER BY f.revenue_usd_billions DESC LIMIT 5");
        Assert.Equal("ok", result.Observation["status"]!.ToString());
        Assert.Equal(5, result.Observation["result"]!["row_count"]!.GetValue<int>());
    }

    public static TheoryData<string> OverlongShapes => new()
    {
        string.Join(" UNION ALL ", Enumerable.Range(0, SqlLimits.MaxCompoundSelects + 1).Select(i => "SELECT " + i)),
        "SELECT " + string.Join(", ", Enumerable.Range(0, SqlLimits.MaxColumns + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        "SELECT 1" + string.Concat(Enumerable.Repeat(" + 1", SqlLimits.MaxExpressionDepth + 1)),
        "SELECT max(" + string.Join(", ", Enumerable.Range(0, SqlLimits.MaxFunctionArguments + 1)) + ")",
        "SELECT name FROM countries WHERE name LIKE '" + new string('%', SqlLimits.MaxLikePatternBytes + 1) + "'",
    };

    [Theory]
    [MemberData(nameof(OverlongShapes))]
    public void Query_BeyondAShapeLimit_SqlError(string sql)
    {
        var result = Query(sql);
        Assert.Equal("error", result.Observation["status"]!.ToString());
        Assert.StartsWith("SQL error", Message(result), StringComparison.Ordinal);
    }
}

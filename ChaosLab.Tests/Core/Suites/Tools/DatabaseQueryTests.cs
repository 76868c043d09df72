using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>database_query is read-only by SQLite's own authorizer, one statement, capped in rows and VM steps.</summary>
public sealed class DatabaseQueryTests
{
    private static StepResult Query(string sql)
    {
        // Scenario with no background faults: a custom definition of W01 with probability 0.
        var session = (ChaosLab.Core.Suites.Tools.ToolsSession)Suite.CreateSession();
        var definition = ChaosLab.Core.Suites.Tools.ScenarioCatalog.Find("W02")! with { BadPaths = [], FaultProbability = 0 };
        Assert.True(session.Start(definition, 3, "db").Succeeded);
        return CallTool(session, "database_query", new JsonObject { ["sql"] = sql });
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
        var session = (ChaosLab.Core.Suites.Tools.ToolsSession)Suite.CreateSession();
        var definition = ChaosLab.Core.Suites.Tools.ScenarioCatalog.Find("W02")! with { BadPaths = [], FaultProbability = 0 };
        session.Start(definition, 3, "db");
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
        Assert.Contains("time limit", result.Observation["result"]!["message"]!.ToString(), StringComparison.Ordinal);
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
}

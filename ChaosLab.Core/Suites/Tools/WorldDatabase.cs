using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The workspace's SQLite database (private, in memory): the world's tables, the
/// documents (searched in process by <see cref="DocumentIndex"/>), and one writable table for agents. Agent SQL runs under an
/// authorizer that admits only reads (SQLite itself refuses writes, PRAGMA, ATTACH, DDL at
/// prepare time), must be exactly one statement that SQLite reports as read-only, returns at
/// most <see cref="RowCap"/> rows, runs under <see cref="SqlLimits"/>, and is interrupted when
/// it exhausts its <see cref="QueryBudget"/> (VM steps first; memory and wall time as safety
/// nets). Every limit comes back to the agent as an error, never as an exception. Never holds an
/// answer-key column.
/// </summary>
internal sealed class WorldDatabase : IDisposable
{
    public const int RowCap = 50;
    public const int MaxCellLength = 400;

    public static IReadOnlyList<string> WritableTables { get; } = ["agent_notes"];

    private const string Schema = """
        CREATE TABLE countries (name TEXT PRIMARY KEY, capital TEXT, region TEXT, currency TEXT, population INTEGER, area_km2 INTEGER, gdp_usd_billions REAL, gdp_per_capita_usd INTEGER, as_of TEXT);
        CREATE TABLE cities (name TEXT PRIMARY KEY, country TEXT, population INTEGER, is_capital INTEGER);
        CREATE TABLE companies (name TEXT PRIMARY KEY, sector TEXT, headquarters_city TEXT, country TEXT, ceo TEXT, founded INTEGER, as_of TEXT);
        CREATE TABLE financials (company TEXT, fiscal_year INTEGER, revenue_usd_billions REAL, net_income_usd_billions REAL, employees INTEGER, reported_on TEXT);
        CREATE TABLE people (name TEXT, role TEXT, company TEXT, since INTEGER);
        CREATE TABLE products (name TEXT PRIMARY KEY, company TEXT, category TEXT, launch_date TEXT, as_of TEXT);
        CREATE TABLE events (name TEXT PRIMARY KEY, city TEXT, kind TEXT, date TEXT, as_of TEXT);
        CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT, title TEXT, source TEXT, published TEXT, reliability TEXT, url TEXT, body TEXT);
        CREATE TABLE agent_notes (key TEXT, value TEXT, created_at TEXT);
        """;

    private readonly SqliteConnection _connection;
    private readonly delegate_authorizer _authorizer;
    private readonly delegate_progress _progress;
    private readonly QueryBudget _budget = new(TimeProvider.System);
    private bool _agentQuery;

    private WorldDatabase(SqliteConnection connection)
    {
        _connection = connection;
        _authorizer = Authorize;
        _progress = Progress;
        var db = connection.Handle!;
        raw.sqlite3_set_authorizer(db, _authorizer, null);
        raw.sqlite3_progress_handler(db, QueryBudget.CheckInterval, _progress, null);
        SqlLimits.Apply(db);
    }

    public static WorldDatabase Create(World world, Snapshot snapshot, DocumentCorpus corpus)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var schema = connection.CreateCommand())
        {
            // Sorts and temporary tables stay in SQLite's heap, where the memory budget sees them, instead of spilling to disk.
            schema.CommandText = "PRAGMA temp_store = MEMORY;" + Schema;
            schema.ExecuteNonQuery();
        }

        using (var tx = connection.BeginTransaction())
        {
            var asOf = Render.Date(World.AsOf(snapshot));
            Insert(connection, "countries", world.Countries.Select(c => new object?[] { c.Name, c.Capital, c.Region, c.Currency, c.PopulationAt(snapshot), c.AreaKm2, c.GdpAt(snapshot), c.GdpPerCapitaAt(snapshot), asOf }));
            Insert(connection, "cities", world.Cities.Select(c => new object?[] { c.Name, c.Country, c.Population, c.IsCapital ? 1 : 0 }));
            Insert(connection, "companies", world.Companies.Select(c => new object?[] { c.Name, c.Sector, c.HeadquartersCity, c.Country, c.CeoAt(snapshot), c.Founded, asOf }));
            var years = snapshot == Snapshot.Current ? new[] { Snapshot.Previous, Snapshot.Current } : [Snapshot.Previous];
            Insert(connection, "financials", world.Companies.SelectMany(c => years.Select(y => new object?[] { c.Name, World.Year(y), c.RevenueAt(y), c.NetIncomeAt(y), c.EmployeesAt(y), Render.Date(new DateOnly(World.Year(y) + 1, 2, 13)) })));
            Insert(connection, "people", world.People.Where(p => snapshot == Snapshot.Current || p.Since < World.CurrentYear).Select(p => new object?[] { p.Name, snapshot == Snapshot.Previous ? "Chief Executive Officer" : p.Role, p.Company, p.Since }));
            Insert(connection, "products", world.Products.Select(p => new object?[] { p.Name, p.Company, p.Category, Render.Date(p.LaunchAt(snapshot)), asOf }));
            Insert(connection, "events", world.Events.Select(e => new object?[] { e.Name, e.City, e.Kind, Render.Date(e.DateAt(snapshot)), asOf }));
            Insert(connection, "documents", corpus.Documents.Select(d => new object?[] { d.Id, d.Kind, d.Title, d.Source, Render.Date(d.Published), d.Reliability, d.Url, d.Body }));
            tx.Commit();
        }

        return new WorldDatabase(connection);
    }

    private static void Insert(SqliteConnection connection, string table, IEnumerable<object?[]> rows)
    {
        using var command = connection.CreateCommand();
        SqliteParameter[]? parameters = null;
        foreach (var row in rows)
        {
            if (parameters is null)
            {
                parameters = new SqliteParameter[row.Length];
                var names = new StringBuilder();
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i] = command.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text);
                    names.Append(i == 0 ? "" : ",").Append("$p").Append(i);
                }

                command.CommandText = $"INSERT INTO {table} VALUES ({names})";
                command.Prepare();
            }

            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].SqliteType = row[i] switch { long or int => SqliteType.Integer, double => SqliteType.Real, _ => SqliteType.Text };
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }
    }

    /// <summary>Runs one read-only statement for an agent. Errors come back as the message SQLite gave.</summary>
    public (JsonObject? Result, string? Error) Query(string sql)
    {
        if (sql.Contains("'now'", StringComparison.OrdinalIgnoreCase) || sql.Contains("current_", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "SQL error: the database has no clock ('now', CURRENT_DATE, CURRENT_TIMESTAMP); use get_current_datetime");
        }

        var db = _connection.Handle!;
        _agentQuery = true;
        _budget.Start();
        try
        {
            var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt, out string tail);
            using (stmt)
            {
                if (rc != raw.SQLITE_OK)
                {
                    return (null, "SQL error: " + raw.sqlite3_errmsg(db).utf8_to_string());
                }

                if (stmt.IsInvalid)
                {
                    return (null, "SQL error: empty statement");
                }

                if (tail.Trim().Trim(';').Trim().Length > 0)
                {
                    return (null, "SQL error: exactly one statement is allowed per query");
                }

                if (raw.sqlite3_stmt_readonly(stmt) == 0)
                {
                    return (null, "SQL error: the database is read-only (use database_insert for the agent_notes table)");
                }

                var columns = new JsonArray();
                var count = raw.sqlite3_column_count(stmt);
                var names = new string[count];
                for (var i = 0; i < count; i++)
                {
                    names[i] = raw.sqlite3_column_name(stmt, i).utf8_to_string();
                    columns.Add(names[i]);
                }

                var rows = new JsonArray();
                var truncated = false;
                while (true)
                {
                    rc = raw.sqlite3_step(stmt);
                    if (rc == raw.SQLITE_DONE)
                    {
                        break;
                    }

                    if (rc != raw.SQLITE_ROW)
                    {
                        return (null, "SQL error: " + StepError(rc, db));
                    }

                    if (rows.Count == RowCap)
                    {
                        truncated = true;
                        break;
                    }

                    var row = new JsonObject();
                    for (var i = 0; i < count; i++)
                    {
                        row[UniqueName(row, names[i])] = raw.sqlite3_column_type(stmt, i) switch
                        {
                            raw.SQLITE_INTEGER => JsonValue.Create(raw.sqlite3_column_int64(stmt, i)),
                            raw.SQLITE_FLOAT => JsonValue.Create(raw.sqlite3_column_double(stmt, i)),
                            raw.SQLITE_NULL => null,
                            _ => JsonValue.Create(Cap(raw.sqlite3_column_text(stmt, i).utf8_to_string())),
                        };
                    }

                    rows.Add(row);
                }

                return (new JsonObject { ["columns"] = columns, ["rows"] = rows, ["row_count"] = rows.Count, ["truncated"] = truncated }, null);
            }
        }
        finally
        {
            _agentQuery = false;
        }
    }

    /// <summary>Inserts one row into a writable table; returns an error message or null.</summary>
    public string? Insert(string table, JsonObject data, DateTimeOffset now)
    {
        if (!WritableTables.Contains(table))
        {
            return $"permission denied for table {table}: agents may insert only into {string.Join(", ", WritableTables)}";
        }

        var allowed = new[] { "key", "value" };
        var unknown = data.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            return $"table {table} has no column(s) {string.Join(", ", unknown)} (columns: key, value)";
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO agent_notes (key, value, created_at) VALUES ($k, $v, $t)";
        command.Parameters.AddWithValue("$k", Text(data["key"]));
        command.Parameters.AddWithValue("$v", Text(data["value"]));
        command.Parameters.AddWithValue("$t", WireTime.ToWire(now));
        command.ExecuteNonQuery();
        return null;
    }

    public void Dispose()
    {
        _connection.Dispose();
    }

    private static string Text(JsonNode? node) => node is null ? "" : node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    private static string Cap(string text) => text.Length <= MaxCellLength ? text : text[..MaxCellLength] + "...";

    private static string UniqueName(JsonObject row, string name)
    {
        var candidate = name;
        for (var i = 2; row.ContainsKey(candidate); i++)
        {
            candidate = name + "_" + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private int Authorize(object userData, int actionCode, utf8z param0, utf8z param1, utf8z dbName, utf8z trigger)
    {
        if (!_agentQuery)
        {
            return raw.SQLITE_OK;
        }

        if (actionCode == raw.SQLITE_FUNCTION)
        {
            // Results must not depend on anything but the world: no randomness.
            var name = param1.utf8_to_string();
            return name is "random" or "randomblob" ? raw.SQLITE_DENY : raw.SQLITE_OK;
        }

        return actionCode is raw.SQLITE_SELECT or raw.SQLITE_READ or raw.SQLITE_RECURSIVE ? raw.SQLITE_OK : raw.SQLITE_DENY;
    }

    private int Progress(object userData) => _budget.Check() ? 1 : 0;

    private string StepError(int rc, sqlite3 db) => rc switch
    {
        raw.SQLITE_INTERRUPT => _budget.Exceeded switch
        {
            QueryLimit.Memory => $"query exceeded the memory limit ({QueryBudget.MemoryBudgetBytes / (1024 * 1024)} MiB); select fewer or smaller values",
            QueryLimit.Time => $"query exceeded the time limit ({QueryBudget.WallClockBudget.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s); add a WHERE clause or a LIMIT",
            _ => $"query exceeded the work limit ({(QueryBudget.StepBudget * QueryBudget.CheckInterval).ToString("N0", CultureInfo.InvariantCulture)} steps); add a WHERE clause or a LIMIT",
        },
        raw.SQLITE_TOOBIG => $"a value exceeded the size limit ({SqlLimits.MaxValueBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)",
        raw.SQLITE_NOMEM => "query exceeded the memory limit",
        _ => raw.sqlite3_errmsg(db).utf8_to_string(),
    };
}

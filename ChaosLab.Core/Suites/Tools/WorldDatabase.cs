using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
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

    /// <summary>Every table but agent_notes, which starts empty; each is filled on the first statement that reads it.</summary>
    private static readonly string[] WorldTables = ["countries", "cities", "companies", "financials", "people", "products", "events", "documents"];

    /// <summary>The empty database with its schema, serialized once per process: a new connection copies it instead of running the DDL.</summary>
    private static readonly Lazy<byte[]> Template = new(SerializeTemplate);

    /// <summary>
    /// Databases of finished episodes, emptied, ready for the next: reusing one skips opening a
    /// connection, loading the schema and preparing the inserts. Bounded, so a burst of ended
    /// episodes does not pin memory.
    /// </summary>
    private static readonly ConcurrentStack<WorldDatabase> Idle = new();
    private const int MaxIdle = 32;

    private readonly sqlite3 _db;
    private readonly Dictionary<string, RowInserter> _inserters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unfilled = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _unfilledReads = [];
    private readonly delegate_authorizer _authorizer;
    private readonly delegate_progress _progress;
    private readonly QueryBudget _budget = new(TimeProvider.System);
    private bool _agentQuery;
    private World _world = null!;
    private Snapshot _snapshot;
    private Func<DocumentCorpus> _corpus = null!;
    private bool _inUse;

    private WorldDatabase(sqlite3 db)
    {
        _db = db;
        _authorizer = Authorize;
        _progress = Progress;
        raw.sqlite3_set_authorizer(db, _authorizer, null);
        raw.sqlite3_progress_handler(db, QueryBudget.CheckInterval, _progress, null);
        SqlLimits.Apply(db);
    }

    /// <summary>
    /// The database of one world snapshot: the schema comes from the process's template (or an
    /// idle database of an ended episode, emptied) and every world table is filled when a
    /// statement first reads it (SQLite names each table a statement reads to the authorizer
    /// while preparing it), so a query pays only for the tables it reads and the corpus is
    /// rendered only if the documents table is read. A table's rows and their order are the same
    /// whenever it is filled, so the agent cannot tell.
    /// </summary>
    public static WorldDatabase Create(World world, Snapshot snapshot, Func<DocumentCorpus> corpus)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (!Idle.TryPop(out var database))
        {
            var db = OpenFromTemplate();
            // Sorts and temporary tables stay in SQLite's heap, where the memory budget sees them, instead of spilling to disk.
            Execute(db, "PRAGMA temp_store = MEMORY");
            database = new WorldDatabase(db);
        }

        database._world = world;
        database._snapshot = snapshot;
        database._corpus = corpus;
        database._unfilled.UnionWith(WorldTables);
        database._inUse = true;
        return database;
    }

    private static byte[] SerializeTemplate()
    {
        Batteries_V2.Init();
        Check(raw.sqlite3_open(":memory:", out var db), db);
        using (db)
        {
            Execute(db, Schema);
            var image = raw.sqlite3_serialize(db, "main", out var size, 0);
            try
            {
                var bytes = new byte[size];
                Marshal.Copy(image, bytes, 0, (int)size);
                return bytes;
            }
            finally
            {
                raw.sqlite3_free(image);
            }
        }
    }

    private static sqlite3 OpenFromTemplate()
    {
        var template = Template.Value;
        Check(raw.sqlite3_open(":memory:", out var db), db);
        // SQLite owns the copy (FREEONCLOSE) and may grow it (RESIZEABLE) as the episode's tables fill.
        var image = raw.sqlite3_malloc64(template.Length);
        if (image == IntPtr.Zero)
        {
            db.Dispose();
            throw new InvalidOperationException("workspace database: SQLite could not allocate the template copy");
        }

        Marshal.Copy(template, 0, image, template.Length);
        Check(raw.sqlite3_deserialize(db, "main", image, template.Length, template.Length, raw.SQLITE_DESERIALIZE_FREEONCLOSE | raw.SQLITE_DESERIALIZE_RESIZEABLE), db);
        return db;
    }

    /// <summary>Fills the world tables a statement is about to read that are still empty.</summary>
    private void Fill(List<string> tables)
    {
        var s = _snapshot;
        var asOf = Render.Date(World.AsOf(s));
        Execute(_db, "BEGIN");
        foreach (var table in tables)
        {
            if (!_unfilled.Remove(table))
            {
                continue;
            }

            switch (table.ToLowerInvariant())
            {
                case "countries":
                    foreach (var c in _world.Countries)
                    {
                        Inserter("countries", 9).Text(c.Name).Text(c.Capital).Text(c.Region).Text(c.Currency).Integer(c.PopulationAt(s)).Integer(c.AreaKm2).Real(c.GdpAt(s)).Integer(c.GdpPerCapitaAt(s)).Text(asOf).Insert();
                    }

                    break;
                case "cities":
                    foreach (var c in _world.Cities)
                    {
                        Inserter("cities", 4).Text(c.Name).Text(c.Country).Integer(c.Population).Integer(c.IsCapital ? 1 : 0).Insert();
                    }

                    break;
                case "companies":
                    foreach (var c in _world.Companies)
                    {
                        Inserter("companies", 7).Text(c.Name).Text(c.Sector).Text(c.HeadquartersCity).Text(c.Country).Text(c.CeoAt(s)).Integer(c.Founded).Text(asOf).Insert();
                    }

                    break;
                case "financials":
                    var years = s == Snapshot.Current ? new[] { Snapshot.Previous, Snapshot.Current } : [Snapshot.Previous];
                    foreach (var c in _world.Companies)
                    {
                        foreach (var y in years)
                        {
                            Inserter("financials", 6).Text(c.Name).Integer(World.Year(y)).Real(c.RevenueAt(y)).Real(c.NetIncomeAt(y)).Integer(c.EmployeesAt(y)).Text(Render.Date(new DateOnly(World.Year(y) + 1, 2, 13))).Insert();
                        }
                    }

                    break;
                case "people":
                    foreach (var p in _world.People)
                    {
                        if (s == Snapshot.Current || p.Since < World.CurrentYear)
                        {
                            Inserter("people", 4).Text(p.Name).Text(s == Snapshot.Previous ? "Chief Executive Officer" : p.Role).Text(p.Company).Integer(p.Since).Insert();
                        }
                    }

                    break;
                case "products":
                    foreach (var p in _world.Products)
                    {
                        Inserter("products", 5).Text(p.Name).Text(p.Company).Text(p.Category).Text(Render.Date(p.LaunchAt(s))).Text(asOf).Insert();
                    }

                    break;
                case "events":
                    foreach (var e in _world.Events)
                    {
                        Inserter("events", 5).Text(e.Name).Text(e.City).Text(e.Kind).Text(Render.Date(e.DateAt(s))).Text(asOf).Insert();
                    }

                    break;
                default:
                    foreach (var d in _corpus().Documents)
                    {
                        Inserter("documents", 8).Text(d.Id).Text(d.Kind).Text(d.Title).Text(d.Source).Text(Render.Date(d.Published)).Text(d.Reliability).Text(d.Url).Text(d.Body).Insert();
                    }

                    break;
            }
        }

        Execute(_db, "COMMIT");
    }

    /// <summary>The table's prepared INSERT, kept with the connection for every later episode that reuses it.</summary>
    private RowInserter Inserter(string table, int columns)
    {
        if (!_inserters.TryGetValue(table, out var inserter))
        {
            inserter = new RowInserter(_db, table, columns);
            _inserters[table] = inserter;
        }

        return inserter;
    }

    private static void Execute(sqlite3 db, string sql) => Check(raw.sqlite3_exec(db, sql), db);

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException("workspace database: " + raw.sqlite3_errmsg(db).utf8_to_string());
        }
    }

    /// <summary>One prepared INSERT for a table, its values bound in column order, reused for every row.</summary>
    private sealed class RowInserter : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private int _column;

        public RowInserter(sqlite3 db, string table, int columns)
        {
            _db = db;
            var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" VALUES (?");
            for (var i = 1; i < columns; i++)
            {
                sql.Append(",?");
            }

            Check(raw.sqlite3_prepare_v2(db, sql.Append(')').ToString(), out _statement), db);
        }

        public RowInserter Text(string value)
        {
            raw.sqlite3_bind_text(_statement, ++_column, value);
            return this;
        }

        public RowInserter Integer(long value)
        {
            raw.sqlite3_bind_int64(_statement, ++_column, value);
            return this;
        }

        public RowInserter Real(double value)
        {
            raw.sqlite3_bind_double(_statement, ++_column, value);
            return this;
        }

        public void Insert()
        {
            if (raw.sqlite3_step(_statement) != raw.SQLITE_DONE)
            {
                throw new InvalidOperationException("workspace database: " + raw.sqlite3_errmsg(_db).utf8_to_string());
            }

            raw.sqlite3_reset(_statement);
            _column = 0;
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>Runs one read-only statement for an agent. Errors come back as the message SQLite gave.</summary>
    public (JsonObject? Result, string? Error) Query(string sql)
    {
        if (sql.Contains("'now'", StringComparison.OrdinalIgnoreCase) || sql.Contains("current_", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "SQL error: the database has no clock ('now', CURRENT_DATE, CURRENT_TIMESTAMP); use get_current_datetime");
        }

        var db = _db;
        _agentQuery = true;
        _budget.Start();
        try
        {
            var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt, out string tail);
            if (rc == raw.SQLITE_OK && _unfilledReads.Count > 0)
            {
                // The statement reads tables not filled yet: fill them (as the engine, not the agent) and prepare it again.
                stmt.Dispose();
                _agentQuery = false;
                Fill(_unfilledReads);
                _agentQuery = true;
                _unfilledReads.Clear();
                _budget.Start();
                rc = raw.sqlite3_prepare_v2(db, sql, out stmt, out tail);
            }

            _unfilledReads.Clear();
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

        var rc = raw.sqlite3_prepare_v2(_db, "INSERT INTO agent_notes (key, value, created_at) VALUES (?, ?, ?)", out var statement);
        using (statement)
        {
            Check(rc, _db);
            raw.sqlite3_bind_text(statement, 1, Text(data["key"]));
            raw.sqlite3_bind_text(statement, 2, Text(data["value"]));
            raw.sqlite3_bind_text(statement, 3, WireTime.ToWire(now));
            if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
            {
                return "SQL error: " + raw.sqlite3_errmsg(_db).utf8_to_string();
            }
        }

        return null;
    }

    /// <summary>
    /// Ends the episode's use of the database: emptied (every world table it filled and
    /// agent_notes), it waits for the next episode, or is closed when enough already wait.
    /// </summary>
    public void Dispose()
    {
        if (!_inUse)
        {
            return;
        }

        _inUse = false;
        _world = null!;
        _corpus = null!;
        _agentQuery = false;
        var empty = string.Concat(WorldTables.Where(t => !_unfilled.Contains(t)).Append("agent_notes").Select(t => "DELETE FROM " + t + ";"));
        _unfilled.Clear();
        if (Idle.Count < MaxIdle && raw.sqlite3_get_autocommit(_db) != 0 && raw.sqlite3_exec(_db, empty) == raw.SQLITE_OK)
        {
            Idle.Push(this);
            return;
        }

        foreach (var inserter in _inserters.Values)
        {
            inserter.Dispose();
        }

        _db.Dispose();
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

        if (actionCode == raw.SQLITE_READ && _unfilled.Count > 0 && param0.utf8_to_string() is var table && _unfilled.Contains(table) && !_unfilledReads.Contains(table))
        {
            _unfilledReads.Add(table);
        }

        if (actionCode == raw.SQLITE_FUNCTION)
        {
            // Results must not depend on anything but the world: no randomness.
            var name = param1.utf8_to_string();
            return name is "random" or "randomblob" ? raw.SQLITE_DENY : raw.SQLITE_OK;
        }

        return actionCode is raw.SQLITE_SELECT or raw.SQLITE_READ or raw.SQLITE_RECURSIVE ? raw.SQLITE_OK : raw.SQLITE_DENY;
    }

    private int Progress(object userData) => _agentQuery && _budget.Check() ? 1 : 0;

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

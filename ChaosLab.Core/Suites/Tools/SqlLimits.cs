using SQLitePCL;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// SQLite's own per-connection limits on the workspace database, well below its defaults and well
/// above anything the world or a sensible query needs. They bound what one statement can build
/// (SQLite checks them while preparing or as a value grows), where the VM-step budget cannot:
/// <c>zeroblob(400000000)</c> or <c>printf('%.*c', 1e9, 'x')</c> is one step.
/// </summary>
internal static class SqlLimits
{
    /// <summary>Largest string, blob or row: the longest world value (a document body) is a few KiB.</summary>
    public const int MaxValueBytes = 256 * 1024;

    /// <summary>Longest SQL text in bytes (the tool takes at most 2,000 characters).</summary>
    public const int MaxSqlBytes = 8_000;

    /// <summary>Result columns, and terms in GROUP BY / ORDER BY (the widest table has 9 columns).</summary>
    public const int MaxColumns = 100;

    /// <summary>SELECTs joined by UNION, INTERSECT or EXCEPT.</summary>
    public const int MaxCompoundSelects = 20;

    public const int MaxExpressionDepth = 100;

    public const int MaxLikePatternBytes = 200;

    public const int MaxFunctionArguments = 16;

    /// <summary>Size of one prepared program, in VM instructions.</summary>
    public const int MaxProgramOps = 25_000;

    public static void Apply(sqlite3 db)
    {
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_ATTACHED, 0);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_LENGTH, MaxValueBytes);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_SQL_LENGTH, MaxSqlBytes);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_COLUMN, MaxColumns);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_COMPOUND_SELECT, MaxCompoundSelects);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_EXPR_DEPTH, MaxExpressionDepth);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MaxLikePatternBytes);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_FUNCTION_ARG, MaxFunctionArguments);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_VDBE_OP, MaxProgramOps);
    }
}

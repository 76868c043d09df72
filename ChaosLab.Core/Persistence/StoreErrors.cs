using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChaosLab.Core.Persistence;

/// <summary>What a store failure means, whichever engine raised it.</summary>
internal static class StoreErrors
{
    /// <summary>
    /// The store refused the data itself (a unique, foreign-key, not-null or check constraint):
    /// retrying the same write can never succeed. SQLite's SQLITE_CONSTRAINT, PostgreSQL's
    /// SQLSTATE class 23 (integrity constraint violation).
    /// </summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT,
        PostgresException postgres => postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };
}

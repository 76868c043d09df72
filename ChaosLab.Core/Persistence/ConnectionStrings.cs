using Microsoft.Data.Sqlite;

namespace ChaosLab.Core.Persistence;

internal static class ConnectionStrings
{
    public static string ReadWriteCreate(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static string ReadOnly(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadOnly,
        // A refused file must stay byte-for-byte as it was: no pooled handle left open on it.
        Pooling = false,
    }.ToString();
}

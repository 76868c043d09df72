using Microsoft.Data.Sqlite;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>Raw SQL against a database file, for tests that check what is really on disk.</summary>
public sealed class SqliteFile(string path)
{
    public string Path { get; } = path;

    public async Task ExecuteAsync(string sql)
    {
        await using var command = await CommandAsync(sql);
        await command.ExecuteNonQueryAsync();
        await command.Connection!.DisposeAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = await CommandAsync(sql);
        var value = (T)(await command.ExecuteScalarAsync())!;
        await command.Connection!.DisposeAsync();
        return value;
    }

    /// <summary>One column of every row, as text.</summary>
    public async Task<List<string>> QueryAsync(string sql, int column = 0)
    {
        await using var command = await CommandAsync(sql);
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(column));
            }
        }

        await command.Connection!.DisposeAsync();
        return rows;
    }

    /// <summary>
    /// Takes the database's write lock until disposed, as a backup or an sqlite3 shell can: every
    /// other writer waits (up to its busy timeout) while readers go on.
    /// </summary>
    public async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        await connection.OpenAsync();
        return new WriteLock(connection, connection.BeginTransaction(deferred: false));
    }

    /// <summary>
    /// <c>PRAGMA integrity_check</c> over a read-only connection, so the check cannot repair or
    /// checkpoint what it is judging; "ok" when the file is sound.
    /// </summary>
    public async Task<string> IntegrityCheckAsync()
    {
        var readOnly = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(readOnly.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return string.Join('\n', rows);
    }

    private async Task<SqliteCommand> CommandAsync(string sql)
    {
        var connection = new SqliteConnection($"Data Source={Path}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>An open <c>BEGIN IMMEDIATE</c> transaction; disposing rolls it back, which releases the lock.</summary>
    private sealed class WriteLock(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

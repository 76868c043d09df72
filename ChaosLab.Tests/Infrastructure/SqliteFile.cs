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

    private async Task<SqliteCommand> CommandAsync(string sql)
    {
        var connection = new SqliteConnection($"Data Source={Path}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}

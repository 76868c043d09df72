using Npgsql;

namespace ChaosLab.Tests.Infrastructure.Postgres;

/// <summary>The test run's PostgreSQL server: each test gets its own empty, writable database with byte-order collation.</summary>
public sealed class PostgresServerTests
{
    [PostgresFact]
    public async Task CreateDatabase_Twice_TwoEmptyWritableDatabasesWithCCollation()
    {
        var first = await PostgresServer.CreateDatabaseAsync();
        var second = await PostgresServer.CreateDatabaseAsync();

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using (var write = new NpgsqlCommand("CREATE TABLE t (v text); INSERT INTO t VALUES ('b'), ('B'), ('a')", connection))
        {
            await write.ExecuteNonQueryAsync();
        }

        await using var read = new NpgsqlCommand("SELECT string_agg(v, '' ORDER BY v) FROM t", connection);
        Assert.Equal("Bab", await read.ExecuteScalarAsync());
        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", other);
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }
}

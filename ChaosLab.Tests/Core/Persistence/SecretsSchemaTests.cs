using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Persistence.Schema.Postgres;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>Schema step 17 (secrets shared by replicas) on a store that already holds data, on both engines.</summary>
public sealed class SecretsSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    private static SchemaUpgrade SecretsStep => SchemaHistory.Upgrades.Single(u => u.Description.StartsWith("secrets shared by replicas", StringComparison.Ordinal));

    [Fact]
    public async Task MigrateAsync_SqliteBeforeSecrets_AddsBothTablesAndKeepsReplicas()
    {
        var path = _directory.File("chaoslab.db");
        await new SchemaMigrator([.. SchemaHistory.Upgrades.TakeWhile(u => u.Version < SecretsStep.Version)], new ManualTimeProvider(Now)).MigrateAsync(path);
        var database = new SqliteFile(path);
        await database.ExecuteAsync("INSERT INTO replicas (id, last_seen_at) VALUES ('r1', 1795253400000)");
        SqliteConnection.ClearAllPools();

        var previous = await new SchemaMigrator(new ManualTimeProvider(Now)).MigrateAsync(path);

        Assert.Equal((SecretsStep.Version - 1, SchemaHistory.CurrentVersion), (previous, await SchemaMigrator.ReadVersionAsync(path)));
        Assert.Equal(["r1"], await database.QueryAsync("SELECT id FROM replicas"));
        await database.ExecuteAsync("INSERT INTO store_secrets (name, value, created_at) VALUES ('seal_key', 'v', 1)");
        await database.ExecuteAsync("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ('k', '<key/>'), (NULL, NULL)");
        Assert.Equal(["seal_key|v|1"], await database.QueryAsync("SELECT name || '|' || value || '|' || created_at FROM store_secrets"));
        Assert.Equal(["1|k", "2|"], await database.QueryAsync("SELECT id || '|' || COALESCE(friendly_name, '') FROM data_protection_keys ORDER BY id"));
    }

    [PostgresFact]
    public async Task MigrateAsync_PostgresBeforeSecrets_AddsBothTablesAndKeepsReplicas()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres, migrate: false);
        var database = (PostgresStoreDatabase)store.Database;
        await new PostgresSchemaMigrator([.. PostgresSchemaHistory.Upgrades.TakeWhile(u => u.Version < SecretsStep.Version)], new ManualTimeProvider(Now))
            .MigrateAsync(database.DataSource, database.Location);
        await store.ExecuteAsync("INSERT INTO replicas (id, last_seen_at) VALUES ('r1', 1795253400000)");

        var previous = await database.MigrateAsync();

        Assert.Equal(SecretsStep.Version - 1, previous);
        Assert.Equal([.. PostgresSchemaHistory.Upgrades.Select(u => u.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))], await store.QueryAsync("SELECT version FROM chaoslab_schema ORDER BY version"));
        Assert.Equal(["r1"], await store.QueryAsync("SELECT id FROM replicas"));
        await store.ExecuteAsync("INSERT INTO store_secrets (name, value, created_at) VALUES ('seal_key', 'v', 1)");
        Assert.Equal(["seal_key|v|1"], await store.QueryAsync("SELECT name, value, created_at FROM store_secrets"));
        // The identity column numbers keys as ASP.NET Core's repository expects (it never sets Id).
        await store.ExecuteAsync("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ('k', '<key/>'), (NULL, NULL)");
        Assert.Equal(["1|k", "2|"], await store.QueryAsync("SELECT id, friendly_name FROM data_protection_keys ORDER BY id"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

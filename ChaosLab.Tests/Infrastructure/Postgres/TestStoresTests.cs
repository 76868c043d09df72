using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Core.Persistence.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Infrastructure.Postgres;

/// <summary>The seam that runs a store test on both engines.</summary>
public sealed class TestStoresTests
{
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void SkipReason_InstalledOrRequired_RunsOnlySkipsWhenNeither(bool installed, bool required, bool skipped)
    {
        var reason = TestStores.SkipReason(installed, required);

        Assert.Equal(skipped, reason is not null);
        if (skipped)
        {
            Assert.Contains(PostgresServer.RequireVariable, reason, StringComparison.Ordinal);
        }
    }

    [StoreTheory]
    public async Task CreateAsync_EachProvider_MigratedStoreOnThatEngine(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);

        Assert.Equal(provider == StoreProvider.Postgres, store.Database.IsPostgres);
        Assert.Equal(provider == StoreProvider.Postgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite, store.Database.Provider);
        Assert.Equal([SchemaHistory.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            await store.QueryAsync("SELECT MAX(version) FROM chaoslab_schema"));
    }

    [StoreTheory]
    public async Task BuildServices_SecondSet_SeesTheFirstSetsWrites(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.ExecuteAsync("INSERT INTO step_fragments (hash, text) VALUES ('h', 'shared')");

        var again = store.BuildServices();
        var database = again.GetRequiredService<StoreDatabase>();
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT text FROM step_fragments";

        Assert.Equal("shared", await read.ExecuteScalarAsync());
    }
}

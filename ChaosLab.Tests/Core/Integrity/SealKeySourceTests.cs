using ChaosLab.Core;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Providers;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Integrity;

/// <summary>
/// Where the seal key comes from: configured first; on PostgreSQL the store's, so replicas seal the
/// same evaluation item with the same seed; on SQLite the data directory's file, as before.
/// </summary>
public sealed class SealKeySourceTests
{
    private const string Configured = "operator secret that is long enough!";

    [PostgresFact]
    public async Task LoadAsync_TwoReplicasOnOnePostgresStore_SealTheSameSeeds()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);
        var r1 = Source(store, store.Services);
        var r2 = Source(store, store.BuildServices());

        await r1.LoadAsync();
        await r2.LoadAsync();

        var (seeds1, seeds2) = (new SealedSeeds(r1), new SealedSeeds(r2));
        Assert.Equal(seeds1.ForEvaluation("run-1", "W01", 3), seeds2.ForEvaluation("run-1", "W01", 3));
        Assert.Equal(seeds1.ForEpisode("ep-1"), seeds2.ForEpisode("ep-1"));
        Assert.Equal(r1.Key.Bytes, r2.Key.Bytes);
        // Nothing on disk: the key lives in the store only.
        Assert.False(File.Exists(Path.Combine(store.DataDirectory, SealKey.FileName)));
        Assert.Single(await store.QueryAsync($"SELECT 1 FROM store_secrets WHERE name = '{SealKeySource.SecretName}' AND length(value) >= 32"));
    }

    [PostgresFact]
    public async Task LoadAsync_ReplicasStartingAtOnce_AllEndWithTheOneStoredKey()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);
        var replicas = Enumerable.Range(0, 4).Select(_ => Source(store, store.BuildServices())).ToList();

        var keys = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.LoadAsync())));

        Assert.All(keys, key => Assert.Equal(keys[0].Bytes, key.Bytes));
        var stored = Assert.Single(await store.QueryAsync("SELECT value FROM store_secrets"));
        Assert.Equal(SealKey.FromSecret(stored).Bytes, keys[0].Bytes);
    }

    [PostgresFact]
    public async Task LoadAsync_ConfiguredKeyAndAStoredOne_TheConfiguredWinsAndTheStoreIsUntouched()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);
        var stored = await Source(store, store.Services).LoadAsync();

        var configured = await Source(store, store.BuildServices(), Configured).LoadAsync();

        Assert.Equal(SealKey.FromSecret(Configured).Bytes, configured.Bytes);
        Assert.NotEqual(stored.Bytes, configured.Bytes);
        Assert.Single(await store.QueryAsync("SELECT value FROM store_secrets"));
    }

    [PostgresFact]
    public async Task LoadAsync_StoredKeyTooShort_RefusedWithoutReplacingIt()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Postgres);
        await store.ExecuteAsync($"INSERT INTO store_secrets (name, value, created_at) VALUES ('{SealKeySource.SecretName}', 'short', 0)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Source(store, store.Services).LoadAsync());

        Assert.Contains("shorter than 32 characters", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'short'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["short"], await store.QueryAsync("SELECT value FROM store_secrets"));
    }

    [Fact]
    public async Task LoadAsync_Sqlite_UsesTheDataDirectorysFileAndNotTheStore()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);

        var key = await Source(store, store.Services).LoadAsync();

        Assert.Equal(SealKey.Load(null, store.DataDirectory).Bytes, key.Bytes);
        Assert.Empty(await store.QueryAsync("SELECT value FROM store_secrets"));
    }

    [Fact]
    public async Task Key_BeforeLoad_RefusedSoNoSeedIsSealedUnderAnotherKey()
    {
        await using var store = await TestStore.CreateAsync(StoreProvider.Sqlite);
        var source = Source(store, store.Services, Configured);
        var seeds = new SealedSeeds(source);

        Assert.Throws<InvalidOperationException>(() => seeds.ForEpisode("ep-1"));
        await source.LoadAsync();
        Assert.Equal(new SealedSeeds(SealKey.FromSecret(Configured)).ForEpisode("ep-1"), seeds.ForEpisode("ep-1"));
    }

    /// <summary>The seal key source of one process (<paramref name="services"/>) on the store.</summary>
    private static SealKeySource Source(TestStore store, IServiceProvider services, string? configured = null) => new(
        Options.Create(new IntegrityOptions { SealKey = configured }),
        Options.Create(new ChaosLabOptions { DataDirectory = store.DataDirectory }),
        services.GetRequiredService<StoreDatabase>(),
        services.GetRequiredService<StoreSecrets>());
}

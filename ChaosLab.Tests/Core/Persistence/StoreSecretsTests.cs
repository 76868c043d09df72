using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Core.Persistence;

/// <summary>A named secret is created once, by whoever asks first, and then the same for every process on the store.</summary>
public sealed class StoreSecretsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    [StoreTheory]
    public async Task GetOrAddAsync_SecondCandidate_KeepsTheFirstForEveryProcess(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider, services => services.AddSingleton<TimeProvider>(new ManualTimeProvider(Now)));
        var other = store.BuildServices().GetRequiredService<StoreSecrets>();

        var first = await store.Get<StoreSecrets>().GetOrAddAsync("seal_key", "first candidate");
        var second = await other.GetOrAddAsync("seal_key", "second candidate");
        var another = await other.GetOrAddAsync("other", "its own value");

        Assert.Equal(("first candidate", "first candidate", "its own value"), (first, second, another));
        Assert.Equal(
            [$"other|its own value|{Now.ToUnixTimeMilliseconds()}", $"seal_key|first candidate|{Now.ToUnixTimeMilliseconds()}"],
            await store.QueryAsync("SELECT name || '|' || value || '|' || created_at FROM store_secrets ORDER BY name"));
    }

    [StoreTheory]
    public async Task GetOrAddAsync_ManyProcessesAtOnce_AllGetTheOneStoredValue(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var processes = Enumerable.Range(0, 4).Select(_ => store.BuildServices().GetRequiredService<StoreSecrets>()).ToList();

        var values = await Task.WhenAll(processes.Select((secrets, i) => Task.Run(() => secrets.GetOrAddAsync("seal_key", $"candidate {i}"))));

        Assert.Single(values.Distinct());
        Assert.Equal([values[0]], await store.QueryAsync("SELECT value FROM store_secrets"));
    }
}

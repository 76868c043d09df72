using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Web.Components;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Model;

/// <summary>The comparison's truncation flag, as the store's paired read reports it.</summary>
public sealed class CompareViewModelTests : IDisposable
{
    private readonly DashboardPageSeed _seed = new();

    [Fact]
    public async Task LoadAsync_StoreCutsThePairedEpisodes_TruncatedUntilAFilterFitsTheLimit()
    {
        await _seed.SeedPairsAsync(seeds: (CompareViewModel.EpisodeLimit / 2) + 1, tier: "easy");
        await _seed.SeedPairsAsync(seeds: 2, tier: "hard");
        var services = new ServiceCollection();
        _seed.Register(services);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<EpisodeStore>();
        var model = new CompareViewModel(store);

        await model.LoadAsync(new CompareFilter("alpha", "beta"));
        var all = await store.PairedEpisodesAsync("alpha", "beta", new EpisodeQuery(), CompareViewModel.EpisodeLimit);
        Assert.True(all.Truncated);
        Assert.True(model.Truncated);
        Assert.Equal(all.Episodes.Select(e => e.Seed).Distinct().Count(), model.Comparison!.Pairs.Count);

        await model.LoadAsync(new CompareFilter("alpha", "beta", Tier: "hard"));
        Assert.False(model.Truncated);
        Assert.Equal(2, model.Comparison!.Pairs.Count);
    }

    public void Dispose() => _seed.Dispose();
}

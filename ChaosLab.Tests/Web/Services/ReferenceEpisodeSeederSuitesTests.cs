using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Services;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Services;

/// <summary>The seeder over suites of its own, without the web host or the tools suite.</summary>
public sealed class ReferenceEpisodeSeederSuitesTests : IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await RecordingHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_TwoSuites_EachSuitePlayedOnlyByItsOwnAgents()
    {
        var catalog = new SuiteCatalog([new ToySuite("alpha", "alpha-bot"), new ToySuite("beta", "beta-bot", "beta-bot-2")]);
        var progress = new SeedingProgress();
        var seeder = new ReferenceEpisodeSeeder(
            _harness.Store,
            TestGateway.Create(_harness, catalog),
            TestGateway.SealedSeeds,
            progress,
            Options.Create(new SeedingOptions { Enabled = true, SeedsPerScenario = 1 }),
            NullLogger<ReferenceEpisodeSeeder>.Instance);

        await seeder.StartAsync(CancellationToken.None);
        await seeder.ExecuteTask!;

        Assert.Equal(SeedingState.Completed, progress.State);
        var episodes = (await _harness.Store.SearchAsync(new EpisodeQuery { PageSize = 100 })).Items;
        var played = episodes.Select(e => (e.Suite, e.Agent)).Distinct().Order().ToList();
        Assert.Equal([("alpha", "alpha-bot"), ("beta", "beta-bot"), ("beta", "beta-bot-2")], played);
        // Two scenarios per suite, one seed each: one episode per (scenario, own agent).
        Assert.Equal(2 * 3, episodes.Count);
        Assert.All(episodes, e => Assert.Equal(("eval", "sealed", "correct"), (e.ClientKind, e.Mode, e.Outcome)));
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChaosLab.Tests.Web.Services;

/// <summary>A server that seeds its empty store with one seed per scenario.</summary>
public sealed class SeedingAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>
{
    ["ChaosLab:Seeding:Enabled"] = "true",
    ["ChaosLab:Seeding:SeedsPerScenario"] = "1",
});

public sealed class ReferenceEpisodeSeederTests(SeedingAppFactory app) : IClassFixture<SeedingAppFactory>
{
    [Fact]
    public async Task FreshStore_AtStartUp_EveryScenarioPlayedByEveryReferenceAgentAndRecorded()
    {
        var progress = app.Services.GetRequiredService<SeedingProgress>();
        await WaitForAsync(progress, SeedingState.Completed);
        var scenarios = app.Services.GetRequiredService<SuiteCatalog>().Suites.Sum(s => s.Scenarios.Count);
        using var client = app.CreateHttpClient();

        var eval = (await client.GetFromJsonAsync<JsonObject>("/api/episodes?client=eval&page_size=1"))!;
        var agents = new List<int>();
        foreach (var agent in new[] { "naive", "retrying", "resilient" })
        {
            var page = (await client.GetFromJsonAsync<JsonObject>($"/api/episodes?agent={agent}&page_size=1"))!;
            agents.Add(page["total"]!.GetValue<int>());
        }

        Assert.Equal(3 * scenarios, progress.Total);
        Assert.Equal(progress.Total, progress.Done);
        Assert.Equal(3 * scenarios, eval["total"]!.GetValue<int>());
        Assert.All(agents, count => Assert.Equal(scenarios, count));
    }

    [Fact]
    public async Task StoreWithEpisodes_AnotherStart_SkipsSeeding()
    {
        await WaitForAsync(app.Services.GetRequiredService<SeedingProgress>(), SeedingState.Completed);
        var progress = new SeedingProgress();
        var seeder = ActivatorUtilities.CreateInstance<ReferenceEpisodeSeeder>(app.Services, progress);

        await seeder.StartAsync(CancellationToken.None);
        await seeder.ExecuteTask!;

        Assert.Equal(SeedingState.Skipped, progress.State);
        Assert.Contains("already holds episodes", progress.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(SeedingProgress progress, SeedingState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (progress.State == state)
            {
                reached.TrySetResult();
            }
            else if (progress.State is SeedingState.Failed or SeedingState.Skipped)
            {
                reached.TrySetException(new InvalidOperationException($"Seeding ended {progress.State}: {progress.Message}"));
            }
        }

        progress.Changed += Check;
        try
        {
            Check();
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            progress.Changed -= Check;
        }
    }
}

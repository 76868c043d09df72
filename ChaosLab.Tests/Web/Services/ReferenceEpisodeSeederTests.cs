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
        var suites = app.Services.GetRequiredService<SuiteCatalog>().Suites;
        var episodes = suites.Sum(s => s.Scenarios.Count * s.ReferenceAgents.Count);
        using var client = app.CreateHttpClient();

        var eval = (await client.GetFromJsonAsync<JsonObject>("/api/episodes?client=eval&page_size=1"))!;
        var played = new List<(string Suite, string Agent, int Expected, int Recorded)>();
        foreach (var suite in suites)
        {
            foreach (var agent in suite.ReferenceAgents)
            {
                var page = (await client.GetFromJsonAsync<JsonObject>($"/api/episodes?suite={suite.Name}&agent={agent.Name}&page_size=1"))!;
                played.Add((suite.Name, agent.Name, suite.Scenarios.Count, page["total"]!.GetValue<int>()));
            }
        }

        Assert.True(suites.Count >= 2, "every served suite is seeded, not only the first");
        Assert.Equal(episodes, progress.Total);
        Assert.Equal(progress.Total, progress.Done);
        Assert.Equal(episodes, eval["total"]!.GetValue<int>());
        Assert.All(played, p => Assert.True(p.Expected == p.Recorded, $"{p.Suite}/{p.Agent}: {p.Recorded} of {p.Expected}"));
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

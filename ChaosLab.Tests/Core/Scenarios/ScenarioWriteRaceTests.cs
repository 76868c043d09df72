using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Scenarios;

/// <summary>
/// Two processes writing the same scenario at the same moment (two replicas on one PostgreSQL, or two
/// service sets on one SQLite file): each race ends with exactly one winner and a clean refusal for the
/// other, never a lost update or a key violation.
/// </summary>
public sealed class ScenarioWriteRaceTests
{
    private const int Races = 12;

    [StoreTheory]
    public async Task AddVersionAsync_SameVersionFromTwoProcessesAtOnce_OneStoredOtherToldTheNextVersion(StoreProvider provider)
    {
        await using var store = await StoreAsync(provider);
        var replicas = new[] { store.Services, store.BuildServices() }.Select(s => s.GetRequiredService<ScenarioStore>()).ToList();

        for (var race = 0; race < Races; race++)
        {
            var document = Element(FixedWorldCopy($"R{race:00}"));

            var results = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.AddVersionAsync(document, "ada"))));

            Assert.Single(results, r => r.Succeeded);
            Assert.Contains("next one is 2", Assert.Single(results, r => !r.Succeeded).Errors.Single().Message, StringComparison.Ordinal);
        }

        Assert.Equal([$"{Races}"], await store.QueryAsync("SELECT COUNT(*) FROM scenarios"));
    }

    [StoreTheory]
    public async Task SaveDraftAsync_SameRevisionFromTwoProcessesAtOnce_OneSavedOtherConflicts(StoreProvider provider)
    {
        await using var store = await StoreAsync(provider);
        var replicas = new[] { store.Services, store.BuildServices() }.Select(s => s.GetRequiredService<IScenarioStudio>()).ToList();

        for (var race = 0; race < Races; race++)
        {
            var id = $"D{race:00}";
            Assert.True((await replicas[0].CreateDraftAsync(Element(FixedWorldCopy(id)), "ada")).Succeeded);

            var saves = await Task.WhenAll(replicas.Select((r, i) => Task.Run(() =>
            {
                var document = FixedWorldCopy(id);
                document["title"] = $"edited by {i}";
                return r.SaveDraftAsync(id, Element(document), expectedRevision: 1, author: $"author-{i}");
            })));

            Assert.Single(saves, s => s.Succeeded);
            Assert.Equal(StudioFailureKind.Conflict, Assert.Single(saves, s => !s.Succeeded).Failure!.Kind);
            Assert.Equal(2, (await replicas[1].GetDraftAsync(id)).Value!.Revision);
        }
    }

    [StoreTheory]
    public async Task PublishAsync_SameDraftFromTwoProcessesAtOnce_OnePublishedVersion(StoreProvider provider)
    {
        await using var store = await StoreAsync(provider);
        var replicas = new[] { store.Services, store.BuildServices() }.Select(s => s.GetRequiredService<IScenarioStudio>()).ToList();

        for (var race = 0; race < Races; race++)
        {
            var id = $"P{race:00}";
            Assert.True((await replicas[0].CreateDraftAsync(Element(FixedWorldCopy(id)), "ada")).Succeeded);

            var published = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.PublishAsync(id, expectedRevision: 1, author: "ada"))));

            Assert.Single(published, p => p.Succeeded);
            Assert.NotNull(Assert.Single(published, p => !p.Succeeded).Failure);
        }

        Assert.Equal([$"{Races}|{Races}"], await store.QueryAsync("SELECT COUNT(*), COUNT(DISTINCT id) FROM scenarios"));
        Assert.Equal(["0"], await store.QueryAsync("SELECT COUNT(*) FROM scenario_drafts"));
    }
}

using System.Data.Common;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Scenarios;

/// <summary>The store of authored scenarios (SQLite and PostgreSQL): validation, immutable versions, and the merged library.</summary>
public sealed class ScenarioStoreTests : IAsyncLifetime
{
    private TestStore? _store;

    private ScenarioStore Store => _store!.Get<ScenarioStore>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private async Task StartAsync(StoreProvider provider) => _store = await StoreAsync(provider);

    [StoreTheory]
    public async Task AddVersionAsync_SchemaViolations_RefusedWithEachErrorAndItsPath(StoreProvider provider)
    {
        await StartAsync(provider);
        var document = FixedWorldCopy("X01");
        document["tier"] = "legendary";
        document["faults"]!["bad_paths"]![0]!["kind"] = "gremlins";
        document["surprise"] = true;

        var result = await Store.AddVersionAsync(Element(document));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Path == "/tier");
        Assert.Contains(result.Errors, e => e.Path == "/faults/bad_paths/0/kind");
        Assert.Contains(result.Errors, e => e.Path == "/surprise");
        Assert.Empty(await Store.ListLatestAsync());
    }

    [StoreTheory]
    public async Task AddVersionAsync_TargetTheWorldLacks_RefusedWithTheSuitesReason(StoreProvider provider)
    {
        await StartAsync(provider);
        var document = FixedWorldCopy("X01");
        document["world"]!["targets"]!["country"] = "Atlantis";
        document["question"] = "How many people live in {city}?";

        var result = await Store.AddVersionAsync(Element(document));

        Assert.Equal(["/question", "/world/targets/country"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Contains("Atlantis", result.Errors.Single(e => e.Path == "/world/targets/country").Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task AddVersionAsync_Versions_EachImmutableAndTheLatestWins(StoreProvider provider)
    {
        await StartAsync(provider);
        var first = await Store.AddVersionAsync(Element(FixedWorldCopy("X01")));
        var skipped = FixedWorldCopy("X01");
        skipped["version"] = 3;
        var second = FixedWorldCopy("X01");
        second["version"] = 2;
        second["title"] = "Population, second draft";

        var refusedSkip = await Store.AddVersionAsync(Element(skipped));
        var added = await Store.AddVersionAsync(Element(second));
        var refusedRepeat = await Store.AddVersionAsync(Element(second));

        Assert.True(first.Succeeded && added.Succeeded);
        Assert.Equal(["/version"], refusedSkip.Errors.Select(e => e.Path));
        Assert.Contains("next one is 3", refusedRepeat.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal("Population of a country (hand-written world)", (await Store.FindAsync("x01", 1))!.Title);
        Assert.Equal((2, "Population, second draft"), ((await Store.FindAsync("X01", null))!.Version, Store.FindLatest("tools", "X01")!.Title));
        var update = await Assert.ThrowsAnyAsync<DbException>(() => _store!.ExecuteAsync("UPDATE scenarios SET title = 'rewritten' WHERE id = 'X01'"));
        Assert.Contains("immutable", update.Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task AddVersionAsync_BuiltInIdAtVersionOneOrMoved_Refused(StoreProvider provider)
    {
        await StartAsync(provider);
        var sameVersion = BuiltIn("W01");
        var moved = BuiltIn("W01");
        moved["version"] = 2;
        moved["tier"] = "expert";

        var refusedVersion = await Store.AddVersionAsync(Element(sameVersion));
        var refusedMove = await Store.AddVersionAsync(Element(moved));

        Assert.Contains("next one is 2", refusedVersion.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("keeps its suite, task and tier", refusedMove.Errors.Single().Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task ListAsync_BuiltInAndStored_StoredRevisionReplacesItsBuiltInAndNewIdsFollow(StoreProvider provider)
    {
        await StartAsync(provider);
        var revision = BuiltIn("W02");
        revision["version"] = 2;
        Assert.True((await Store.AddVersionAsync(Element(revision))).Succeeded);
        Assert.True((await Store.AddVersionAsync(Element(FixedWorldCopy("X01")))).Succeeded);
        var library = _store!.Get<ScenarioLibrary>();

        var all = await library.ListAsync(null);

        Assert.Equal(64, all.Count);
        Assert.Equal(("W02", 2, ScenarioSource.Stored), (all[1].Id, all[1].Version, all[1].Source));
        Assert.Equal(("X01", ScenarioSource.Stored), (all[^1].Id, all[^1].Source));
        Assert.Equal(ScenarioSource.BuiltIn, (await library.FindAsync("W02", 1))!.Source);
        Assert.Null(await library.FindAsync("W02", 3));
    }
}

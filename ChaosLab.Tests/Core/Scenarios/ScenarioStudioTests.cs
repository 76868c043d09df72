using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Scenarios;

/// <summary>
/// The scenario studio over a real store (SQLite and PostgreSQL): drafts, publishing, versions and
/// the list. Validation, which never reaches the store, runs on SQLite only.
/// </summary>
public sealed class ScenarioStudioTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(Now);
    private TestStore? _store;

    private IScenarioStudio Studio => Database.Get<IScenarioStudio>();

    private ScenarioStore Store => Database.Get<ScenarioStore>();

    private TestStore Database => _store!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private async Task StartAsync(StoreProvider provider) => _store = await StoreAsync(provider, _time);

    [Fact]
    public async Task AddScenarios_Studio_OneSingletonOverTheStore()
    {
        await StartAsync(StoreProvider.Sqlite);

        Assert.IsType<ScenarioStudio>(Studio);
        Assert.Same(Studio, Database.Services.GetRequiredService<IScenarioStudio>());
    }

    [StoreTheory]
    public async Task CreateDraftAsync_InvalidDocument_StoredWithEveryErrorAndItsPath(StoreProvider provider)
    {
        await StartAsync(provider);
        var document = FixedWorldCopy("X01");
        document["tier"] = "legendary";
        document["world"]!["targets"]!["country"] = "Atlantis";

        var created = await Studio.CreateDraftAsync(Element(document), "  ada  ");
        var read = await Studio.GetDraftAsync("x01");

        Assert.True(created.Succeeded);
        var draft = created.Value!;
        Assert.Equal(("X01", "tools", 1, 1, (int?)null, "ada", Now, Now), (draft.Id, draft.Suite, draft.Version, draft.Revision, draft.BaseVersion, draft.Author, draft.CreatedAt, draft.UpdatedAt));
        Assert.Contains(draft.Errors, e => e.Path == "/tier");
        Assert.Equal("legendary", read.Value!.Document.GetProperty("tier").GetString());
        Assert.Equal(draft.Errors, read.Value.Errors);
        Assert.Empty(await Store.ListLatestAsync());
    }

    [StoreTheory]
    public async Task CreateDraftAsync_ValidDocument_NoErrorsAndNotPlayable(StoreProvider provider)
    {
        await StartAsync(provider);
        var draft = (await Studio.CreateDraftAsync(Element(FixedWorldCopy("X01")), null)).Value!;

        Assert.Empty(draft.Errors);
        Assert.Null(draft.Author);
        Assert.Null(Store.FindLatest("tools", "X01"));
    }

    [Theory]
    [InlineData("[1, 2]", "")]
    [InlineData("""{"suite": "tools"}""", "/id")]
    [InlineData("""{"id": "has/slash", "suite": "tools"}""", "/id")]
    [InlineData("""{"id": 7}""", "/id")]
    public async Task CreateDraftAsync_NoUsableId_InvalidAndNothingStored(string json, string path)
    {
        await StartAsync(StoreProvider.Sqlite);
        using var document = JsonDocument.Parse(json);

        var result = await Studio.CreateDraftAsync(document.RootElement, "ada");

        Assert.Equal(StudioFailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal([path], result.Failure.Errors.Select(e => e.Path));
        Assert.Empty(await Database.QueryAsync("SELECT id FROM scenario_drafts"));
    }

    [StoreTheory]
    public async Task CreateDraftAsync_IdOfABuiltInPublishedOrDraftScenario_Conflict(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"));
        await Studio.CreateDraftAsync(Element(FixedWorldCopy("X02")), "ada");

        var builtIn = await Studio.CreateDraftAsync(Element(BuiltIn("W01")), "ada");
        var published = await Studio.CreateDraftAsync(Element(FixedWorldCopy("x01")), "ada");
        var draft = await Studio.CreateDraftAsync(Element(FixedWorldCopy("x02")), "bob");

        Assert.Equal([StudioFailureKind.Conflict, StudioFailureKind.Conflict, StudioFailureKind.Conflict],
            new[] { builtIn, published, draft }.Select(r => r.Failure!.Kind));
        Assert.Contains("built-in", builtIn.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("already published", published.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("already has a draft", draft.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("ada", (await Studio.GetDraftAsync("X02")).Value!.Author);
    }

    [StoreTheory]
    public async Task CreateDraftAsync_VersionOtherThanOne_StoredWithAnErrorAtVersion(StoreProvider provider)
    {
        await StartAsync(provider);
        var document = FixedWorldCopy("X01");
        document["version"] = 3;

        var draft = (await Studio.CreateDraftAsync(Element(document), "ada")).Value!;

        Assert.Equal(1, draft.Version);
        Assert.Equal(["/version"], draft.Errors.Select(e => e.Path));
    }

    [StoreTheory]
    public async Task CloneAsync_BuiltInScenario_ValidDraftOfVersionOneUnderTheNewId(StoreProvider provider)
    {
        await StartAsync(provider);
        var clone = await Studio.CloneAsync("w01", null, "my-w01", "ada");

        var draft = clone.Value!;
        Assert.Equal(("my-w01", 1, (int?)null, "ada"), (draft.Id, draft.Version, draft.BaseVersion, draft.Author));
        Assert.Empty(draft.Errors);
        Assert.Equal(("my-w01", 1), (draft.Document.GetProperty("id").GetString(), draft.Document.GetProperty("version").GetInt32()));
        var source = JsonNode.Parse(BuiltIn("W01").ToJsonString())!.AsObject();
        source["id"] = "my-w01";
        Assert.True(JsonNode.DeepEquals(source, JsonNode.Parse(draft.Document.GetRawText())));
    }

    [Theory]
    [InlineData("export")]
    [InlineData("Schema")]
    [InlineData("validate")]
    [InlineData("import")]
    public async Task CloneAsync_IdTheApiUsesAsARoute_RefusedAtTheId(string id)
    {
        await StartAsync(StoreProvider.Sqlite);
        var clone = await Studio.CloneAsync("W01", null, id, "ada");

        Assert.Equal(StudioFailureKind.Invalid, clone.Failure?.Kind);
        Assert.Contains(clone.Failure!.Errors, e => e.Path == "/id" && e.Message.Contains("reserved", StringComparison.Ordinal));
    }

    [StoreTheory]
    public async Task CloneAsync_PublishedVersion_CopiesThatVersion(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"));
        await EditPublishAsync("X01", d => d["title"] = "Second");

        var first = (await Studio.CloneAsync("X01", 1, "X01-copy", null)).Value!;
        var latest = (await Studio.CloneAsync("X01", null, "X01-latest", null)).Value!;

        Assert.Equal(FixedWorldCopy("X01")["title"]!.GetValue<string>(), first.Document.GetProperty("title").GetString());
        Assert.Equal("Second", latest.Document.GetProperty("title").GetString());
        Assert.Equal(1, latest.Document.GetProperty("version").GetInt32());
    }

    [StoreTheory]
    public async Task CloneAsync_MissingSourceBadOrTakenId_FailsWithTheKind(StoreProvider provider)
    {
        await StartAsync(provider);
        Assert.Equal(StudioFailureKind.NotFound, (await Studio.CloneAsync("nope", null, "new", null)).Failure!.Kind);
        Assert.Equal("Scenario 'W01' has no version 5.", (await Studio.CloneAsync("W01", 5, "new", null)).Failure!.Message);
        Assert.Equal(["/id"], (await Studio.CloneAsync("W01", null, "bad id", null)).Failure!.Errors.Select(e => e.Path));
        Assert.Equal(StudioFailureKind.Conflict, (await Studio.CloneAsync("W01", null, "W02", null)).Failure!.Kind);
    }

    [StoreTheory]
    public async Task EditAsync_PublishedScenario_DraftOfTheNextVersionThenTheSameDraft(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"));

        var first = (await Studio.EditAsync("x01", "bob")).Value!;
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = (await Studio.EditAsync("X01", "carol")).Value!;

        Assert.Equal(("X01", 2, (int?)1, 1, "bob"), (first.Id, first.Version, first.BaseVersion, first.Revision, first.Author));
        Assert.Equal(2, first.Document.GetProperty("version").GetInt32());
        Assert.Empty(first.Errors);
        Assert.Equal((first.Revision, first.UpdatedAt, "bob"), (again.Revision, again.UpdatedAt, again.Author));
    }

    [StoreTheory]
    public async Task EditAsync_BuiltInOrUnknownId_ReadOnlyOrNotFound(StoreProvider provider)
    {
        await StartAsync(provider);
        var builtIn = await Studio.EditAsync("W01", "ada");
        var unknown = await Studio.EditAsync("X99", "ada");

        Assert.Equal(StudioFailureKind.ReadOnly, builtIn.Failure!.Kind);
        Assert.Contains("clone it", builtIn.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(StudioFailureKind.NotFound, unknown.Failure!.Kind);
    }

    [StoreTheory]
    public async Task SaveDraftAsync_ExpectedRevision_SavesAndCountsThenRefusesTheStaleSave(StoreProvider provider)
    {
        await StartAsync(provider);
        await Studio.CreateDraftAsync(Element(FixedWorldCopy("X01")), "ada");
        var edited = FixedWorldCopy("X01");
        edited["title"] = "Edited";
        _time.Advance(TimeSpan.FromMinutes(5));

        var saved = await Studio.SaveDraftAsync("x01", Element(edited), 1, "bob");
        edited["title"] = "Lost";
        var stale = await Studio.SaveDraftAsync("X01", Element(edited), 1, "carol");
        var unconditional = await Studio.SaveDraftAsync("X01", Element(FixedWorldCopy("X01")), null, null);

        Assert.Equal((2, "bob", Now, Now.AddMinutes(5)), (saved.Value!.Revision, saved.Value.Author, saved.Value.CreatedAt, saved.Value.UpdatedAt));
        Assert.Equal("Edited", saved.Value.Document.GetProperty("title").GetString());
        Assert.Equal(StudioFailureKind.Conflict, stale.Failure!.Kind);
        Assert.Contains("revision 2", stale.Failure.Message, StringComparison.Ordinal);
        Assert.Equal((3, (string?)null), (unconditional.Value!.Revision, unconditional.Value.Author));
    }

    [StoreTheory]
    public async Task SaveDraftAsync_DocumentWithAnotherIdAndVersion_SavedWithErrorsAtIdAndVersion(StoreProvider provider)
    {
        await StartAsync(provider);
        await Studio.CreateDraftAsync(Element(FixedWorldCopy("X01")), "ada");
        var renamed = FixedWorldCopy("X02");
        renamed["version"] = 2;

        var saved = (await Studio.SaveDraftAsync("X01", Element(renamed), null, "ada")).Value!;

        Assert.Equal(["/id", "/version"], saved.Errors.Select(e => e.Path));
        Assert.Equal("X02", (await Studio.GetDraftAsync("X01")).Value!.Document.GetProperty("id").GetString());
        var publish = await Studio.PublishAsync("X01", null, "ada");
        Assert.Equal(["/id", "/version"], publish.Failure!.Errors.Select(e => e.Path));
    }

    [StoreTheory]
    public async Task SaveDraftAsync_NewVersionMovedToAnotherTier_ErrorAtTier(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"));
        var draft = (await Studio.EditAsync("X01", "ada")).Value!;
        var moved = JsonNode.Parse(draft.Document.GetRawText())!;
        moved["tier"] = "expert";

        var saved = (await Studio.SaveDraftAsync("X01", Element(moved), draft.Revision, "ada")).Value!;

        Assert.Contains(saved.Errors, e => e.Path == "/tier" && e.Message.Contains("keeps its tier (warmup)", StringComparison.Ordinal));
    }

    [StoreTheory]
    public async Task SaveDraftAsync_NotAnObjectNoDraftOrBuiltIn_FailsWithTheKind(StoreProvider provider)
    {
        await StartAsync(provider);
        await Studio.CreateDraftAsync(Element(FixedWorldCopy("X01")), "ada");
        using var array = JsonDocument.Parse("[]");

        Assert.Equal(StudioFailureKind.Invalid, (await Studio.SaveDraftAsync("X01", array.RootElement, null, null)).Failure!.Kind);
        Assert.Equal("'X02' has no draft.", (await Studio.SaveDraftAsync("X02", Element(FixedWorldCopy("X02")), null, null)).Failure!.Message);
        Assert.Equal(StudioFailureKind.ReadOnly, (await Studio.SaveDraftAsync("W01", Element(BuiltIn("W01")), null, null)).Failure!.Kind);
        Assert.Equal(1, (await Studio.GetDraftAsync("X01")).Value!.Revision);
    }

    [StoreTheory]
    public async Task DeleteDraftAsync_DraftOfAPublishedScenario_DraftGoesVersionsStay(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"));
        await Studio.EditAsync("X01", "ada");

        var deleted = await Studio.DeleteDraftAsync("x01");
        var again = await Studio.DeleteDraftAsync("X01");

        Assert.True(deleted.Value);
        Assert.Equal(StudioFailureKind.NotFound, again.Failure!.Kind);
        Assert.Equal(StudioFailureKind.NotFound, (await Studio.GetDraftAsync("X01")).Failure!.Kind);
        Assert.Equal([1], (await Studio.VersionsAsync("X01")).Select(v => v.Version));
    }

    [StoreTheory]
    public async Task PublishAsync_ValidDraft_StoredVersionPlayableAtOnceAndDraftGone(StoreProvider provider)
    {
        await StartAsync(provider);
        Assert.Null(Store.FindLatest("tools", "X01")); // the snapshot resets read is taken now
        await Studio.CreateDraftAsync(Element(FixedWorldCopy("X01")), "ada");
        _time.Advance(TimeSpan.FromHours(1));

        var published = await Studio.PublishAsync("X01", 1, "bob");

        Assert.Equal(("X01", 1, ScenarioSource.Stored), (published.Value!.Id, published.Value.Version, published.Value.Source));
        Assert.Equal(1, Store.FindLatest("tools", "x01")!.Version);
        Assert.Equal(StudioFailureKind.NotFound, (await Studio.GetDraftAsync("X01")).Failure!.Kind);
        Assert.Equal([new ScenarioVersionInfo("X01", 1, ScenarioSource.Stored, "bob", Now.AddHours(1))], await Studio.VersionsAsync("X01"));

        await EditPublishAsync("X01", d => d["title"] = "Second");
        Assert.Equal(("Second", 2), (Store.FindLatest("tools", "X01")!.Title, Store.FindLatest("tools", "X01")!.Version));
    }

    [StoreTheory]
    public async Task PublishAsync_InvalidDraft_RefusedWithEveryErrorAndTheDraftKept(StoreProvider provider)
    {
        await StartAsync(provider);
        var document = FixedWorldCopy("X01");
        document["tier"] = "legendary";
        document["question"] = "How many people live in {city}?";
        document["faults"]!["bad_paths"]![0]!["kind"] = "gremlins";
        await Studio.CreateDraftAsync(Element(document), "ada");

        var result = await Studio.PublishAsync("X01", null, "ada");

        Assert.Equal(StudioFailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(result.Failure.Errors, (await Studio.GetDraftAsync("X01")).Value!.Errors);
        Assert.Contains(result.Failure.Errors, e => e.Path == "/tier");
        Assert.Contains(result.Failure.Errors, e => e.Path == "/faults/bad_paths/0/kind");
        Assert.StartsWith($"'X01' cannot be published: {result.Failure.Errors.Count} errors", result.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ListLatestAsync());
    }

    [StoreTheory]
    public async Task PublishAsync_StaleRevisionMissingDraftOrBuiltIn_FailsWithTheKind(StoreProvider provider)
    {
        await StartAsync(provider);
        await Studio.CreateDraftAsync(Element(FixedWorldCopy("X01")), "ada");
        await Studio.SaveDraftAsync("X01", Element(FixedWorldCopy("X01")), 1, "ada");

        Assert.Equal(StudioFailureKind.Conflict, (await Studio.PublishAsync("X01", 1, "ada")).Failure!.Kind);
        Assert.Equal(StudioFailureKind.NotFound, (await Studio.PublishAsync("X02", null, "ada")).Failure!.Kind);
        Assert.Equal(StudioFailureKind.ReadOnly, (await Studio.PublishAsync("W01", null, "ada")).Failure!.Kind);
        Assert.Empty(await Store.ListLatestAsync());
    }

    [StoreTheory]
    public async Task PublishAsync_VersionPublishedSinceTheDraftWasMade_ConflictAndTheDraftKept(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"));
        await Studio.EditAsync("X01", "ada");
        var elsewhere = FixedWorldCopy("X01");
        elsewhere["version"] = 2;
        Assert.True((await Store.AddVersionAsync(Element(elsewhere), "bob")).Succeeded);

        var result = await Studio.PublishAsync("X01", null, "ada");

        Assert.Equal(StudioFailureKind.Conflict, result.Failure!.Kind);
        Assert.Equal(["/version"], result.Failure.Errors.Select(e => e.Path));
        Assert.True((await Studio.GetDraftAsync("X01")).Succeeded);
        Assert.Equal("bob", (await Studio.VersionsAsync("X01"))[^1].Author);
    }

    [StoreTheory]
    public async Task VersionsAsync_BuiltInPublishedAndUnknown_OldestFirst(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"), "ada");
        _time.Advance(TimeSpan.FromDays(1));
        await EditPublishAsync("X01", d => d["title"] = "Second", "bob");

        Assert.Equal([new ScenarioVersionInfo("W01", 1, ScenarioSource.BuiltIn, null, null)], await Studio.VersionsAsync("w01"));
        Assert.Equal([("ada", Now), ("bob", Now.AddDays(1))], (await Studio.VersionsAsync("X01")).Select(v => (v.Author!, v.PublishedAt!.Value)));
        Assert.Empty(await Studio.VersionsAsync("X99"));
    }

    [Fact]
    public async Task Validate_ValueOutsideAnEnum_MessageListsTheAllowedValues()
    {
        await StartAsync(StoreProvider.Sqlite);
        var document = FixedWorldCopy("X02");
        document["tier"] = "nightmare";
        document["faults"]!["bad_paths"]![0]!["kind"] = "gremlins";

        var errors = Studio.Validate(Element(document));

        Assert.Contains(errors, e => e.Path == "/tier" && e.Message.EndsWith(": \"warmup\", \"beginner\", \"intermediate\", \"expert\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "/faults/bad_paths/0/kind" && e.Message.Contains("\"timeout\"", StringComparison.Ordinal));
    }

    [StoreTheory]
    public async Task Validate_InvalidDocument_ErrorsWithoutStoringAnything(StoreProvider provider)
    {
        await StartAsync(provider);
        var document = FixedWorldCopy("X01");
        document["world"]!["targets"]!["country"] = "Atlantis";

        var errors = Studio.Validate(Element(document));

        Assert.Equal(["/world/targets/country"], errors.Select(e => e.Path));
        Assert.Empty(Studio.Validate(Element(FixedWorldCopy("X01"))));
        Assert.Equal([""], Studio.Validate(Element(new JsonArray())).Select(e => e.Path));
        Assert.Empty(await Database.QueryAsync("SELECT id FROM scenario_drafts"));
    }

    [StoreTheory]
    public async Task ListAsync_EveryKindOfScenario_RowsWithAuthorLastChangeEpisodesAndMeanScore(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"), "ada");
        _time.Advance(TimeSpan.FromHours(2));
        await Studio.EditAsync("X01", "bob");
        var fresh = FixedWorldCopy("X02");
        fresh["title"] = "Brand new";
        fresh["tier"] = "legendary";
        await Studio.CreateDraftAsync(Element(fresh), "carol");
        await PublishAsync(FixedWorldCopy("X03"), "dave");
        await Database.ExecuteAsync("""
            INSERT INTO episodes (id, suite, task_id, tier, scenario_id, seed, agent, client_kind, mode, started_at, ended_at, outcome, score)
            VALUES ('a', 'tools', 'task1', 'warmup', 'X01', 1, 'a', 'ws', 'practice', 1795253400000, 1795253410000, 'correct', 1.0),
                   ('b', 'tools', 'task1', 'warmup', 'X01', 2, 'a', 'ws', 'practice', 1795253400000, 1795253410000, 'wrong', 0.5),
                   ('c', 'tools', 'task1', 'warmup', 'W01', 3, 'a', 'ws', 'practice', 1795253400000, NULL, NULL, NULL);
            """);

        var all = await Studio.ListAsync(new StudioQuery());

        Assert.Equal(63 + 3, all.Count);
        Assert.Equal(all.Select(r => r.Id).Order(StringComparer.OrdinalIgnoreCase), all.Select(r => r.Id));
        var w01 = all.Single(r => r.Id == "W01");
        Assert.Equal((ScenarioStatus.BuiltIn, 1, (int?)1, (string?)null, (DateTimeOffset?)null, 1L, (double?)null),
            (w01.Status, w01.Version, w01.PublishedVersion, w01.Author, w01.LastChange, w01.Episodes, w01.MeanScore));
        var x01 = all.Single(r => r.Id == "X01");
        Assert.Equal((ScenarioStatus.Draft, 2, (int?)1, "bob", (DateTimeOffset?)Now.AddHours(2), 2L, (double?)0.75),
            (x01.Status, x01.Version, x01.PublishedVersion, x01.Author, x01.LastChange, x01.Episodes, x01.MeanScore));
        var x02 = all.Single(r => r.Id == "X02");
        Assert.Equal((ScenarioStatus.Draft, "Brand new", "legendary", 1, (int?)null, "carol", 0L),
            (x02.Status, x02.Title, x02.Tier, x02.Version, x02.PublishedVersion, x02.Author, x02.Episodes));
        var x03 = all.Single(r => r.Id == "X03");
        Assert.Equal((ScenarioStatus.Published, 1, (int?)1, "dave", (DateTimeOffset?)Now.AddHours(2)), (x03.Status, x03.Version, x03.PublishedVersion, x03.Author, x03.LastChange));
    }

    [StoreTheory]
    public async Task ListAsync_Filters_EachNarrowsTheRows(StoreProvider provider)
    {
        await StartAsync(provider);
        await PublishAsync(FixedWorldCopy("X01"), "ada");
        var draft = FixedWorldCopy("X02");
        draft["title"] = "Census of Quorvania";
        await Studio.CreateDraftAsync(Element(draft), "ada");

        async Task<IEnumerable<string>> IdsAsync(StudioQuery query) => (await Studio.ListAsync(query)).Select(r => r.Id);

        Assert.Equal(["X01", "X02"], await IdsAsync(new StudioQuery(Text: "x0")));
        Assert.Equal(["X02"], await IdsAsync(new StudioQuery(Text: "QUORVANIA")));
        Assert.Equal(["X02"], await IdsAsync(new StudioQuery(Status: ScenarioStatus.Draft)));
        Assert.Equal(["X01"], await IdsAsync(new StudioQuery(Status: ScenarioStatus.Published)));
        var builtIn = await Studio.ListAsync(new StudioQuery(Status: ScenarioStatus.BuiltIn));
        Assert.Equal(63, builtIn.Count);
        var expert = await Studio.ListAsync(new StudioQuery(Suite: "TOOLS", TaskId: "task2", Tier: "expert"));
        Assert.NotEmpty(expert);
        Assert.All(expert, r => Assert.Equal(("task2", "expert"), (r.TaskId, r.Tier)));
        var family = await Studio.ListAsync(new StudioQuery(Family: "population", Tier: "warmup", TaskId: "task1"));
        Assert.Contains(family, r => r.Id == "X01");
        Assert.All(family, r => Assert.Equal("population", r.Family));
        Assert.Empty(await Studio.ListAsync(new StudioQuery(Suite: "mast")));
    }

    /// <summary>Creates and publishes a document as a new scenario.</summary>
    private async Task PublishAsync(JsonObject document, string author = "ada")
    {
        var id = document["id"]!.GetValue<string>();
        Assert.True((await Studio.CreateDraftAsync(Element(document), author)).Succeeded);
        Assert.True((await Studio.PublishAsync(id, null, author)).Succeeded);
    }

    /// <summary>Edits a published scenario, changes its draft and publishes the next version.</summary>
    private async Task EditPublishAsync(string id, Action<JsonObject> change, string author = "ada")
    {
        var draft = (await Studio.EditAsync(id, author)).Value!;
        var document = JsonNode.Parse(draft.Document.GetRawText())!.AsObject();
        change(document);
        Assert.Empty((await Studio.SaveDraftAsync(id, Element(document), draft.Revision, author)).Value!.Errors);
        Assert.True((await Studio.PublishAsync(id, draft.Revision + 1, author)).Succeeded);
    }
}

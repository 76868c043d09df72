using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using Microsoft.Data.Sqlite;
using static ChaosLab.Tests.Infrastructure.ScenarioSamples;

namespace ChaosLab.Tests.Core.Scenarios;

/// <summary>Packs: their files (JSON and zip) and the studio's export and all-or-nothing import.</summary>
public sealed class ScenarioPackTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _time = new(Now);
    private TestStore? _sourceStore;
    private TestStore? _targetStore;

    private IScenarioStudio Source => _sourceStore!.Get<IScenarioStudio>();

    private IScenarioStudio Target => _targetStore!.Get<IScenarioStudio>();

    private ScenarioStore SourceScenarios => _sourceStore!.Get<ScenarioStore>();

    private ScenarioStore TargetScenarios => _targetStore!.Get<ScenarioStore>();

    public async ValueTask DisposeAsync()
    {
        foreach (var store in new[] { _sourceStore, _targetStore }.OfType<TestStore>())
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
    }

    [StoreTheory]
    public async Task ExportImportExport_JsonAndZip_ByteIdenticalInAFreshStore(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        await PublishAsync(Source, FixedWorldCopy("X02"));
        await PublishAsync(Source, FixedWorldCopy("X01"));
        var second = FixedWorldCopy("X01");
        second["version"] = 2;
        second["title"] = "Ünïcode & <second> version";
        Assert.True((await Source.EditAsync("X01", "ada")).Succeeded);
        Assert.True((await Source.SaveDraftAsync("X01", Element(second), null, "ada")).Succeeded);
        Assert.True((await Source.PublishAsync("X01", null, "ada")).Succeeded);
        var exported = (await Source.ExportAsync(null)).Value!;
        var json = ScenarioPackFormat.WriteJson(exported);
        var zip = ScenarioPackFormat.WriteZip(exported);

        var imported = await Target.ImportAsync(ScenarioPackFormat.Read(zip).Value!, "importer");
        var again = (await Target.ExportAsync(null)).Value!;

        Assert.Equal([("X01", 1), ("X01", 2), ("X02", 1)], exported.Documents.Select(d => (d.GetProperty("id").GetString()!, d.GetProperty("version").GetInt32())));
        Assert.Equal([("X01", 1, "importer"), ("X01", 2, "importer"), ("X02", 1, "importer")], imported.Value!.Added.Select(v => (v.Id, v.Version, v.Author!)));
        Assert.Empty(imported.Value.Unchanged);
        Assert.Equal(json, ScenarioPackFormat.WriteJson(again));
        Assert.Equal(zip, ScenarioPackFormat.WriteZip(again));
        Assert.Equal(2, TargetScenarios.FindLatest("tools", "X01")!.Version);
        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.Equal(["X01/v1.json", "X01/v2.json", "X02/v1.json"], archive.Entries.Select(e => e.FullName));
        Assert.StartsWith("""{"format":"chaoslab.scenario-pack","scenarios":[{""", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task ImportAsync_SamePackTwice_SecondTimeEveryVersionUnchanged(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        var pack = new ScenarioPack([Element(FixedWorldCopy("X01"))]);
        Assert.True((await Target.ImportAsync(pack, "ada")).Succeeded);
        _time.Advance(TimeSpan.FromDays(1));

        var again = (await Target.ImportAsync(ScenarioPackFormat.Read(ScenarioPackFormat.WriteJson(pack)).Value!, "bob")).Value!;

        Assert.Empty(again.Added);
        Assert.Equal([new ScenarioVersionInfo("X01", 1, ScenarioSource.Stored, "ada", Now)], again.Unchanged);
    }

    [StoreTheory]
    public async Task ImportAsync_PackWithBadEntries_StoresNothingAndListsEachErrorUnderItsIndex(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        var badTarget = FixedWorldCopy("X02");
        badTarget["world"]!["targets"]!["country"] = "Atlantis";
        var gap = FixedWorldCopy("X03");
        gap["version"] = 2;
        var pack = new ScenarioPack(
        [
            Element(FixedWorldCopy("X01")),
            Element(badTarget),
            Element(BuiltIn("W01")),
            Element(JsonValue.Create(42)!),
            Element(FixedWorldCopy("x01")),
            Element(gap),
        ]);

        var result = await Target.ImportAsync(pack, "ada");

        Assert.Equal(StudioFailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(["/1/world/targets/country", "/2/id", "/3", "/4/version", "/5/version"], result.Failure.Errors.Select(e => e.Path));
        Assert.Equal("The pack was not imported: 5 problems; nothing was stored.", result.Failure.Message);
        Assert.Contains("entry 0 already holds version 1", result.Failure.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("first version is 1", result.Failure.Errors[4].Message, StringComparison.Ordinal);
        Assert.Empty((await Target.ExportAsync(null)).Value!.Documents);
        Assert.Null(TargetScenarios.FindLatest("tools", "X01"));
    }

    [StoreTheory]
    public async Task ImportAsync_ChangedStoredVersionOrIdWithADraft_Refused(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        await PublishAsync(Target, FixedWorldCopy("X01"));
        Assert.True((await Target.CreateDraftAsync(Element(FixedWorldCopy("X02")), "ada")).Succeeded);
        var changed = FixedWorldCopy("X01");
        changed["title"] = "Rewritten";

        var result = await Target.ImportAsync(new ScenarioPack([Element(changed), Element(FixedWorldCopy("X02"))]), "bob");

        Assert.Equal(["/0", "/1/id"], result.Failure!.Errors.Select(e => e.Path));
        Assert.Contains("already stored with other content", result.Failure.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("has a draft", result.Failure.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal(FixedWorldCopy("X01")["title"]!.GetValue<string>(), (await TargetScenarios.FindAsync("X01", 1))!.Title);
    }

    [StoreTheory]
    public async Task ImportAsync_VersionsListedNewestFirst_StoredInVersionOrder(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        var second = FixedWorldCopy("X01");
        second["version"] = 2;

        var result = (await Target.ImportAsync(new ScenarioPack([Element(second), Element(FixedWorldCopy("X01"))]), null)).Value!;

        Assert.Equal([2, 1], result.Added.Select(v => v.Version));
        Assert.Equal([1, 2], (await Target.VersionsAsync("X01")).Select(v => v.Version));
    }

    [StoreTheory]
    public async Task ImportAsync_TooManyDocuments_Invalid(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        var pack = new ScenarioPack([.. Enumerable.Repeat(Element(FixedWorldCopy("X01")), ScenarioPackFormat.MaxDocuments + 1)]);

        var result = await Target.ImportAsync(pack, null);

        Assert.Equal(StudioFailureKind.Invalid, result.Failure!.Kind);
        Assert.Contains("at most 1000", result.Failure.Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task ExportAsync_ChosenIds_OnlyTheirVersionsAndUnknownOrBuiltInIdsNotFound(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        await PublishAsync(Source, FixedWorldCopy("X01"));
        await PublishAsync(Source, FixedWorldCopy("X02"));

        var chosen = (await Source.ExportAsync(["x02"])).Value!;
        var unknown = await Source.ExportAsync(["X02", "X09"]);
        var builtIn = await Source.ExportAsync(["W01"]);

        Assert.Equal(["X02"], chosen.Documents.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal("No published scenario has the id 'X09'.", unknown.Failure!.Message);
        Assert.Equal(StudioFailureKind.NotFound, builtIn.Failure!.Kind);
        Assert.Contains("built-in", builtIn.Failure.Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    public async Task ExportAsync_StoredRevisionOfABuiltIn_LeftOutSoThePackStaysImportable(StoreProvider provider)
    {
        await UseStoresAsync(provider);
        var revision = BuiltIn("W02");
        revision["version"] = 2;
        Assert.True((await SourceScenarios.AddVersionAsync(Element(revision))).Succeeded);
        await PublishAsync(Source, FixedWorldCopy("X01"));

        var pack = (await Source.ExportAsync(null)).Value!;

        Assert.Equal(["X01"], pack.Documents.Select(d => d.GetProperty("id").GetString()));
        Assert.True((await Target.ImportAsync(pack, null)).Succeeded);
    }

    [Theory]
    [InlineData("not json at all", "", "neither JSON nor a zip")]
    [InlineData("[1, 2]", "", "Not a scenario pack")]
    [InlineData("""{"title": "no id"}""", "", "Not a scenario pack")]
    [InlineData("""{"format": "other", "version": 1, "scenarios": []}""", "/format", "format must be")]
    [InlineData("""{"format": "chaoslab.scenario-pack", "version": 2, "scenarios": []}""", "/version", "version 1")]
    [InlineData("""{"format": "chaoslab.scenario-pack", "version": 1, "scenarios": {}}""", "/scenarios", "array")]
    [InlineData("""{"format": "chaoslab.scenario-pack", "version": 1, "scenarios": [], "extra": 1}""", "/extra", "no field 'extra'")]
    [InlineData("""{"format": "chaoslab.scenario-pack", "format": "chaoslab.scenario-pack", "version": 1, "scenarios": []}""", "", "neither JSON nor a zip")]
    public void Read_NotAPack_InvalidWithThePathAndReason(string text, string path, string reason)
    {
        var result = ScenarioPackFormat.Read(Encoding.UTF8.GetBytes(text));

        Assert.Equal(StudioFailureKind.Invalid, result.Failure!.Kind);
        var error = Assert.Single(result.Failure.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OneScenarioDocument_PackOfOne()
    {
        var document = FixedWorldCopy("X01");

        var pack = ScenarioPackFormat.Read(Encoding.UTF8.GetBytes(document.ToJsonString())).Value!;

        Assert.True(JsonNode.DeepEquals(document, JsonNode.Parse(Assert.Single(pack.Documents).GetRawText())));
    }

    [Fact]
    public void Read_TooManyDocumentsOrBytes_InvalidBeforeReadingThem()
    {
        var many = Encoding.UTF8.GetBytes($$"""{"format":"chaoslab.scenario-pack","version":1,"scenarios":[{{string.Join(',', Enumerable.Repeat("{}", ScenarioPackFormat.MaxDocuments + 1))}}]}""");
        var large = new byte[ScenarioPackFormat.MaxBytes + 1];

        Assert.Equal("/scenarios", Assert.Single(ScenarioPackFormat.Read(many).Failure!.Errors).Path);
        Assert.Contains("more than 16 MiB", ScenarioPackFormat.Read(large).Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamLongerThanTheCap_InvalidWithoutReadingItAll()
    {
        await using var stream = new MemoryStream(new byte[ScenarioPackFormat.MaxBytes + 100_000]);

        var result = await ScenarioPackFormat.ReadAsync(stream);

        Assert.Contains("more than 16 MiB", result.Failure!.Message, StringComparison.Ordinal);
        Assert.True(stream.Position < stream.Length);
    }

    [Fact]
    public void Read_ZipWithBadEntries_EachListedUnderItsIndex()
    {
        var zip = Zip(
            ("X01/v1.json", FixedWorldCopy("X01").ToJsonString()),
            ("notes.txt", "hello"),
            ("X02/v1.json", "{ not json"),
            ("X03/v1.json", FixedWorldCopy("X04").ToJsonString()));

        var result = ScenarioPackFormat.Read(zip);

        Assert.Equal(["/1", "/2", "/3"], result.Failure!.Errors.Select(e => e.Path));
        Assert.Contains("'notes.txt' is not a .json file", result.Failure.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'X02/v1.json' is not JSON", result.Failure.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("name it 'X04/v1.json'", result.Failure.Errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ZipThatInflatesPastTheCap_InvalidWithoutInflatingItAll()
    {
        // About 16 KiB compressed, over 16 MiB once inflated.
        var zip = Zip(("bomb/v1.json", "[" + new string(' ', ScenarioPackFormat.MaxBytes) + "]"));

        var result = ScenarioPackFormat.Read(zip);

        Assert.True(zip.Length < 100_000);
        Assert.Contains("more than 16 MiB", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DamagedZip_InvalidNotAnException()
    {
        var zip = Zip(("X01/v1.json", FixedWorldCopy("X01").ToJsonString()));
        var damaged = zip[..(zip.Length / 2)];

        var result = ScenarioPackFormat.Read(damaged);

        Assert.Equal(StudioFailureKind.Invalid, result.Failure!.Kind);
        Assert.Contains("The zip cannot be read", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ZipWithDirectoryEntries_OnlyItsFilesAreDocuments()
    {
        var zip = Zip(("X01/", ""), ("X01/v1.json", FixedWorldCopy("X01").ToJsonString()));

        var pack = ScenarioPackFormat.Read(zip).Value!;

        Assert.Equal("X01", Assert.Single(pack.Documents).GetProperty("id").GetString());
    }

    private static async Task PublishAsync(IScenarioStudio studio, JsonObject document)
    {
        Assert.True((await studio.CreateDraftAsync(Element(document), "ada")).Succeeded);
        Assert.True((await studio.PublishAsync(document["id"]!.GetValue<string>(), null, "ada")).Succeeded);
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Two stores on <paramref name="provider"/>: the one packs are exported from and a fresh one they are imported into.</summary>
    private async Task UseStoresAsync(StoreProvider provider)
    {
        _sourceStore = await StoreAsync(provider, _time);
        _targetStore = await StoreAsync(provider, _time);
    }
}

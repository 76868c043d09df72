using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Model;

public sealed class PlaygroundViewModelTests : IAsyncLifetime
{
    private RecordingHarness _harness = null!;
    private EnvironmentGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _harness = await RecordingHarness.StartAsync();
        _gateway = Gateway(maxSessions: 4);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void Catalog_TaskAndTierChosen_ScenariosAreFilteredAndToolsGrouped()
    {
        var model = CreateModel();

        model.TaskId = "task3";
        model.Tier = "expert";

        Assert.NotEmpty(model.Scenarios);
        Assert.All(model.Scenarios, s => Assert.Equal(("task3", "expert"), (s.TaskId, s.Tier)));
        Assert.Equal(["retrieval", "computation", "storage", "validation", "action"], model.ToolGroups.Select(g => g.Key));
        Assert.DoesNotContain(model.ToolGroups.SelectMany(g => g), t => t.Name == PlaygroundViewModel.SubmitAnswerTool);
    }

    [Fact]
    public void Tier_ChangedAwayFromTheChosenScenario_DropsTheScenario()
    {
        var model = CreateModel();
        model.TaskId = "task3";
        model.ScenarioId = model.Scenarios.First(s => s.Tier == "expert").Id;

        model.Tier = "warmup";

        Assert.Null(model.ScenarioId);
    }

    [Fact]
    public async Task StartAsync_ChosenScenarioAndSeed_OpensARecordedUiSessionForHuman()
    {
        await using var model = CreateModel();
        model.TaskId = "task3";
        model.Tier = "expert";
        model.SeedText = "1";

        Assert.True(await model.StartAsync());

        Assert.True(model.Running);
        Assert.Equal((1L, "expert"), (model.Episode!.Seed, model.Episode.Tier));
        Assert.False(string.IsNullOrWhiteSpace(model.Prompt));
        Assert.Equal((10, 10), (model.StepsRemaining!.Value, model.MaxSteps!.Value));
        Assert.NotNull(model.Form);
        Assert.Equal(1, _gateway.Sessions.ActiveSessions);
        var stored = await WaitForEpisodeAsync(model.EpisodeId!);
        Assert.Equal(("human", ClientKinds.Ui), (stored.Agent, stored.ClientKind));
    }

    [Fact]
    public async Task StartAsync_BadSeed_ShowsAnErrorAndOpensNothing()
    {
        await using var model = CreateModel();
        model.SeedText = "-3";

        Assert.False(await model.StartAsync());

        Assert.Contains("whole number", model.SetupError, StringComparison.Ordinal);
        Assert.Equal(0, _gateway.Sessions.ActiveSessions);
    }

    [Fact]
    public async Task StartAsync_EmptySeed_DrawsOneAndShowsIt()
    {
        await using var model = CreateModel();

        Assert.True(await model.StartAsync());

        Assert.Equal(model.Episode!.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), model.SeedText);
    }

    [Fact]
    public async Task StartAsync_ServerAtCapacity_SaysSoAndHoldsNoSlot()
    {
        _gateway = Gateway(maxSessions: 1);
        var other = _gateway.Sessions.TryOpen(ClientKinds.WebSocket, new ToolsSuite(), SessionLifetime.Socket);
        Assert.NotNull(other);
        await using var model = CreateModel();

        Assert.False(await model.StartAsync());

        Assert.Contains("Server at capacity", model.SetupError, StringComparison.Ordinal);
        Assert.False(model.Started);
        Assert.Equal(1, _gateway.Sessions.ActiveSessions);
    }

    [Fact]
    public async Task CallToolAsync_InvalidJsonField_SendsNothing()
    {
        await using var model = await StartedAsync();
        model.SelectTool("database_insert");
        model.Form!.Fields.Single(f => f.Name == "table").Value = "agent_notes";
        model.Form.Fields.Single(f => f.Name == "data").Value = "{ broken";

        Assert.False(await model.CallToolAsync());

        Assert.Empty(model.Turns);
        Assert.Equal(10, model.StepsRemaining);
        Assert.NotNull(model.ActionError);
        Assert.NotNull(model.Form.Fields.Single(f => f.Name == "data").Error);
    }

    [Fact]
    public async Task CallToolAsync_ValidForm_StepsAndShowsTheResponse()
    {
        await using var model = await StartedAsync();
        model.SelectTool("calculator");
        model.Form!.Fields.Single().Value = "6*7";

        Assert.True(await model.CallToolAsync());

        var turn = Assert.Single(model.Turns);
        Assert.Equal((1, "calculator"), (turn.Step, turn.Title));
        Assert.Contains("\"expression\": \"6*7\"", turn.Arguments, StringComparison.Ordinal);
        Assert.Equal(9, model.StepsRemaining);
    }

    [Fact]
    public async Task SubmitAnswerAsync_BrokenJsonObject_IsRefusedInline()
    {
        await using var model = await StartedAsync();
        model.AnswerText = "{ \"revenue\": ";

        Assert.False(await model.SubmitAnswerAsync());

        Assert.Contains("not a valid object", model.AnswerError, StringComparison.Ordinal);
        Assert.True(model.Running);
    }

    [Fact]
    public async Task SubmitAnswerAsync_PlainText_GradesEndsAndFreesTheSlot()
    {
        await using var model = await StartedAsync();
        model.AnswerText = "No, the real revenue is 4.88 billion USD";

        Assert.True(await model.SubmitAnswerAsync());

        Assert.True(model.Done);
        Assert.NotNull(model.Grade);
        Assert.NotEmpty(model.Grade.Criteria);
        Assert.Equal(model.Grade.Outcome, model.Outcome);
        Assert.Equal(0, _gateway.Sessions.ActiveSessions);
        var stored = await WaitForEpisodeAsync(model.EpisodeId!, e => e.Outcome is not null);
        Assert.Equal(model.Grade.Outcome, stored.Outcome);
    }

    [Fact]
    public async Task DisposeAsync_EpisodeRunning_RecordsItAsAbandoned()
    {
        var model = await StartedAsync();
        var id = model.EpisodeId!;

        await model.DisposeAsync();

        Assert.Equal(0, _gateway.Sessions.ActiveSessions);
        var stored = await WaitForEpisodeAsync(id, e => e.Outcome is not null);
        Assert.Equal("abandoned", stored.Outcome);
    }

    [Fact]
    public async Task LoadPublished_StoredScenario_OfferedChosenByIdAndPlayed()
    {
        using var directory = new TempDirectory();
        await using var services = await ScenarioSamples.ServicesAsync(directory);
        var store = services.GetRequiredService<ScenarioStore>();
        Assert.True((await store.AddVersionAsync(ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy("X01")))).Succeeded);
        var gateway = TestGateway.Create(_harness, new SuiteCatalog([new ToolsSuite(null, store)]), 4);
        await using var model = new PlaygroundViewModel(gateway, services.GetRequiredService<ScenarioLibrary>());

        Assert.False(model.ChooseScenario("X01"));
        await model.LoadPublishedAsync();

        Assert.True(model.ChooseScenario("x01"));
        Assert.Equal(("tools", "X01"), (model.SuiteName, model.ScenarioId));
        Assert.Contains(model.Scenarios, s => s.Id == "X01");
        Assert.False(model.ChooseScenario("no-such-scenario"));
        model.SeedText = "4";
        Assert.True(await model.StartAsync(), model.SetupError);
        Assert.Equal(("X01", 1), (model.Episode!.ScenarioId, model.Episode.ScenarioVersion));
    }

    private PlaygroundViewModel CreateModel() => new(_gateway);

    private async Task<PlaygroundViewModel> StartedAsync()
    {
        var model = CreateModel();
        model.TaskId = "task3";
        model.Tier = "expert";
        model.SeedText = "3";
        Assert.True(await model.StartAsync(), model.SetupError);
        return model;
    }

    private EnvironmentGateway Gateway(int maxSessions) =>
        TestGateway.Create(_harness, new SuiteCatalog([new ToolsSuite()]), maxSessions);

    private async Task<EpisodeSummary> WaitForEpisodeAsync(string id, Func<EpisodeSummary, bool>? condition = null) =>
        (await StoreWaiter.WaitForAsync(_harness.Feed, _harness.Store, id, t => condition?.Invoke(t.Episode) ?? true)).Episode;
}

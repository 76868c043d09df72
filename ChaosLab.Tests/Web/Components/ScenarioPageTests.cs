using System.Text.Json;
using Bunit;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model.Studio;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

/// <summary>One scenario's studio page (read-only until the editor joins it): header, document, history and preview.</summary>
public sealed class ScenarioPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeScenarioStudio _studio = new();
    private readonly FakeScenarioPreview _preview = new();
    private ServiceProvider? _scenarios;

    [Fact]
    public async Task BuiltIn_ShowsItsDocumentStatusHistoryAndAnEnabledPreview()
    {
        _studio.Rows.Add(FakeScenarioStudio.Row("F01", ScenarioStatus.BuiltIn));
        _studio.Versions["F01"] = [new ScenarioVersionInfo("F01", 1, ScenarioSource.BuiltIn, null, null)];
        await RegisterAsync();
        NavigateTo("scenarios/F01");

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "F01"));

        page.WaitForAssertion(() => Assert.Contains("\"id\": \"F01\"", page.Find("[data-testid=scenario-document]").TextContent, StringComparison.Ordinal));
        Assert.Equal(("built_in", "version 1"), (page.Find("[data-testid=status]").GetAttribute("data-status"), page.Find("[data-testid=scenario-version]").TextContent));
        Assert.Equal("Title of F01", page.Find("[data-testid=scenario-title]").TextContent);
        Assert.Equal("v1", page.Find("[data-testid=scenario-history] [data-testid=version]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=preview-disabled]"));
        Assert.False(page.Find("[data-testid=preview-run]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task DraftWithErrors_ListsThemAndTurnsThePreviewOff()
    {
        _studio.Rows.Add(FakeScenarioStudio.Row("my-pop", ScenarioStatus.Draft) with { Version = 1, PublishedVersion = null });
        var document = JsonDocument.Parse("""{"id":"my-pop","version":1,"suite":"tools"}""").RootElement;
        _studio.Drafts["my-pop"] = new ScenarioDraft("my-pop", "tools", 1, 3, null, "ada", Now, Now, document,
            [new ScenarioError("/task", "required"), new ScenarioError("/tier", "required")]);
        await RegisterAsync();

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));

        page.WaitForAssertion(() => Assert.Equal(["/task required", "/tier required"], page.FindAll("[data-testid=draft-error]").Select(e => e.TextContent)));
        Assert.Equal("draft of version 1, never published", page.Find("[data-testid=scenario-version]").TextContent);
        Assert.Contains("\"suite\": \"tools\"", page.Find("[data-testid=scenario-document]").TextContent, StringComparison.Ordinal);
        Assert.Equal("The draft has 2 errors; the preview plays only a valid scenario.", page.Find("[data-testid=preview-disabled]").TextContent.Trim());
        Assert.Contains("Not published yet", page.Find("[data-testid=scenario-history]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownId_EmptyStateLinksToTheList()
    {
        await RegisterAsync();

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "nope"));

        page.WaitForAssertion(() => Assert.Equal("scenarios", page.Find("[data-testid=state-empty] a").GetAttribute("href")));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _scenarios?.Dispose();
            SqliteConnection.ClearAllPools();
            _directory.Dispose();
        }
    }

    private async Task RegisterAsync()
    {
        _scenarios = await ScenarioSamples.ServicesAsync(_directory);
        Services.AddSingleton(_scenarios.GetRequiredService<ScenarioLibrary>());
        Services.AddSingleton<IScenarioStudio>(_studio);
        Services.AddSingleton<IScenarioPreview>(_preview);
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<ScenarioPageViewModel>();
    }
}

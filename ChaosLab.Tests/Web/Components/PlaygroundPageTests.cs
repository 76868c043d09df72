using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace ChaosLab.Tests.Web.Components;

public sealed class PlaygroundPageTests : IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await RecordingHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Render_ToolsSuite_ShowsLabelledSetupFormAndIntro()
    {
        await using var renderer = CreateRenderer(new SuiteCatalog([new ToolsSuite()]));

        var page = await renderer.RenderAsync<Playground>();

        Assert.Equal("Playground", page.QuerySelector("h1")!.TextContent);
        foreach (var id in new[] { "pg-suite", "pg-task", "pg-tier", "pg-scenario", "pg-seed" })
        {
            Assert.NotNull(page.QuerySelector($"label[for={id}]"));
            Assert.NotNull(page.QuerySelector($"#{id}"));
        }

        Assert.Equal(["", "task1", "task2", "task3"], page.QuerySelectorAll("#pg-task option").Select(o => o.GetAttribute("value")));
        Assert.Equal(new ToolsSuite().Scenarios.Count + 1, page.QuerySelectorAll("#pg-scenario option").Length);
        Assert.NotNull(page.QuerySelector("[data-testid=pg-random-seed][aria-label]"));
        Assert.NotNull(page.QuerySelector("[data-testid=pg-intro]"));
        Assert.Null(page.QuerySelector("[data-testid=tool-form]"));
    }

    [Fact]
    public async Task Render_NoSuites_ShowsEmptyState()
    {
        await using var renderer = CreateRenderer(new SuiteCatalog([]));

        var page = await renderer.RenderAsync<Playground>();

        Assert.Contains("No suites are installed", page.QuerySelector("[data-testid=state-empty]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=setup-form]"));
    }

    [Fact]
    public async Task Render_ToolForm_GeneratesLabelledFieldsWithRequiredMarksAndHelp()
    {
        var form = ToolForm.FromSchema(new ToolsSuite().Tools.Single(t => t.Name == "hash_verify").InputSchema);
        form.Fields[0].Error = "Required.";
        await using var renderer = CreateRenderer(new SuiteCatalog([]));

        var page = await renderer.RenderAsync<ToolFormFields>(new Dictionary<string, object?> { ["Form"] = form, ["IdPrefix"] = "arg" });

        Assert.Equal(["data", "expected_hash", "algorithm"], page.QuerySelectorAll("[data-testid=tool-field]").Select(f => f.GetAttribute("data-field")));
        Assert.Contains("(required)", page.QuerySelector("label[for=arg-data]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("optional", page.QuerySelector("label[for=arg-algorithm]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("SELECT", page.QuerySelector("#arg-algorithm")!.TagName);
        Assert.Equal("TEXTAREA", page.QuerySelector("#arg-data")!.TagName);
        Assert.Contains("arg-data-error", page.QuerySelector("#arg-data")!.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("Required.", page.QuerySelector("#arg-data-error")!.TextContent);
        Assert.Contains("is-invalid", page.QuerySelector("#arg-data")!.ClassName, StringComparison.Ordinal);
    }

    private ComponentRenderer CreateRenderer(SuiteCatalog catalog) => new(services =>
    {
        services.AddSingleton(TestGateway.Create(_harness, catalog));
        services.AddScoped<PlaygroundViewModel>();
        services.AddMudServices();
        services.AddSingleton<NavigationManager>(new StaticNavigationManager("playground"));
    });
}

using Bunit;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

public sealed class PlaygroundPageTests : DashboardTestContext, IAsyncLifetime
{
    private RecordingHarness _harness = null!;

    async Task IAsyncLifetime.InitializeAsync() => _harness = await RecordingHarness.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public void Render_ToolsSuite_ShowsLabelledSetupFormAndIntro()
    {
        var page = Render(new SuiteCatalog([new ToolsSuite()]));

        Assert.Equal("Playground", page.Find("h1").TextContent);
        foreach (var id in new[] { "pg-suite", "pg-task", "pg-tier", "pg-scenario", "pg-seed" })
        {
            Assert.NotNull(page.Find($"label[for={id}]"));
            Assert.NotNull(page.Find($"#{id}"));
        }

        Assert.NotNull(page.Find("[aria-label='Random seed']"));
        Assert.NotNull(page.Find("[data-testid=pg-intro]"));
        Assert.Empty(page.FindAll("[data-testid=tool-form]"));
        Assert.False(page.Find("[data-testid=pg-start]").HasAttribute("disabled"));
    }

    [Fact]
    public void Render_NoSuites_ShowsEmptyState()
    {
        var page = Render(new SuiteCatalog([]));

        Assert.Contains("No suites are installed", page.Find("[data-testid=state-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=setup-form]"));
    }

    [Fact]
    public void Render_Prerendered_StartAndSeedDisabledUntilTheCircuitIsUp()
    {
        // Typed into the prerendered page, a seed would be lost when the interactive render
        // replaces it, and Start would draw a random one.
        RegisterPlayground(new SuiteCatalog([new ToolsSuite()]));
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Render<Playground>();

        Assert.Equal("false", page.Find("[data-interactive]").GetAttribute("data-interactive"));
        Assert.True(page.Find("[data-testid=pg-start]").HasAttribute("disabled"));
        Assert.True(page.Find("#pg-seed").HasAttribute("disabled"));
    }

    [Fact]
    public void Start_SeedTypedThenSubmittedAtOnce_EpisodeUsesTheTypedSeed()
    {
        var page = Render(new SuiteCatalog([new ToolsSuite()]));

        page.Find("#pg-seed").Input("1234");
        page.Find("[data-testid=setup-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("1234", page.Find("[data-testid=pg-episode-seed]").TextContent));
    }

    [Fact]
    public void Start_ToolList_GroupedByCategoryWithoutSubmitAnswer()
    {
        var page = StartEpisode();

        page.Find("form[data-testid=tool-form] .mud-input-control").MouseDown();

        var categories = new ToolsSuite().Tools.Where(t => t.Name != "submit_answer").Select(t => t.Category).Distinct().ToList();
        Popovers.WaitForAssertion(() => Assert.Equal(categories, Popovers.FindAll("[data-testid=pg-tool-group]").Select(g => g.TextContent.Trim())));
        var options = Popovers.FindAll("[data-testid=pg-tool-option]").Select(o => o.TextContent.Trim()).ToList();
        Assert.Equal(new ToolsSuite().Tools.Count - 1, options.Count);
        Assert.DoesNotContain("submit_answer", options);
        // The headings live only in the open list, not as loose text under the field.
        Assert.Empty(page.FindAll("[data-testid=pg-tool-group]"));
    }

    [Fact]
    public void CallTool_EmptyRequiredField_ErrorOnTheFieldAndNoStepSpent()
    {
        var page = StartEpisode();

        page.Find("[data-testid=tool-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("Required.", page.Find("[data-field=query]").TextContent, StringComparison.Ordinal));
        Assert.Contains("nothing was sent", page.Find("[data-testid=pg-action-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=pg-turn]"));
    }

    [Fact]
    public void CallTool_Succeeds_TheResponseIsShownAndScrolledIntoView()
    {
        var module = JSInterop.SetupModule("./js/playground.js");
        module.SetupVoid("revealIfOffScreen", _ => true);
        var page = StartEpisode();

        page.Find("#arg-web_search-query").Input("population");
        page.Find("[data-testid=tool-form]").Submit();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=pg-turn]")));
        page.WaitForAssertion(() => Assert.Single(module.VerifyInvoke("revealIfOffScreen").Arguments));
    }

    [Fact]
    public void ToolFormFields_HashVerify_LabelledControlsRequiredMarksHelpAndErrors()
    {
        var form = ToolForm.FromSchema(new ToolsSuite().Tools.Single(t => t.Name == "hash_verify").InputSchema);
        form.Fields[0].Error = "Required.";
        RegisterPlayground(new SuiteCatalog([]));

        var fields = RenderPage<ToolFormFields>(p => p.Add(f => f.Form, form).Add(f => f.IdPrefix, "arg"));

        Assert.Equal(["data", "expected_hash", "algorithm"], fields.FindAll("[data-testid=tool-field]").Select(f => f.GetAttribute("data-field")));
        Assert.Equal("data", fields.Find("label[for=arg-data]").TextContent.Trim());
        Assert.Equal("true", fields.Find("#arg-data").GetAttribute("aria-required"));
        Assert.Contains("optional", fields.Find("[data-field=algorithm]").TextContent, StringComparison.Ordinal);
        Assert.Equal("combobox", fields.Find("[data-field=algorithm] [role=combobox]").GetAttribute("role"));
        Assert.Equal("TEXTAREA", fields.Find("#arg-data").TagName);
        Assert.Equal("true", fields.Find("#arg-data").GetAttribute("aria-invalid"));
        Assert.Contains("Required.", fields.Find("[data-field=data]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolFormFields_NumberAndBoolean_NumericFieldAndSwitch()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse("""
            {"type":"object","properties":{"tolerance":{"type":"number","minimum":0,"maximum":1},"strict":{"type":"boolean"}},"required":["tolerance"]}
            """)!.AsObject();
        var form = ToolForm.FromSchema(schema);
        RegisterPlayground(new SuiteCatalog([]));

        var fields = RenderPage<ToolFormFields>(p => p.Add(f => f.Form, form).Add(f => f.IdPrefix, "arg"));
        fields.Find("#arg-tolerance").Input("3");
        fields.Find("[data-field=strict] input[type=checkbox]").Change(true);

        Assert.Equal("3", form.Fields[0].Value);
        Assert.True(form.Fields[1].Checked);
        Assert.False(form.TryBuildArguments(out _));
        Assert.StartsWith("Must be between 0 and 1", form.Fields[0].Error, StringComparison.Ordinal);
        fields.Render();
        Assert.Contains("Must be between 0 and 1", fields.Find("[data-field=tolerance]").TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<Playground> StartEpisode()
    {
        var page = Render(new SuiteCatalog([new ToolsSuite()]));
        page.Find("#pg-seed").Input("7");
        page.Find("[data-testid=setup-form]").Submit();
        page.WaitForElement("[data-testid=tool-form]");
        return page;
    }

    private IRenderedComponent<Playground> Render(SuiteCatalog catalog)
    {
        RegisterPlayground(catalog);
        NavigateTo("playground");
        return RenderPage<Playground>();
    }

    private void RegisterPlayground(SuiteCatalog catalog)
    {
        Services.AddSingleton(catalog);
        Services.AddSingleton(TestGateway.Create(_harness, catalog));
        Services.AddScoped<PlaygroundViewModel>();
    }
}

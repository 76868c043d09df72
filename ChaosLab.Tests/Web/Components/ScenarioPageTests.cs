using System.Security.Claims;
using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Preview;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model.Studio;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components;

/// <summary>One scenario's studio page: the draft's editor and actions, read-only versions, who may act, history and preview.</summary>
public sealed class ScenarioPageTests : DashboardTestContext
{
    // Other test classes run beside this one and can keep the renderer's dispatcher waiting.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeScenarioStudio _studio = new();
    private readonly FakeScenarioPreview _preview = new();
    private ServiceProvider? _scenarios;

    [Fact]
    public async Task BuiltIn_ShowsItsDocumentStatusHistoryAndAnEnabledPreview()
    {
        // A preview run is an author's action (it plays hundreds of episodes).
        SignInAsAuthor();
        _studio.Rows.Add(FakeScenarioStudio.Row("F01", ScenarioStatus.BuiltIn));
        _studio.Versions["F01"] = [new ScenarioVersionInfo("F01", 1, ScenarioSource.BuiltIn, null, null)];
        await RegisterAsync();
        NavigateTo("scenarios/F01");

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "F01"));

        page.WaitForAssertion(() => Assert.Contains("F01 · version 1", page.Find("[data-testid=scenario-editor]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(("built_in", "version 1"), (page.Find("[data-testid=status]").GetAttribute("data-status"), page.Find("[data-testid=scenario-version]").TextContent));
        Assert.Equal("Title of F01", page.Find("[data-testid=scenario-title]").TextContent);
        Assert.Equal("v1", page.Find("[data-testid=scenario-history] [data-testid=version]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=preview-disabled]"));
        Assert.False(page.Find("[data-testid=preview-run]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task DraftWithErrors_PinsThemInTheEditorAndTurnsPublishAndPreviewOff()
    {
        SignInAsAuthor();
        _studio.Rows.Add(FakeScenarioStudio.Row("my-pop", ScenarioStatus.Draft) with { Version = 1, PublishedVersion = null });
        var document = JsonDocument.Parse("""{"id":"my-pop","version":1,"suite":"tools"}""").RootElement;
        _studio.Drafts["my-pop"] = new ScenarioDraft("my-pop", "tools", 1, 3, null, "ada", Now, Now, document,
            [new ScenarioError("/task", "required"), new ScenarioError("/tier", "required")]);
        await RegisterAsync();

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));

        page.WaitForAssertion(() => Assert.Equal("Fix 2 errors to publish.", page.Find("[data-testid=publish-blocked]").TextContent), Patience);
        Assert.True(page.Find("button[data-testid=publish]").HasAttribute("disabled"));
        Assert.Equal("draft of version 1, never published", page.Find("[data-testid=scenario-version]").TextContent);
        Assert.Contains("required", page.Find("[data-field='/task']").TextContent, StringComparison.Ordinal);
        Assert.Equal("The draft has 2 errors; the preview plays only a valid scenario.", page.Find("[data-testid=preview-disabled]").TextContent.Trim());
        Assert.Contains("Not published yet", page.Find("[data-testid=scenario-history]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_ShowsTheEditableEditorSavePublishAndTheAnswerKey()
    {
        SignInAsAuthor();
        await RegisterAsync();
        AddDraft("my-pop");

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));

        page.WaitForAssertion(() => Assert.False(page.Find("button[data-testid=publish]").HasAttribute("disabled")), Patience);
        Assert.False(page.Find("button[data-testid=save-draft]").HasAttribute("disabled"));
        Assert.NotNull(page.Find("button[data-testid=discard-draft]"));
        Assert.False(Title(page).HasAttribute("readonly"));
        var slot = Assert.Single(page.FindAll("[data-testid=answer-key-slot]"));
        // The expected value is derived from the draft's world, not F01's.
        Assert.Equal("7000123", string.Concat(slot.QuerySelector("[data-testid=answer-key-expected]")!.TextContent.Where(char.IsAsciiDigit)));
        Assert.Empty(page.FindAll("[data-testid=clone]"));
    }

    [Fact]
    public async Task Edit_ThatValidationRejects_DisablesPublishWithTheReason()
    {
        SignInAsAuthor();
        await RegisterAsync();
        AddDraft("my-pop");
        _studio.Validator = d => d.GetProperty("title").GetString() == "bad" ? [new ScenarioError("/title", "not a good title")] : [];
        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));
        page.WaitForAssertion(() => Assert.NotNull(Title(page)), Patience);

        Title(page).Change("bad");

        page.WaitForAssertion(() => Assert.Equal("Fix 1 error to publish.", page.Find("[data-testid=publish-blocked]").TextContent), Patience);
        Assert.True(page.Find("button[data-testid=publish]").HasAttribute("disabled"));
        Assert.Contains("not a good title", page.Find("[data-field='/title']").TextContent, StringComparison.Ordinal);

        Title(page).Change("good again");

        page.WaitForAssertion(() => Assert.False(page.Find("button[data-testid=publish]").HasAttribute("disabled")), Patience);
        Assert.Empty(page.FindAll("[data-testid=publish-blocked]"));
    }

    [Fact]
    public async Task Save_EditedDraft_SavesAtItsRevisionAndSaysSo()
    {
        SignInAsAuthor("Ada");
        await RegisterAsync();
        AddDraft("my-pop");
        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));
        page.WaitForAssertion(() => Assert.NotNull(Title(page)), Patience);

        Title(page).Change("Edited title");
        WaitForTheEdit(page);
        page.Find("button[data-testid=save-draft]").Click();

        page.WaitForAssertion(() => Assert.Equal("Saved (revision 4).", page.Find("[data-testid=action-notice]").TextContent), Patience);
        var save = Assert.Single(_studio.Saves);
        Assert.Equal(("my-pop", 3, "Ada", "Edited title"), (save.Id, save.Revision, save.Author, save.Document.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Save_AfterSomeoneElseSaved_ShowsTheConflictAndKeepsTheEdits()
    {
        SignInAsAuthor();
        await RegisterAsync();
        AddDraft("my-pop");
        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));
        page.WaitForAssertion(() => Assert.NotNull(Title(page)), Patience);
        Title(page).Change("Mine");
        WaitForTheEdit(page);
        _studio.Drafts["my-pop"] = _studio.Drafts["my-pop"] with { Revision = 4 };

        page.Find("button[data-testid=save-draft]").Click();

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=action-error]").GetAttribute("data-conflict")), Patience);
        Assert.StartsWith("Conflict: someone else saved", page.Find("[data-testid=action-error]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Mine", Title(page).GetAttribute("value"));
        Assert.NotNull(page.Find("[data-testid=reload-draft]"));
    }

    [Fact]
    public async Task Publish_ValidDraft_ShowsThePublishedVersionAndRefreshesHistory()
    {
        SignInAsAuthor("Ada");
        await RegisterAsync();
        AddDraft("my-pop");
        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));
        page.WaitForAssertion(() => Assert.Contains("Not published yet", page.Find("[data-testid=scenario-history]").TextContent, StringComparison.Ordinal), Patience);

        page.Find("button[data-testid=publish]").Click();

        page.WaitForAssertion(() => Assert.Equal("Published version 1.", page.Find("[data-testid=action-notice]").TextContent), Patience);
        Assert.Equal(("published", "version 1"), (page.Find("[data-testid=status]").GetAttribute("data-status"), page.Find("[data-testid=scenario-version]").TextContent));
        Assert.Equal(("my-pop", (int?)3, (string?)"Ada"), Assert.Single(_studio.Publications));
        page.WaitForAssertion(() => Assert.Equal("v1", page.Find("[data-testid=scenario-history] [data-testid=version]").TextContent), Patience);
        Assert.Empty(page.FindAll("[data-testid=publish]"));
        Assert.NotNull(page.Find("button[data-testid=edit]"));
        Assert.Equal("playground?scenario=my-pop", page.Find("[data-testid=play]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=answer-key]"));
    }

    [Fact]
    public async Task Edit_Published_OpensADraftOfTheNextVersion()
    {
        SignInAsAuthor();
        await RegisterAsync();
        _studio.Rows.Add(FakeScenarioStudio.Row("my-pop", ScenarioStatus.Published) with { Version = 1, PublishedVersion = 1 });
        _studio.Published["my-pop"] = ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy("my-pop"));
        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));

        page.WaitForAssertion(() => page.Find("button[data-testid=edit]").Click(), Patience);

        page.WaitForAssertion(() => Assert.Equal("draft of version 2 (version 1 is played)", page.Find("[data-testid=scenario-version]").TextContent), Patience);
        Assert.NotNull(page.Find("button[data-testid=publish]"));
        Assert.False(Title(page).HasAttribute("readonly"));
    }

    [Fact]
    public async Task Discard_NeverPublishedDraft_AsksThenGoesBackToTheList()
    {
        SignInAsAuthor();
        await RegisterAsync();
        AddDraft("my-pop");
        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));

        page.WaitForAssertion(() => page.Find("button[data-testid=discard-draft]").Click(), Patience);
        Dialogs.WaitForAssertion(() => Assert.Contains("never published", Dialogs.Markup, StringComparison.Ordinal), Patience);
        Assert.Empty(_studio.Discarded);
        Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Discard").Click();

        page.WaitForAssertion(() => Assert.EndsWith("/scenarios", Navigation.Uri, StringComparison.Ordinal), Patience);
        Assert.Equal(["my-pop"], _studio.Discarded);
    }

    [Fact]
    public async Task BuiltIn_ReadOnlyWithCloneAndNoDraftActions()
    {
        SignInAsAuthor();
        _studio.Rows.Add(FakeScenarioStudio.Row("F01", ScenarioStatus.BuiltIn));
        await RegisterAsync();

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "F01"));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("button[data-testid=clone]")), Patience);
        AssertReadOnly(page);
        Assert.Empty(page.FindAll("[data-testid=save-draft], [data-testid=publish], [data-testid=discard-draft], [data-testid=edit], [data-testid=answer-key]"));
        Assert.Equal("playground?scenario=F01", page.Find("[data-testid=play]").GetAttribute("href"));

        page.Find("button[data-testid=clone]").Click();
        Dialogs.WaitForAssertion(() => Assert.Equal("F01", Dialogs.Find("[data-testid=clone-source-id]").TextContent), Patience);
    }

    [Fact]
    public async Task NotAuthorized_KeySet_HidesEveryActionAndOffersSignIn()
    {
        Services.AddSingleton(new AdminKey(Options.Create(new AuthoringOptions { AdminKey = "a-key-of-enough-length" })));
        await RegisterAsync();
        AddDraft("my-pop");
        NavigateTo("scenarios/my-pop");

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "my-pop"));

        page.WaitForAssertion(() => Assert.Equal("sign-in?return_url=%2Fscenarios%2Fmy-pop", page.Find("[data-testid=sign-in-to-edit]").GetAttribute("href")), Patience);
        Assert.Empty(page.FindAll("[data-testid=save-draft], [data-testid=publish], [data-testid=discard-draft], [data-testid=edit], [data-testid=clone], [data-testid=answer-key]"));
        AssertReadOnly(page);
    }

    [Fact]
    public async Task UnknownId_EmptyStateLinksToTheList()
    {
        await RegisterAsync();

        var page = RenderPage<Scenario>(p => p.Add(s => s.Id, "nope"));

        page.WaitForAssertion(() => Assert.Equal("scenarios", page.Find("[data-testid=state-empty] a").GetAttribute("href")), Patience);
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

    /// <summary>bUnit's authorization grants no policy by default; the app's grants this one to everyone when no key is set.</summary>
    private void SignInAsAuthor(string name = "ada")
    {
        Authorization.SetAuthorized(name);
        Authorization.SetClaims(new Claim(StudioPolicies.AuthorClaim, name));
        Authorization.SetPolicies(StudioPolicies.Author);
    }

    /// <summary>A valid never-published draft of F01 with another population (7,000,123), at revision 3.</summary>
    private void AddDraft(string id)
    {
        _studio.Rows.Add(FakeScenarioStudio.Row(id, ScenarioStatus.Draft) with { Version = 1, PublishedVersion = null });
        _studio.Drafts[id] = new ScenarioDraft(id, "tools", 1, 3, null, "ada", Now, Now, ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy(id)), []);
    }

    /// <summary>A field's change reaches the page asynchronously: wait for it before acting on the edit.</summary>
    private static void WaitForTheEdit(IRenderedComponent<Scenario> page) =>
        page.WaitForAssertion(() => Assert.Equal("Unsaved changes", page.Find("[data-testid=unsaved]").TextContent), Patience);

    private static IElement Title(IRenderedComponent<Scenario> page) => page.Find("[data-field='/title'] input");

    private static void AssertReadOnly(IRenderedComponent<Scenario> page)
    {
        var inputs = page.FindAll("[data-testid=scenario-editor] .mud-tabs-panels input, [data-testid=scenario-editor] .mud-tabs-panels textarea");
        Assert.NotEmpty(inputs);
        Assert.All(inputs, i => Assert.True(i.HasAttribute("readonly") || i.HasAttribute("disabled"), i.OuterHtml));
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

using System.Security.Claims;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model.Studio;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components.Studio;

/// <summary>The scenarios list's Import button and dialog, over a fake studio and the real pack format.</summary>
public sealed class ImportScenariosDialogTests : DashboardTestContext
{
    private readonly FakeScenarioStudio _studio = new();

    public ImportScenariosDialogTests()
    {
        _studio.Rows.AddRange(
        [
            FakeScenarioStudio.Row("W05", ScenarioStatus.BuiltIn),
            FakeScenarioStudio.Row("my-pop-1", ScenarioStatus.Published),
        ]);
        Services.AddSingleton<IScenarioStudio>(_studio);
        Services.AddScoped<ScenarioListViewModel>();
    }

    [Fact]
    public void Import_PackAccepted_ShowsAddedAndUnchangedAndTheListReloads()
    {
        _studio.ImportResult = StudioResult<ScenarioImportReport>.Ok(new ScenarioImportReport(
            [Version("my-pop-9", 1), Version("my-pop-9", 2)], [Version("my-pop-1", 2)]));
        var page = OpenDialog();

        Upload(Pack("my-pop-9", "my-pop-9", "my-pop-1"), "pack.json");
        Dialogs.Find("[data-testid=import-submit]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal("Imported: 2 versions added, 1 version unchanged.", Dialogs.Find("[data-testid=import-summary]").TextContent.Trim()));
        Assert.Equal(["my-pop-9 v1", "my-pop-9 v2"], Versions("import-added"));
        Assert.Equal(["my-pop-1 v2"], Versions("import-unchanged"));
        page.WaitForAssertion(() => Assert.Equal(["W05", "my-pop-1", "my-pop-9"], page.FindAll("[data-testid=scenario-link]").Select(l => l.TextContent.Trim())));
        var (pack, author) = Assert.Single(_studio.Imports);
        Assert.Equal((3, StudioPolicies.DefaultAuthor), (pack.Documents.Count, author));
        Assert.Empty(Dialogs.FindAll("[data-testid=import-submit]"));
        Assert.Equal("Done", Dialogs.Find("[data-testid=import-close]").TextContent.Trim());
    }

    [Fact]
    public void Import_PackRefused_ListsEachErrorWithEntryAndFieldAndSaysNothingWasImported()
    {
        _studio.ImportResult = StudioResult<ScenarioImportReport>.Fail(StudioFailureKind.Invalid, "The pack has 2 problems; nothing was stored.",
        [
            new ScenarioError("/0/world/targets/country", "no country 'Atlantis' in the world"),
            new ScenarioError("/1", "version 3 follows no stored version 2"),
        ]);
        var page = OpenDialog();

        Upload(Pack("my-pop-7", "my-pop-8"), "pack.json");
        Dialogs.Find("[data-testid=import-submit]").Click();

        Dialogs.WaitForAssertion(() => Assert.StartsWith("Nothing was imported.", Dialogs.Find("[data-testid=import-refused]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal("The pack has 2 problems; nothing was stored.", Dialogs.Find("[data-testid=import-refusal]").TextContent);
        var errors = Dialogs.FindAll("[data-testid=import-error]");
        Assert.Equal(["entry 0 (my-pop-7)", "entry 1 (my-pop-8)"], errors.Select(e => Part(e, "import-error-entry")));
        Assert.Equal(["/world/targets/country", null], errors.Select(e => e.QuerySelector("[data-testid=import-error-field]")?.TextContent));
        Assert.Equal(["no country 'Atlantis' in the world", "version 3 follows no stored version 2"], errors.Select(e => Part(e, "import-error-message")));
        Assert.Equal(["W05", "my-pop-1"], page.FindAll("[data-testid=scenario-link]").Select(l => l.TextContent.Trim()));
    }

    [Fact]
    public void Import_NotAPack_FormatErrorsListedAndTheStudioNeverAsked()
    {
        OpenDialog();

        Upload(Encoding.UTF8.GetBytes("""{"format":"someone-else","version":1,"scenarios":[]}"""), "other.json");
        Dialogs.Find("[data-testid=import-submit]").Click();

        var error = Dialogs.WaitForElement("[data-testid=import-error]");
        Assert.Equal(("the pack", "/format"), (Part(error, "import-error-entry"), Part(error, "import-error-field")));
        Assert.Empty(_studio.Imports);
    }

    [Fact]
    public void Choose_FileOverTheLimit_RefusedAtOnceAndImportStaysDisabled()
    {
        OpenDialog();

        Upload(new byte[ScenarioPackFormat.MaxBytes + 1], "huge.json");

        Dialogs.WaitForAssertion(() => Assert.Equal(
            "huge.json is 16,777,217 bytes; a pack may hold at most 16,777,216 bytes (16 MiB). Split it into smaller packs.", Dialogs.Find("[data-testid=import-refusal]").TextContent));
        Assert.True(Dialogs.Find("[data-testid=import-submit]").HasAttribute("disabled"));
        Assert.Empty(_studio.Imports);
    }

    [Fact]
    public void ImportButton_KeySetAndSignedOut_Absent()
    {
        RequireKey();
        NavigateTo("scenarios");

        var page = RenderPage<Scenarios>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=scenario-link]").Count));
        Assert.Empty(page.FindAll("[data-testid=import]"));
        Assert.Single(page.FindAll("[data-testid=export]"));
    }

    [Fact]
    public void ImportButton_KeySetAndSignedInAuthor_ImportsUnderTheirName()
    {
        RequireKey();
        Authorization.SetAuthorized("ada");
        Authorization.SetClaims(new Claim(StudioPolicies.AuthorClaim, "Ada"));
        Authorization.SetPolicies(StudioPolicies.Author);
        _studio.ImportResult = StudioResult<ScenarioImportReport>.Ok(new ScenarioImportReport([], [Version("my-pop-1", 2)]));
        OpenDialog();

        Upload(Pack("my-pop-1"), "one.json");
        Dialogs.Find("[data-testid=import-submit]").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal("Nothing new: 0 versions added, 1 version unchanged.", Dialogs.Find("[data-testid=import-summary]").TextContent.Trim()));
        Assert.Equal("Ada", Assert.Single(_studio.Imports).Author);
    }

    private IRenderedComponent<Scenarios> OpenDialog()
    {
        // bUnit grants a policy only to a signed-in user it lists it for. With no admin key the
        // app's handler grants the author policy to everyone, which this stands for.
        if (!Authorization.IsAuthenticated)
        {
            Authorization.SetAuthorized("visitor");
            Authorization.SetPolicies(StudioPolicies.Author);
        }

        NavigateTo("scenarios");
        var page = RenderPage<Scenarios>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=scenario-link]").Count));
        page.Find("[data-testid=import]").Click();
        Dialogs.WaitForElement("[data-testid=import-submit]");
        return page;
    }

    private void Upload(byte[] content, string name) =>
        Dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name));

    /// <summary>A JSON pack of F01 copies under the given ids (version 1 each).</summary>
    private static byte[] Pack(params string[] ids) => ScenarioPackFormat.WriteJson(new ScenarioPack(
        [.. ids.Select(id => ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy(id)))]));

    private static ScenarioVersionInfo Version(string id, int version) =>
        new(id, version, ScenarioSource.Stored, "ada", new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private List<string> Versions(string testId) =>
        [.. Dialogs.FindAll($"[data-testid={testId}] [data-testid=import-version]").Select(v => v.TextContent.Trim())];

    private static string Part(IElement error, string testId) => error.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    private void RequireKey() =>
        Services.AddSingleton(new AdminKey(Options.Create(new AuthoringOptions { AdminKey = "a-key-of-enough-length" })));
}

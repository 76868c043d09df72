using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the scenarios list's Export menu and Import dialog.</summary>
public sealed class ScenarioPacksPage(IPage page)
{
    public const string Path = "/web/scenarios";

    public ILocator ScenarioLinks => page.GetByTestId("scenario-link");

    public ILocator ExportButton => page.GetByTestId("export").Locator("button");

    public ILocator ExportShown(string format) => page.GetByTestId("export-shown-" + format);

    public ILocator ImportButton => page.GetByTestId("import");

    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public ILocator ChooseFile => Dialog.GetByTestId("import-choose");

    public ILocator FileName => Dialog.GetByTestId("import-file-name");

    public ILocator Submit => Dialog.GetByTestId("import-submit");

    public ILocator Summary => Dialog.GetByTestId("import-summary");

    public ILocator Refused => Dialog.GetByTestId("import-refused");

    public ILocator ErrorEntries => Dialog.GetByTestId("import-error-entry");

    public ILocator ErrorFields => Dialog.GetByTestId("import-error-field");

    public ILocator UnchangedVersions => Dialog.GetByTestId("import-unchanged").GetByTestId("import-version");
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the scenario studio (list, clone dialog, scenario page with its editor), in one place.</summary>
public sealed class StudioPages(IPage page)
{
    public ILocator Rows => page.Locator("[data-testid=scenarios] tbody tr");

    public ILocator CloneButton(string id) => page.GetByRole(AriaRole.Button, new() { Name = $"Clone {id}", Exact = true });

    public ILocator CloneNewId => page.GetByTestId("clone-new-id");

    public ILocator CloneSubmit => page.GetByTestId("clone-submit");

    public ILocator Status => page.GetByTestId("status");

    public ILocator Version => page.GetByTestId("scenario-version");

    public ILocator Editor => page.GetByTestId("scenario-editor");

    /// <summary>The form's input of the field at a JSON Pointer.</summary>
    public ILocator Field(string path) => page.Locator($"[data-field='{path}'] input");

    public ILocator AddRow(string tablePath) => page.GetByTestId("add-row:" + tablePath);

    public ILocator Save => page.GetByTestId("save-draft");

    public ILocator Publish => page.GetByTestId("publish");

    public ILocator Edit => page.GetByTestId("edit");

    public ILocator Notice => page.GetByTestId("action-notice");

    public ILocator AnswerKey => page.GetByTestId("answer-key");

    public ILocator Tab(string name) => page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true });

    public ILocator JsonEditor => page.Locator("[data-testid=scenario-editor] .monaco-editor").First;

    public ILocator PreviewSeeds => page.GetByTestId("preview-seeds");

    public ILocator ShowSchedule => page.GetByTestId("show-schedule");

    public ILocator ScheduleCalls => page.GetByTestId("schedule-call");

    public ILocator RunPreview => page.GetByTestId("preview-run");

    public ILocator PreviewResult => page.GetByTestId("preview-result");

    public ILocator HistoryVersions => page.Locator("[data-testid=scenario-history] [data-testid=version]");

    /// <summary>Picks <paramref name="option"/> in the form's select at a JSON Pointer (its list opens in a popover).</summary>
    public async Task ChooseAsync(string path, string option)
    {
        // A row added just before can still be re-rendering when its menu opens, and the click on
        // the item is then lost (seen once in CI): choose again until the field shows the value.
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator($"[data-field='{path}'] .mud-select").First.ClickAsync();
            var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex("^\\s*" + Regex.Escape(option) + "\\s*$") });
            await item.First.ClickAsync();
            await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
            if (await page.Locator($"[data-field='{path}'] input").First.InputValueAsync() == option || attempt == 3)
            {
                await Assertions.Expect(page.Locator($"[data-field='{path}'] input").First).ToHaveValueAsync(option);
                return;
            }
        }
    }

    /// <summary>Types a value into a form field and leaves it, as a person does (the form takes the value on change).</summary>
    public async Task TypeAsync(string path, string value)
    {
        var field = Field(path);
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }
}

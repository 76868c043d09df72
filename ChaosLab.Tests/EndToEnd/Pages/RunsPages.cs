using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the runs list, the new-run form, a run's page and the comparison.</summary>
public sealed class RunsPages(IPage page)
{
    public ILocator NewRun => page.GetByTestId("new-run");

    public ILocator Start => page.GetByTestId("run-start");

    public ILocator Rows => page.Locator("[data-testid=runs] tbody tr");

    public ILocator Row(string name) => Rows.Filter(new() { Has = page.GetByTestId("run-link").GetByText(name, new() { Exact = true }) });

    public ILocator Status(ILocator row) => row.GetByTestId("run-status");

    public ILocator Charts => page.Locator(".js-plotly-plot");

    public ILocator ItemEpisodes => page.GetByTestId("item-episode");

    /// <summary>Picks options of a form select (one, or several of a multi-select) by the start of their text.</summary>
    public async Task ChooseAsync(string field, params string[] options)
    {
        await page.Locator($"[data-testid=run-{field}-field] .mud-select").First.ClickAsync();
        foreach (var option in options)
        {
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex("^\\s*" + Regex.Escape(option)) }).First.ClickAsync();
            // The pick is a round trip to the server: wait until the field shows it, or an Escape
            // pressed meanwhile reaches a select that the server's render then leaves open.
            await page.WaitForFunctionAsync(
                "([selector, text]) => { const f = document.querySelector(selector); return !!f && ([...f.querySelectorAll('input')].some(i => i.value.includes(text)) || f.innerText.includes(text)); }",
                new object[] { $"[data-testid=run-{field}-field]", option });
        }

        if (options.Length > 1 || field is "suites" or "tiers" or "scenarios")
        {
            // A multi-select stays open for more picks.
            await page.Keyboard.PressAsync("Escape");
        }

        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }
}

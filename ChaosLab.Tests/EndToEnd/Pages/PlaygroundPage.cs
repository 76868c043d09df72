using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the playground, in one place.</summary>
public sealed class PlaygroundPage(IPage page)
{
    public ILocator Interactive => page.Locator("[data-testid=playground-header][data-interactive=true]");

    public ILocator Task => page.GetByTestId("pg-task");

    public ILocator Tier => page.GetByTestId("pg-tier");

    public ILocator Seed => page.Locator("#pg-seed");

    public ILocator Start => page.GetByTestId("pg-start");

    public ILocator Question => page.GetByTestId("pg-question");

    public ILocator EpisodeSeed => page.GetByTestId("pg-episode-seed");

    public ILocator StepsRemaining => page.GetByTestId("pg-steps-remaining");

    public ILocator Tool => page.GetByTestId("pg-tool");

    public ILocator Call => page.GetByTestId("pg-call");

    public ILocator Turns => page.GetByTestId("pg-turn");

    public ILocator FieldErrors => page.GetByTestId("tool-form").Locator(".mud-input-helper-text.mud-input-error");

    public ILocator Answer => page.Locator("#pg-answer");

    public ILocator Submit => page.GetByTestId("pg-submit");

    public ILocator Grade => page.GetByTestId("pg-grade");

    public ILocator ReplayLink => page.GetByTestId("pg-replay-link");

    /// <summary>The generated input of a tool argument.</summary>
    public ILocator Argument(string tool, string name) => page.Locator($"#arg-{tool}-{name}");

    /// <summary>Opens a MudSelect and picks the option whose text starts with <paramref name="text"/>.</summary>
    public async Task ChooseAsync(ILocator select, string text)
    {
        await select.ClickAsync();
        var option = page.Locator(".mud-popover-open .mud-list-item")
            .Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*" + System.Text.RegularExpressions.Regex.Escape(text)) });
        await option.First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }
}

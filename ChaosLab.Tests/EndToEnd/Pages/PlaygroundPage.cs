using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the playground, in one place.</summary>
public sealed class PlaygroundPage(IPage page)
{
    public ILocator Interactive => page.Locator("[data-interactive=true]");

    public ILocator Task => page.Locator("#pg-task");

    public ILocator Tier => page.Locator("#pg-tier");

    public ILocator Seed => page.Locator("#pg-seed");

    public ILocator Start => page.GetByTestId("pg-start");

    public ILocator Question => page.GetByTestId("pg-question");

    public ILocator StepsRemaining => page.GetByTestId("pg-steps-remaining");

    public ILocator Tool => page.Locator("#pg-tool");

    public ILocator Call => page.GetByTestId("pg-call");

    public ILocator Turns => page.GetByTestId("pg-turn");

    public ILocator FieldErrors => page.GetByTestId("field-error");

    public ILocator Answer => page.Locator("#pg-answer");

    public ILocator Submit => page.GetByTestId("pg-submit");

    public ILocator Grade => page.GetByTestId("pg-grade");

    public ILocator ReplayLink => page.GetByTestId("pg-replay-link");

    /// <summary>The generated input of a tool argument.</summary>
    public ILocator Argument(string tool, string name) => page.Locator($"#arg-{tool}-{name}");
}

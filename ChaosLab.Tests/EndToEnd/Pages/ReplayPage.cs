using Microsoft.Playwright;

namespace ChaosLab.Tests.EndToEnd.Pages;

/// <summary>Selectors of the episode replay, in one place.</summary>
public sealed class ReplayPage(IPage page)
{
    /// <summary>Visible once the circuit is up: keys and buttons then reach the server.</summary>
    public ILocator Interactive => page.Locator("[data-testid=replay-header][data-interactive=true]");

    public ILocator Question => page.GetByTestId("replay-question");

    public ILocator Agent => page.GetByTestId("replay-agent");

    public ILocator Timeline => page.GetByTestId("timeline");

    public ILocator SelectedStep => page.Locator("[data-testid=timeline-step][aria-selected=true]");

    public ILocator StepHeading => page.GetByTestId("step-heading");

    public ILocator Inspector => page.GetByTestId("step-inspector");

    public ILocator FiredFaults => Inspector.Locator("[data-testid=fault-decision][data-fired=true]");

    public ILocator Diff => page.GetByTestId("diff");

    public ILocator DownloadJson => page.GetByTestId("download-json");

    public ILocator Next => page.GetByTestId("step-next");

    public ILocator GradeCriteria => page.Locator("[data-testid=grade-criterion]");

    /// <summary>A step result's message_trace drawn as a sequence diagram.</summary>
    public ILocator MessageFlow => Inspector.GetByTestId("message-flow");

    public ILocator FlowMessages => MessageFlow.Locator("[data-testid=flow-message]");

    public ILocator TrialSummary => Inspector.GetByTestId("trial-summary");

    public ILocator ConfigChange => Inspector.GetByTestId("config-change");

    /// <summary>A step result's tier_verdicts: the tier table and the cases.</summary>
    public ILocator TierVerdicts => Inspector.GetByTestId("tier-verdicts");

    public ILocator VerdictCases => TierVerdicts.Locator("[data-testid=verdict-case]");

    /// <summary>A step result's code_change: the code's diff.</summary>
    public ILocator CodeChange => Inspector.GetByTestId("code-change");

    /// <summary>A step result's sandbox_run: the outcome and the console panes.</summary>
    public ILocator SandboxRun => Inspector.GetByTestId("sandbox-run");

    /// <summary>The reward chart once plotly has drawn it.</summary>
    public ILocator Chart => page.GetByTestId("reward-chart").Locator(".main-svg").First;
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Authoring;
using ChaosLab.Tests.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// Evaluation runs from the dashboard, on a server with an admin key: sign in, start a reference
/// agent on two tools scenarios from the form, watch it finish live, open its page (charts), follow
/// an episode to its replay, compare it with a run started over the API. Screenshots of the runs
/// pages in light and dark, on a desktop and a phone.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class RunsPageTests(BrowserFixture browser, AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    [BrowserFact]
    public Task Runs_StartFromTheFormWatchLiveOpenChartsAndReplay() => browser.RunAsync(nameof(Runs_StartFromTheFormWatchLiveOpenChartsAndReplay), async (page, diagnostics) =>
    {
        var shell = new Shell(page);
        var runs = new RunsPages(page);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await SignInAsync(page, shell);

        await page.GotoAsync(Url("/web/runs"));
        await shell.WaitForThemeAsync();
        await runs.NewRun.ClickAsync();
        await runs.ChooseAsync("agent", "resilient (reference, tools)");
        await runs.ChooseAsync("suites", "tools");
        await runs.ChooseAsync("scenarios", "W01", "W02");
        await page.GetByTestId("run-name").FillAsync("e2e-form");
        await TestArtifacts.SaveScreenshotAsync(page, "runs-form-1280-light");
        await runs.Start.ClickAsync();

        // Live: the row appears and reaches "completed" without a reload.
        var row = runs.Row("e2e-form");
        await Expect(runs.Status(row)).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 90_000 });
        await Expect(row.GetByTestId("run-progress")).ToHaveAttributeAsync("data-finished", "2");
        await Expect(row.GetByTestId("run-mean-score")).Not.ToHaveTextAsync("–");

        var other = await StartOverApiAsync("e2e-api");
        await Expect(runs.Status(runs.Row("e2e-api"))).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 90_000 });
        await ScreenshotAsync(page, "runs-list-1280-light");

        await row.GetByTestId("run-link").ClickAsync();
        await Expect(page.GetByTestId("run-name")).ToHaveTextAsync("e2e-form");
        await Expect(runs.Charts).ToHaveCountAsync(3);
        await Expect(runs.ItemEpisodes).ToHaveCountAsync(2);
        var runUrl = page.Url;
        await ScreenshotAsync(page, "runs-run-1280-light");

        await runs.ItemEpisodes.First.ClickAsync();
        var replay = new ReplayPage(page);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/web/episodes/[^/?]+"));
        await Expect(replay.Interactive).ToBeVisibleAsync();
        await Expect(replay.Agent).ToHaveTextAsync("resilient");
        await ScreenshotAsync(page, "runs-replay-1280-light");

        var formRunId = runUrl[(runUrl.LastIndexOf('/') + 1)..];
        await page.GotoAsync(Url($"/web/runs/compare?a={formRunId}&b={other}"));
        await Expect(page.GetByTestId("compare-pairs")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-testid=compare-tier-chart] .js-plotly-plot")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "runs-compare-1280-light");

        // A reference agent plays without harness layers; the lane is shown from a model agent's
        // trace, stored here for the first episode as the evaluation service stores one.
        var episodeId = (await app.Services.GetRequiredService<RunStore>().ItemsAsync(formRunId))[0].EpisodeId!;
        await app.Services.GetRequiredService<AgentTraceStore>().SaveAsync(episodeId, formRunId, RunFixture.Trace("{\"choices\": [\"" + new string('x', 2500) + "\"]}"));
        var laneUrl = Url($"/web/episodes/{episodeId}?step=2");
        await page.GotoAsync(laneUrl);
        await Expect(replay.Interactive).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=harness-lane-step][data-step='2'] [data-testid=harness-layer]")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("harness-step").GetByTestId("harness-intervention")).ToHaveCountAsync(2);
        await page.GetByTestId("model-conversation").Locator(".mud-expand-panel-header").ClickAsync();
        await Expect(page.GetByTestId("conversation-message")).ToHaveCountAsync(3);
        await ScreenshotAsync(page, "runs-lane-1280-light");
        diagnostics.AssertClean();

        foreach (var (scheme, size) in new[] { (ColorScheme.Dark, Desktop), (ColorScheme.Light, Phone), (ColorScheme.Dark, Phone) })
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            var suffix = $"{size.Width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
            await page.GotoAsync(Url("/web/runs"));
            await Expect(runs.Rows).ToHaveCountAsync(2);
            await ScreenshotAsync(page, "runs-list-" + suffix);
            await page.GotoAsync(runUrl);
            await Expect(runs.Charts).ToHaveCountAsync(3);
            await ScreenshotAsync(page, "runs-run-" + suffix);
            await page.GotoAsync(Url($"/web/runs/compare?a={formRunId}&b={other}"));
            await Expect(page.GetByTestId("compare-delta")).ToBeVisibleAsync();
            await ScreenshotAsync(page, "runs-compare-" + suffix);
            await page.GotoAsync(laneUrl);
            await Expect(replay.Interactive).ToBeVisibleAsync();
            await ScreenshotAsync(page, "runs-lane-" + suffix);
        }

        diagnostics.AssertClean();
    });

    private async Task SignInAsync(IPage page, Shell shell)
    {
        await page.GotoAsync(Url("/web/sign-in"));
        await shell.WaitForThemeAsync();
        await page.GetByTestId("admin-key").FillAsync(AdminKeyAppFactory.Key);
        await page.GetByTestId("author-name").FillAsync("Ada Lovelace");
        await Expect(page.GetByTestId("admin-key")).ToHaveValueAsync(AdminKeyAppFactory.Key);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("author-status")).ToHaveTextAsync("Ada Lovelace");
    }

    /// <summary>A second run on the same scenarios and seed (so every item pairs), without harness layers.</summary>
    private async Task<string> StartOverApiAsync(string name)
    {
        using var http = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/runs", UriKind.Relative))
        {
            Content = new StringContent(
                new JsonObject { ["assignment"] = $"name: {name}\nagent: reference:naive\ntasks:\n  - suite: tools\n    scenarios: [W01, W02]\nseeds: 1\n" }.ToJsonString(),
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKeyAppFactory.Key);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["run"]!["id"]!.GetValue<string>();
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        // Plotly draws after the circuit renders; wait for its last frame so charts are not blank.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await TestArtifacts.SaveScreenshotAsync(page, name);
    }

    private string Url(string path) => new Uri(app.ServerAddress, path).ToString();
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.EndToEnd.Pages;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using ChaosLab.Tests.Web.Authoring;
using ChaosLab.Tests.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// The replay of an episode a model played in an evaluation run (the fake OpenAI-compatible
/// server on loopback, with every harness layer): the harness lane and the model conversation as
/// the evaluation service stored them.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class RunsModelReplayTests(BrowserFixture browser, RunsApiModelTests.ModelAppFactory app) : IClassFixture<RunsApiModelTests.ModelAppFactory>, IAsyncLifetime
{
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync(_ => FakeReply.ToolCall(AgentAction.SubmitType, """{"answer": "about 3 million"}"""));
        await File.WriteAllTextAsync(app.AgentsFile, _model.ProfileYaml("fake"));
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [BrowserFact]
    public async Task Replay_ModelEpisodeOfARun_HarnessLaneAndConversation()
    {
        var episodeId = await PlayAsync();

        await browser.RunAsync(nameof(Replay_ModelEpisodeOfARun_HarnessLaneAndConversation), async (page, diagnostics) =>
        {
            var replay = new ReplayPage(page);
            foreach (var (scheme, width, height) in new[] { (ColorScheme.Light, 1280, 800), (ColorScheme.Dark, 1280, 800), (ColorScheme.Dark, 390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await page.GotoAsync(new Uri(app.ServerAddress, $"/web/episodes/{episodeId}").ToString());
                await Expect(replay.Interactive).ToBeVisibleAsync();
                await Expect(replay.Agent).ToHaveTextAsync("fake [h2+h3+h4+h5]");
                await Expect(page.GetByTestId("harness-lane-legend")).ToContainTextAsync("harness lane:");
                await page.GetByTestId("model-conversation").Locator(".mud-expand-panel-header").ClickAsync();
                await Expect(page.Locator("[data-testid=conversation-message][data-role=system]")).ToHaveCountAsync(1);
                await page.GetByTestId("model-conversation").GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Model replies") }).ClickAsync();
                await Expect(page.GetByTestId("model-reply")).ToHaveCountAsync(1);
                await Expect(page.GetByTestId("model-reply").First).ToContainTextAsync("about 3 million");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await TestArtifacts.SaveScreenshotAsync(page, $"runs-model-replay-{width}-{(scheme == ColorScheme.Dark ? "dark" : "light")}");
            }

            diagnostics.AssertClean();
        });
    }

    /// <summary>Starts a run of the model profile over the API and waits for its end; the episode of its one item.</summary>
    private async Task<string> PlayAsync()
    {
        var runs = app.Services.GetRequiredService<IEvaluationRuns>();
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = runs.Subscribe(p =>
        {
            if (RunStatus.IsFinal(p.Run.Status))
            {
                ended.TrySetResult(p.Run.Id);
            }
        });
        using var http = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/runs", UriKind.Relative))
        {
            Content = new StringContent(new JsonObject { ["assignment"] = "name: e2e-model\nagent: fake\ntasks:\n  - suite: tools\n    scenarios: [W01]\n" }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKeyAppFactory.Key);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var runId = await ended.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var item = Assert.Single(await app.Services.GetRequiredService<RunStore>().ItemsAsync(runId));
        Assert.Equal(RunItemStatus.Done, item.Status);
        return item.EpisodeId!;
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Scenarios;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.Postgres;
using ChaosLab.Web.Services.Replicas;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Replicas;

/// <summary>
/// Two replicas (two real servers, "r1" and "r2") on ONE PostgreSQL database: what r1 records
/// reaches r2's live subscribers through NOTIFY and the store, disclosed as any reader sees it,
/// both serve the same episodes, and a scenario published on r1 is playable on r2 at once.
/// </summary>
public sealed class SharedStoreTests
{
    [PostgresFact]
    public async Task EpisodeOnOneReplica_OthersSubscribersSeeItsStepsAndItsEnd()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var r1 = new ReplicaServer("r1", database);
        using var r2 = new ReplicaServer("r2", database);
        var feed = r2.Services.GetRequiredService<IEpisodeFeed>();
        using var http = r1.CreateHttpClient();

        using var reset = await PostAsync(http, "/reset", """{"scenario_id": "W01", "seed": 7}""");
        var started = JsonNode.Parse(await reset.Content.ReadAsStringAsync())!;
        var (token, episodeId) = ((string)started["episode_token"]!, (string)started["episode_id"]!);
        var firstStep = new TaskCompletionSource<StepAppendedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<EpisodeFinishedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        // One subscriber follows the episode (a replay), one the whole feed (the leaderboard).
        using var replay = feed.Subscribe(e => Complete(firstStep, e as StepAppendedEvent), episodeId);
        using var leaderboard = feed.Subscribe(e => Complete(finished, e as EpisodeFinishedEvent));

        using var step = await PostAsync(http, "/step", Action(token, """{"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "6*7"}}"""));
        var seen = await firstStep.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((episodeId, 1), (seen.Step.EpisodeId, seen.Step.StepIndex));
        // Running: as its agent saw it, nothing more.
        Assert.Equal((null, "[]", "[]"), (seen.Step.CleanResult, seen.Step.FaultsJson, seen.Step.RewardComponentsJson));
        Assert.Empty(seen.FiredFaultKinds);

        using var submit = await PostAsync(http, "/step", Action(token, """{"type": "submit_answer", "answer": "42"}"""));
        var ended = await finished.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(episodeId, ended.EpisodeId);
        Assert.NotNull(ended.Episode.EndedAt);
        using var fromR2 = r2.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await fromR2.GetAsync(new Uri($"/api/episodes/{episodeId}", UriKind.Relative))).StatusCode);
    }

    [PostgresFact]
    public async Task ScenarioPublishedOnOneReplica_PlayableOnTheOtherWithoutARestart()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        using var r1 = new ReplicaServer("r1", database);
        using var r2 = new ReplicaServer("r2", database);
        using var fromR2 = r2.CreateHttpClient();
        // r2 has its snapshot of the latest versions already: a reset read it.
        using (var unknown = await PostAsync(fromR2, "/reset", """{"scenario_id": "X01"}"""))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        }

        var added = await r1.Services.GetRequiredService<ScenarioStore>().AddVersionAsync(ScenarioSamples.Element(ScenarioSamples.FixedWorldCopy("X01")));
        Assert.True(added.Succeeded);

        // The note travels asynchronously: moments, not r2's next restart.
        var status = HttpStatusCode.UnprocessableEntity;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); status != HttpStatusCode.OK && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            using var reset = await PostAsync(fromR2, "/reset", """{"scenario_id": "X01"}""");
            status = reset.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public void Note_RoundTripsAndAnythingElseOnTheChannelIsIgnored()
    {
        var note = new FeedNote("r1", FeedNote.Step, "ep-1", 3);

        Assert.Equal(note, FeedNote.TryParse(System.Text.Json.JsonSerializer.Serialize(note, FeedNoteJson.Default.FeedNote)));
        Assert.Null(FeedNote.TryParse("not json"));
        Assert.Null(FeedNote.TryParse("""{"r": "r1", "k": "deleted", "e": "ep-1", "i": 0}"""));
        Assert.Null(FeedNote.TryParse("""{"r": "", "k": "step", "e": "ep-1", "i": 0}"""));
    }

    private static Task Complete<T>(TaskCompletionSource<T> source, T? value)
        where T : class
    {
        if (value is not null)
        {
            source.TrySetResult(value);
        }

        return Task.CompletedTask;
    }

    private static string Action(string token, string action) => $$"""{"episode_token": "{{token}}", "action": {{action}}}""";

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string body) =>
        http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
}

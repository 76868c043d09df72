using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Web.Endpoints;

/// <summary>The real server with six episodes recorded through its own recorder.</summary>
public sealed class EpisodesApiFixture : IAsyncLifetime, IDisposable
{
    public ChaosLabAppFactory App { get; } = new();

    public async Task InitializeAsync()
    {
        var recorder = App.Services.GetRequiredService<IEpisodeRecorder>();
        await RecordEpisodeAsync(recorder, Start(Info("ep-01", scenario: "E01"), "naive", "ws", Epoch.AddMinutes(1)), 2,
            answer: "12.5 billion", score: 1, outcome: "correct", faults: ["rate_limit"]);
        await RecordEpisodeAsync(recorder, Start(Info("ep-02", tier: "hard", scenario: "E02"), "retrying", "http", Epoch.AddMinutes(2)), 4,
            answer: "12 billion", score: 0.5, outcome: "partial", faults: ["timeout"]);
        await RecordEpisodeAsync(recorder, Start(Info("ep-03", task: "task2", scenario: "E03"), "resilient", "ws", Epoch.AddMinutes(3)), 6,
            answer: "About 5,000", score: 0, outcome: "wrong", question: "How many employees does Globex have?", faults: ["rate_limit", "stale"]);
        await RecordEpisodeAsync(recorder, Start(Info("ep-04", suite: "mast", task: "diagnose", tier: "hard", scenario: "M01"), "naive", "eval", Epoch.AddMinutes(4)), 1,
            answer: "retry with backoff", score: 0.9, outcome: "correct", question: "Why does the pipeline stall?");
        await RecordEpisodeAsync(recorder, Start(Info("ep-05", suite: "gauntlet", task: "harden", tier: "expert", scenario: "G01"), "human", "ui", Epoch.AddMinutes(5)), 3,
            answer: "", score: 0.1, outcome: "no_answer", question: "Harden parse_date", faults: ["truncate"]);

        recorder.EpisodeStarted(Start(Info("ep-06", scenario: "E01"), "naive", "ws", Epoch.AddMinutes(6)), Reset());
        await recorder.StepRecordedAsync("ep-06", Step(1, 0.1, "rate_limit"), TimeSpan.Zero);
        await recorder.StepRecordedAsync("ep-06", Step(2), TimeSpan.Zero);
        recorder.EpisodeAbandoned("ep-06", "client disconnected");
        // Anything recorded after ep-06 is durable only once ep-06's end is.
        await RecordEpisodeAsync(recorder, Start(Info("barrier"), startedAt: Epoch.AddYears(-1)), 0);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();
}

public sealed class EpisodesApiTests(EpisodesApiFixture fixture) : IClassFixture<EpisodesApiFixture>
{
    // Excludes the barrier episode, recorded a year earlier.
    private const string Since = "from=2026-11-21";

    private readonly HttpClient _client = fixture.App.CreateHttpClient();

    [Fact]
    public async Task ListEpisodes_NoFilters_NewestFirstWithPagingFieldsInSnakeCase()
    {
        var page = await GetJsonAsync($"/api/episodes?{Since}");

        Assert.Equal(["ep-06", "ep-05", "ep-04", "ep-03", "ep-02", "ep-01"], Ids(page));
        Assert.Equal((6, 1, 50), ((int)page["total"]!, (int)page["page"]!, (int)page["page_size"]!));
        var first = page["items"]![5]!;
        Assert.Equal("ep-01", (string?)first["id"]);
        Assert.Equal("task1", (string?)first["task_id"]);
        Assert.Equal("ws", (string?)first["client_kind"]);
        Assert.Equal(3, (int)first["scenario_version"]!);
        Assert.Equal(3, (int)first["step_count"]!);
        Assert.Equal(10, (int)first["max_steps"]!);
        Assert.Equal(1.0, (double)first["score"]!);
        Assert.Equal(1.0, (double)first["final_reward"]!);
        Assert.Equal("12.5 billion", (string?)first["submission"]);
        Assert.Equal("What was ACME's revenue in 2025?", (string?)first["prompt"]);
        Assert.Equal(["rate_limit"], first["fault_kinds"]!.AsArray().Select(k => (string?)k));
        Assert.Equal(Epoch.AddMinutes(1), first["started_at"]!.GetValue<DateTimeOffset>());
        Assert.Null(first["steps"]);
        var abandoned = page["items"]![0]!;
        Assert.Equal(("abandoned", "client disconnected"), ((string?)abandoned["outcome"], (string?)abandoned["abandon_reason"]));
    }

    [Theory]
    [InlineData("suite=mast", "ep-04")]
    [InlineData("task=task1", "ep-06,ep-02,ep-01")]
    [InlineData("tier=hard", "ep-04,ep-02")]
    [InlineData("scenario=E01", "ep-06,ep-01")]
    [InlineData("agent=naive", "ep-06,ep-04,ep-01")]
    [InlineData("outcome=abandoned", "ep-06")]
    [InlineData("outcome=correct", "ep-04,ep-01")]
    [InlineData("client=ws", "ep-06,ep-03,ep-01")]
    [InlineData("min_score=0.5", "ep-04,ep-02,ep-01")]
    [InlineData("max_score=0.1", "ep-05,ep-03")]
    [InlineData("min_score=0.1&max_score=0.9", "ep-05,ep-04,ep-02")]
    [InlineData("fault=rate_limit", "ep-06,ep-03,ep-01")]
    [InlineData("fault=timeout&fault=truncate", "ep-05,ep-02")]
    [InlineData("fault=stale&suite=tools", "ep-03")]
    [InlineData("fault=stale", "ep-03")]
    [InlineData("from=2026-11-21T09:33:00Z", "ep-06,ep-05,ep-04,ep-03")]
    [InlineData("from=2026-11-21T10:33:00%2B01:00&to=2026-11-21T09:35:00Z", "ep-04,ep-03")]
    [InlineData("to=2026-11-21T09:33:00Z", "ep-02,ep-01")]
    [InlineData("q=revenue", "ep-06,ep-02,ep-01")]
    [InlineData("q=GLOBEX", "ep-03")]
    [InlineData("q=5,000", "ep-03")]
    [InlineData("q=backoff", "ep-04")]
    [InlineData("q=100%25", "")]
    [InlineData("q=parse_", "ep-05")]
    [InlineData("suite=tools&agent=naive&fault=rate_limit", "ep-06,ep-01")]
    public async Task ListEpisodes_Filter_OnlyMatchingEpisodes(string filter, string expected)
    {
        var page = await GetJsonAsync(filter.Contains("from=", StringComparison.Ordinal) ? $"/api/episodes?{filter}" : $"/api/episodes?{Since}&{filter}");

        var ids = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ids, Ids(page));
        Assert.Equal(ids.Length, (int)page["total"]!);
    }

    [Theory]
    [InlineData("started_at", "ep-01,ep-02,ep-03,ep-04,ep-05,ep-06")]
    [InlineData("-started_at", "ep-06,ep-05,ep-04,ep-03,ep-02,ep-01")]
    [InlineData("score", "ep-06,ep-03,ep-05,ep-02,ep-04,ep-01")]
    [InlineData("-score", "ep-01,ep-04,ep-02,ep-05,ep-03,ep-06")]
    [InlineData("steps", "ep-06,ep-04,ep-01,ep-05,ep-02,ep-03")]
    [InlineData("-steps", "ep-03,ep-02,ep-05,ep-01,ep-06,ep-04")]
    [InlineData("agent", "ep-05,ep-06,ep-04,ep-01,ep-03,ep-02")]
    public async Task ListEpisodes_Sort_OrderedThenNewestFirst(string sort, string expected)
    {
        var page = await GetJsonAsync($"/api/episodes?{Since}&sort={sort}");

        Assert.Equal(expected.Split(','), Ids(page));
    }

    [Theory]
    [InlineData(1, "ep-06,ep-05,ep-04,ep-03")]
    [InlineData(2, "ep-02,ep-01")]
    [InlineData(3, "")]
    public async Task ListEpisodes_Page_SliceOfTheWholeWithTotal(int number, string expected)
    {
        var page = await GetJsonAsync($"/api/episodes?{Since}&page_size=4&page={number}");

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), Ids(page));
        Assert.Equal((6, number, 4), ((int)page["total"]!, (int)page["page"]!, (int)page["page_size"]!));
    }

    [Fact]
    public async Task GetEpisode_Recorded_FullTrajectoryWithParsedJson()
    {
        var trajectory = await GetJsonAsync("/api/episodes/ep-03");

        var episode = trajectory["episode"]!;
        Assert.Equal(("ep-03", "How many employees does Globex have?", "About 5,000", 7),
            ((string?)episode["id"], (string?)episode["prompt"], (string?)episode["submission"], (int)episode["step_count"]!));
        Assert.Equal(["rate_limit", "stale"], episode["fault_kinds"]!.AsArray().Select(k => (string?)k));
        Assert.Equal("wrong", (string?)trajectory["grade"]!["outcome"]);
        Assert.Equal("12.5 billion USD", (string?)trajectory["grade"]!["answer_key"]!["revenue"]);
        var steps = trajectory["steps"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 8), steps.Select(s => (int)s!["index"]!));
        Assert.Null(steps[0]!["action"]);
        Assert.Equal("How many employees does Globex have?", (string?)steps[0]!["observation"]!["question"]);
        var first = steps[1]!;
        Assert.Equal(JsonValueKind.Object, first["action"]!.GetValueKind());
        Assert.Equal("query 1", (string?)first["action"]!["arguments"]!["q"]);
        Assert.Equal(["rate_limit", "stale", "timeout"], first["faults"]!.AsArray().Select(f => (string?)f!["kind"]));
        Assert.Equal([true, true, false], first["faults"]!.AsArray().Select(f => (bool)f!["fired"]!));
        Assert.Equal("progress", (string?)first["reward_components"]![0]!["name"]);
        Assert.Equal(("clean 1", "faulty 1", "HTTP 503", 1000L), ((string?)first["clean_result"], (string?)first["delivered_result"], (string?)first["error"], (long)first["wall_time_us"]!));
        Assert.Equal(Epoch.AddSeconds(1), first["episode_time"]!.GetValue<DateTimeOffset>());
        Assert.True((bool)steps[7]!["done"]!);
        Assert.Equal("About 5,000", (string?)steps[7]!["action"]!["answer"]);
    }

    [Fact]
    public async Task GetEpisode_Unknown_NotFoundProblem()
    {
        using var response = await _client.GetAsync(new Uri("/api/episodes/no-such-episode", UriKind.Relative));

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Episode not found", (string?)problem["title"]);
        Assert.Contains("no-such-episode", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportEpisodes_Filter_OneFullEpisodePerLineInOrder()
    {
        using var response = await _client.GetAsync(new Uri($"/api/episodes/export?{Since}&suite=tools", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        var lines = body.TrimEnd('\n').Split('\n');
        var episodes = lines.Select(line => JsonNode.Parse(line)!).ToArray();
        Assert.Equal(["ep-06", "ep-03", "ep-02", "ep-01"], episodes.Select(e => (string?)e["episode"]!["id"]));
        Assert.Equal([3, 8, 6, 4], episodes.Select(e => e["steps"]!.AsArray().Count));
        Assert.True(episodes[0].AsObject().ContainsKey("grade"));
        Assert.Null(episodes[0]["grade"]);
        Assert.Equal(await GetStringAsync("/api/episodes/ep-03"), lines[1]);
    }

    [Fact]
    public async Task ExportEpisodes_NoMatch_EmptyBody()
    {
        using var response = await _client.GetAsync(new Uri("/api/episodes/export?suite=tools&agent=nobody", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/episodes?sort=bogus", "sort", "Unknown sort 'bogus'")]
    [InlineData("/api/episodes?sort=-", "sort", "Unknown sort")]
    [InlineData("/api/episodes?page=0", "page", "at least 1")]
    [InlineData("/api/episodes?page=-3", "page", "at least 1")]
    [InlineData("/api/episodes?page=two", "page", "'two'")]
    [InlineData("/api/episodes?page_size=10000", "page_size", "from 1 to 500")]
    [InlineData("/api/episodes?page_size=0", "page_size", "from 1 to 500")]
    [InlineData("/api/episodes?min_score=0.9&max_score=0.1", "min_score", "greater than max_score")]
    [InlineData("/api/episodes?min_score=high", "min_score", "not a number")]
    [InlineData("/api/episodes?max_score=NaN", "max_score", "not a number")]
    [InlineData("/api/episodes?from=yesterday", "from", "ISO 8601")]
    [InlineData("/api/episodes?to=2026-13-45", "to", "ISO 8601")]
    [InlineData("/api/episodes?from=2026-11-22&to=2026-11-21", "from", "earlier than to")]
    [InlineData("/api/episodes?suite=tools&suite=mast", "suite", "at most once")]
    [InlineData("/api/episodes?task_id=task1", "task_id", "Unknown parameter")]
    [InlineData("/api/episodes?fault=bogus", "fault", "Unknown fault 'bogus'. Valid values: ")]
    [InlineData("/api/episodes?fault=rate_limit&fault=bogus", "fault", "Unknown fault 'bogus'.")]
    [InlineData("/api/episodes?tier=legendary", "tier", "Unknown tier 'legendary'. Valid values: ")]
    [InlineData("/api/episodes?suite=nope", "suite", "Unknown suite 'nope'. Valid values: gauntlet, mast, tools.")]
    [InlineData("/api/episodes?task=task9", "task", "Unknown task 'task9'. Valid values: ")]
    [InlineData("/api/episodes?client=robot", "client", "Unknown client 'robot'. Valid values: eval, http, mcp, ui, ws.")]
    [InlineData("/api/episodes/export?fault=bogus", "fault", "Unknown fault 'bogus'.")]
    [InlineData("/api/episodes/export?sort=bogus", "sort", "Unknown sort")]
    [InlineData("/api/episodes/export?page_size=10000", "page_size", "from 1 to 500")]
    public async Task ListOrExport_BadParameter_BadRequestProblemNamingIt(string url, string parameter, string message)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid episode query", (string?)problem["title"]);
        Assert.Contains(parameter, (string?)problem["detail"], StringComparison.Ordinal);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal([parameter], errors.Select(e => e.Key));
        Assert.Contains(message, (string?)errors[parameter]![0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api/episodes/ep-01/steps")]
    [InlineData("/api")]
    public async Task Get_UnknownApiRoute_NotFoundProblem(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(url, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEpisodes_UnderWebPathBase_NotFound()
    {
        using var response = await _client.GetAsync(new Uri("/web/api/episodes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static IEnumerable<string?> Ids(JsonNode page) => page["items"]!.AsArray().Select(e => (string?)e!["id"]);

    private async Task<string> GetStringAsync(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonNode> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)status, (int)problem["status"]!);
        return problem;
    }
}

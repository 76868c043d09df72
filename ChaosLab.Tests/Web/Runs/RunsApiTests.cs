using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using ChaosLab.Tests.Web.Authoring;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Runs;

/// <summary>/api/runs over real HTTP on a server without an admin key, with the real evaluation service playing reference agents.</summary>
public sealed class RunsApiTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private const string Smoke = """
        name: api-smoke
        agent: reference:resilient
        tasks:
          - suite: tools
            scenarios: [W01, W02]
        seeds: 1
        concurrency: 2
        """;

    private readonly HttpClient _http = app.CreateHttpClient();

    [Fact]
    public async Task Start_YamlAssignment_201ThenPlaysToTheEndWithEpisodesToReplay()
    {
        var ended = RunEnded();

        using var response = await PostAsync("/api/runs", new JsonObject { ["assignment"] = Smoke }.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        var id = created["run"]!["id"]!.GetValue<string>();
        Assert.Equal("/api/runs/" + id, response.Headers.Location?.OriginalString);
        Assert.Equal(("api-smoke", "api", "none", 2), (Text(created["run"], "name"), Text(created["run"], "origin"), Text(created["run"], "harness"), created["run"]!["total"]!.GetValue<int>()));
        Assert.Equal(["tools/W01/1/1", "tools/W02/1/1"], created["items"]!.AsArray().Select(i => Text(i, "key")));

        await ended(id);
        var run = await GetJsonAsync("/api/runs/" + id);
        Assert.Equal((RunStatus.Completed, 2), (Text(run["run"], "status"), run["run"]!["done"]!.GetValue<int>()));
        Assert.InRange(run["run"]!["mean_score"]!.GetValue<double>(), 0, 1);
        var item = run["items"]!.AsArray()[0]!;
        Assert.Equal(RunItemStatus.Done, Text(item, "status"));
        var episode = await GetJsonAsync("/api/episodes/" + Text(item, "episode_id"));
        Assert.Equal(("W01", "sealed"), (Text(episode["episode"], "scenario_id"), Text(episode["episode"], "mode")));
        var items = await GetJsonAsync($"/api/runs/{id}/items");
        Assert.Equal(2, items["items"]!.AsArray().Count);
        var listed = (await GetJsonAsync("/api/runs"))["items"]!.AsArray();
        Assert.Contains(listed, r => Text(r, "id") == id);
    }

    [Fact]
    public async Task Start_AssignmentAsJson_201()
    {
        var ended = RunEnded();

        using var response = await PostAsync("/api/runs", """
            {"name": "api-json", "agent": "reference:naive", "harness": {"enabled": false}, "tasks": [{"suite": "tools", "scenarios": ["W03"]}], "seeds": [2]}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        Assert.Equal(["tools/W03/2/1"], created["items"]!.AsArray().Select(i => Text(i, "key")));
        await ended(created["run"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_InvalidAssignment_422WithEachErrorsPath()
    {
        using var response = await PostAsync("/api/runs", new JsonObject { ["assignment"] = "name: bad\nagent: reference:naive\ntasks:\n  - suite: nosuch\nseeds: 0\n" }.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal("Invalid assignment", Text(problem, "title"));
        Assert.NotNull(problem["errors"]!["seeds"]);
        Assert.DoesNotContain((await GetJsonAsync("/api/runs"))["items"]!.AsArray(), r => Text(r, "name") == "bad");
    }

    [Theory]
    [InlineData("not json at all", "The body is not JSON")]
    [InlineData("[1, 2]", "Invalid assignment")]
    public async Task Start_BodyNotAnObject_400Problem(string body, string title)
    {
        using var response = await PostAsync("/api/runs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, Text(await JsonAsync(response), "title"));
    }

    [Fact]
    public async Task Start_AssignmentNotAString_422UnderAssignment()
    {
        using var response = await PostAsync("/api/runs", """{"assignment": {"name": "x"}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("'assignment' is the assignment's YAML text, a string.", (await JsonAsync(response))["errors"]!["assignment"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_ModelProfileWithoutAgentsFile_403()
    {
        using var response = await PostAsync("/api/runs", new JsonObject { ["assignment"] = Smoke.Replace("reference:resilient", "local-qwen", StringComparison.Ordinal) }.ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ChaosLab.Web.Model.Runs.RunAgentCatalog.NoAgentsFile, Text(await JsonAsync(response), "detail"));
    }

    [Fact]
    public async Task Ablation_ReferenceAgent_422NothingToAblateAndNothingStored()
    {
        var ablation = Smoke.Replace("api-smoke", "api-ablation", StringComparison.Ordinal);

        using var response = await PostAsync("/api/runs/ablations", new JsonObject { ["assignment"] = ablation }.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no layers to ablate", (await JsonAsync(response))["errors"]!["agent"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain((await GetJsonAsync("/api/runs"))["items"]!.AsArray(), r => Text(r, "name") == "api-ablation");
    }

    [Fact]
    public async Task Get_UnknownRun_404Problem()
    {
        foreach (var path in new[] { "/api/runs/nope", "/api/runs/nope/items" })
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = await JsonAsync(response);
            Assert.Equal(("Run not found", "No evaluation run with id 'nope'."), (Text(problem, "title"), Text(problem, "detail")));
        }
    }

    [Fact]
    public async Task Cancel_UnknownThenFinishedRun_404Then409()
    {
        using (var unknown = await PostAsync("/api/runs/nope/cancel", ""))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var store = app.Services.GetRequiredService<RunStore>();
        var run = await store.CreateAsync(new NewRun("over", "naive", null, "none", "{}", "cli"), [new RunItemSpec("tools", "task1", "warmup", "W01", 1, 1)]);
        await store.EndAsync(run.Id, RunStatus.Cancelled);

        using var response = await PostAsync($"/api/runs/{run.Id}/cancel", "");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"Run '{run.Id}' is already cancelled.", Text(await JsonAsync(response), "detail"));
    }

    [Fact]
    public async Task Cancel_PlayingRun_202ThenCancelledWithNothingLeftRunning()
    {
        var ended = RunEnded();
        var assignment = "name: api-cancel\nagent: reference:naive\ntasks:\n  - suite: tools\nseeds: 5\nconcurrency: 1\n";
        using var created = await PostAsync("/api/runs", new JsonObject { ["assignment"] = assignment }.ToJsonString());
        var id = (await JsonAsync(created))["run"]!["id"]!.GetValue<string>();

        using var response = await PostAsync($"/api/runs/{id}/cancel", "");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(id, Text((await JsonAsync(response))["run"], "id"));
        await ended(id);
        var run = (await GetJsonAsync("/api/runs/" + id))["run"]!;
        Assert.Equal((RunStatus.Cancelled, 0), (Text(run, "status"), run["running"]!.GetValue<int>()));
        Assert.True(run["pending"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Files_FinishedRun_ZipOfItsOutputFolder()
    {
        var ended = RunEnded();
        using var created = await PostAsync("/api/runs", new JsonObject { ["assignment"] = Smoke }.ToJsonString());
        var id = (await JsonAsync(created))["run"]!["id"]!.GetValue<string>();
        await ended(id);

        using var response = await GetWhenWrittenAsync($"/api/runs/{id}/files");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith($"api-smoke-{id}.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        using var zip = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync());
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
        Assert.Contains(RunOutputWriter.RunsFile, names);
        Assert.Contains(RunOutputWriter.OverallFile, names);
        Assert.Contains(names, n => n.StartsWith("trajectories/", StringComparison.Ordinal));
        using var runs = new StreamReader(zip.GetEntry(RunOutputWriter.RunsFile)!.Open());
        Assert.Equal(2, (await runs.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Files_UnknownOrUnfinishedOrCommandLineRun_404Or409()
    {
        var store = app.Services.GetRequiredService<RunStore>();
        var queued = await store.CreateAsync(new NewRun("queued", "naive", null, "none", "{}", "api"), [new RunItemSpec("tools", "task1", "warmup", "W01", 1, 1)]);
        var cli = await store.CreateAsync(new NewRun("cli", "naive", null, "none", "{}", "cli"), [new RunItemSpec("tools", "task1", "warmup", "W01", 1, 1)]);
        await store.EndAsync(cli.Id, RunStatus.Completed);

        foreach (var (path, status, detail) in new[]
        {
            ("/api/runs/nope/files", HttpStatusCode.NotFound, "No evaluation run with id 'nope'."),
            ($"/api/runs/{queued.Id}/files", HttpStatusCode.Conflict, $"Run '{queued.Id}' is queued; its files are written when it ends."),
            ($"/api/runs/{cli.Id}/files", HttpStatusCode.NotFound, "was played by a command line"),
        })
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, Text(await JsonAsync(response), "detail"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancel_RunPlayedByAnotherProcess_202AndCancelledInTheStoreItsItemsGiveBack()
    {
        var store = app.Services.GetRequiredService<RunStore>();
        var run = await store.CreateAsync(new NewRun("cli-run", "naive", null, "none", "{}", "cli"), [new RunItemSpec("tools", "task1", "warmup", "W01", 1, 1)]);
        await store.ResumeAsync(run.Id);
        Assert.True(await store.StartItemAsync(run.Id, "tools/W01/1/1", "ep-elsewhere", owner: "another-replica"));

        using var response = await PostAsync($"/api/runs/{run.Id}/cancel", "");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(RunStatus.Cancelled, Text((await JsonAsync(response))["run"], "status"));
        Assert.Equal([new HeldItem(run.Id, "tools/W01/1/1", "ep-elsewhere", RunStatus.Cancelled)], await store.RenewLeasesAsync("another-replica", DateTimeOffset.UtcNow.AddHours(1)));
    }

    /// <summary>Subscribed before the run starts, so its end cannot slip by.</summary>
    private Func<string, Task> RunEnded()
    {
        var runs = app.Services.GetRequiredService<IEvaluationRuns>();
        var ended = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource>();
        TaskCompletionSource For(string id) => ended.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var subscription = runs.Subscribe(p =>
        {
            if (RunStatus.IsFinal(p.Run.Status))
            {
                For(p.Run.Id).TrySetResult();
            }
        });
        return async id =>
        {
            using (subscription)
            {
                await For(id).Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
        };
    }

    /// <summary>A run's final status is stored a moment before its files are written: 409 until then.</summary>
    private async Task<HttpResponseMessage> GetWhenWrittenAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.Conflict || attempt == 100)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static string Text(JsonNode? node, string name) => node![name]!.GetValue<string>();
}

/// <summary>Who may start runs: the admin key when one is set, and model runs only behind one.</summary>
public sealed class RunsApiAuthoringTests(AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    [Fact]
    public async Task Start_KeySetNoBearer_401SaysWhatToSend()
    {
        using var http = app.CreateHttpClient();

        using var response = await http.PostAsync(new Uri("/api/runs", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Starting or cancelling evaluation runs needs the operator's admin key", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_KeySetWithBearer_PassesAuthorization()
    {
        using var http = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/runs/nope/cancel", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKeyAppFactory.Key);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>A server with an agents file but no admin key: its profiles' credits are not open to anyone.</summary>
public sealed class RunsApiAgentsFileTests(RunsApiAgentsFileTests.AgentsFileAppFactory app) : IClassFixture<RunsApiAgentsFileTests.AgentsFileAppFactory>
{
    [Fact]
    public async Task Start_ProfileWithoutAdminKey_403SetAKeyFirst_ReferenceAgentStillStarts()
    {
        using var http = app.CreateHttpClient();
        const string Profile = "name: p\nagent: local-qwen\ntasks:\n  - suite: tools\n    scenarios: [W01]\n";

        using var refused = await http.PostAsync(new Uri("/api/runs", UriKind.Relative), Json(Profile));
        using var allowed = await http.PostAsync(new Uri("/api/runs", UriKind.Relative), Json(Profile.Replace("local-qwen", "reference:naive", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(ChaosLab.Web.Model.Runs.RunAgentCatalog.AdminKeyFirst, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    private static StringContent Json(string yaml) => new(new JsonObject { ["assignment"] = yaml }.ToJsonString(), Encoding.UTF8, "application/json");

    public sealed class AgentsFileAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>
    {
        ["ChaosLab:Evaluation:AgentsFile"] = Path.Combine(RepositoryRoot.Path, "docs", "examples", "agents.yaml"),
    });
}

/// <summary>
/// A model profile played for real over /api/runs: a server with an admin key and an agents file
/// naming the fake OpenAI-compatible server on loopback. An ablation's six runs all play.
/// </summary>
public sealed class RunsApiModelTests(RunsApiModelTests.ModelAppFactory app) : IClassFixture<RunsApiModelTests.ModelAppFactory>, IAsyncLifetime
{
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        // Every reply submits an answer: one step per episode, scored (wrong) but played through the harness.
        _model = await FakeOpenAiServer.StartAsync(_ => FakeReply.ToolCall(AgentAction.SubmitType, """{"answer": "42"}"""));
        await File.WriteAllTextAsync(app.AgentsFile, _model.ProfileYaml("fake"));
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task Ablation_ModelProfile_SixVariantsPlayToTheEnd()
    {
        using var http = app.CreateHttpClient();
        var runs = app.Services.GetRequiredService<IEvaluationRuns>();
        var ended = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = runs.Subscribe(p =>
        {
            if (RunStatus.IsFinal(p.Run.Status) && ended.TryAdd(p.Run.Id, true) && ended.Count == 6)
            {
                allEnded.TrySetResult();
            }
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/runs/ablations", UriKind.Relative))
        {
            Content = new StringContent(new JsonObject { ["assignment"] = "name: api-model\nagent: fake\ntasks:\n  - suite: tools\n    scenarios: [W01]\n" }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKeyAppFactory.Key);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.Equal(["all", "none", "-h2", "-h3", "-h4", "-h5"], created.Select(r => r!["variant"]!.GetValue<string>()));
        Assert.Equal("fake [h2+h3+h4+h5]", created[0]!["agent"]!.GetValue<string>());
        await allEnded.Task.WaitAsync(TimeSpan.FromSeconds(90));
        var store = app.Services.GetRequiredService<RunStore>();
        foreach (var run in created)
        {
            var summary = (await store.FindAsync(run!["id"]!.GetValue<string>()))!;
            Assert.Equal((RunStatus.Completed, 1), (summary.Status, summary.Done));
        }
    }

    public sealed class ModelAppFactory : ChaosLabAppFactory
    {
        private readonly TempDirectory _agents;

        public ModelAppFactory()
            : this(new TempDirectory())
        {
        }

        private ModelAppFactory(TempDirectory agents)
            : base(new Dictionary<string, string>
            {
                ["ChaosLab:AdminKey"] = AdminKeyAppFactory.Key,
                ["ChaosLab:Evaluation:AgentsFile"] = agents.File("agents.yaml"),
            }) => _agents = agents;

        /// <summary>Written by the test once the fake model server has its port; read on every run's creation.</summary>
        public string AgentsFile => _agents.File("agents.yaml");

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _agents.Dispose();
            }
        }
    }
}

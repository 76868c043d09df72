using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;

namespace ChaosLab.Tests.Core.Evaluation;

/// <summary>Runs of a model profile against the fake OpenAI server (real HTTP on loopback), with the harness.</summary>
public sealed class LlmEvaluationTests : IAsyncLifetime
{
    private const string Secret = "sk-test-never-stored-5f1e0c";
    private FakeOpenAiServer _server = null!;
    private EvaluationBench _bench = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _bench = await EvaluationBench.StartAsync();
        _bench.Environment["FAKE_KEY"] = Secret;
        await File.WriteAllTextAsync(Path.Combine(_bench.DataDirectory, "agents.yaml"), _server.ProfileYaml("fake", keyVariable: "FAKE_KEY"));
    }

    public async Task DisposeAsync()
    {
        await _bench.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_ScriptedModel_ItemsScoredUnderTheProfilesHarnessNameWithTheConversationAndNoKeyStoredAnywhere()
    {
        _server.Policy = request => request.ToolResultCount == 0
            ? FakeReply.ToolCall(ToolNames.Calculator, """{"expression":"6*7"}""")
            : FakeReply.ToolCall(ToolNames.SubmitAnswer, """{"answer":"42"}""");
        var run = await _bench.CreateAsync(Yaml("llm", "seeds: 2"));

        var summary = await _bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, 2, 0, "fake [h2+h3+h4+h5]", "fake-model", "h2+h3+h4+h5"), (summary.Status, summary.Done, summary.Errors, summary.Agent, summary.Model, summary.Harness));
        Assert.All(_server.Requests, r => Assert.Equal("Bearer " + Secret, r.Header("Authorization")));
        var item = (await _bench.Runs.ItemsAsync(run.Id))[0];
        Assert.Equal(2, item.Steps);
        var trace = (await _bench.Traces.FindAsync(item.EpisodeId!))!;
        Assert.Equal(("fake [h2+h3+h4+h5]", "fake-model", "h2+h3+h4+h5", true), (trace.Agent, trace.Model, trace.Harness, trace.Finished));
        Assert.Equal("system", trace.Conversation[0].Role);
        Assert.Equal("fake [h2+h3+h4+h5]", (await _bench.Episodes.GetTrajectoryAsync(item.EpisodeId!))!.Episode.Agent);

        var output = Path.Combine(_bench.DataDirectory, "out");
        var line = JsonNode.Parse((await File.ReadAllLinesAsync(Path.Combine(output, RunOutputWriter.RunsFile)))[0])!;
        Assert.Equal("system", (string)line["output"]!["history"]![0]!["role"]!);
        Assert.Contains(ToolNames.Calculator, line["output"]!["history"]![2]!["tool_calls"]!.ToJsonString(), StringComparison.Ordinal);

        // The database (with its write-ahead log), the output files, the trajectories: nowhere.
        var files = Directory.EnumerateFiles(_bench.DataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("chaoslab.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".json", StringComparison.Ordinal));
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            Assert.DoesNotContain(Secret, await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_EndpointAlways500_EveryItemAnErrorWithTheEndpointsMessageAndTheRunCompletes()
    {
        _server.Policy = _ => FakeReply.ServerError();
        var run = await _bench.CreateAsync(Yaml("down", "seeds: 2"));

        var summary = await _bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, 0, 2), (summary.Status, summary.Done, summary.Errors));
        Assert.All(await _bench.Runs.ItemsAsync(run.Id), i => Assert.Contains("HTTP 500", i.Error, StringComparison.Ordinal));
        Assert.Equal(2, (await File.ReadAllLinesAsync(Path.Combine(_bench.DataDirectory, "out", RunOutputWriter.ErrorsFile))).Length);
    }

    [Fact]
    public async Task RunAsync_CredentialsRefused_RunFailedWithTheReasonAndNoItemCounted()
    {
        _server.Policy = _ => FakeReply.Unauthorized();
        var run = await _bench.CreateAsync(Yaml("refused", "seeds: 3\nconcurrency: 2"));

        var summary = await _bench.Service.RunAsync(run.Id, null, CancellationToken.None);

        Assert.Equal((RunStatus.Failed, 0, 0, 3), (summary.Status, summary.Done, summary.Errors, summary.Pending));
        Assert.Contains("HTTP 401", summary.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, summary.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ProfileProblems_ErrorsAtTheAgentOrItsFile()
    {
        _bench.Environment.Remove("FAKE_KEY");
        var missingKey = await _bench.Service.CreateAsync(_bench.Assignment(Yaml("x", "")), EvaluationService.OriginCli);
        var unknown = await _bench.Service.CreateAsync(_bench.Assignment(Yaml("x", "").Replace("agent: fake", "agent: nobody", StringComparison.Ordinal)), EvaluationService.OriginCli);
        var noFile = await _bench.Service.CreateAsync(_bench.Assignment(Yaml("x", "").Replace("agents_file: agents.yaml", "agents_file: missing.yaml", StringComparison.Ordinal)), EvaluationService.OriginCli);
        var fromWeb = await _bench.Service.CreateAsync(_bench.Assignment(Yaml("x", "")), EvaluationService.OriginWeb);

        Assert.Equal("agent", Assert.Single(missingKey.Errors).Path);
        Assert.Contains("FAKE_KEY", missingKey.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("agent", Assert.Single(unknown.Errors).Path);
        Assert.Equal(["fake"], unknown.Errors[0].ValidValues!);
        Assert.Equal("agents_file", Assert.Single(noFile.Errors).Path);
        // The server has no agents file configured: a dashboard run cannot name one.
        Assert.Equal("agents_file", Assert.Single(fromWeb.Errors).Path);
    }

    [Fact]
    public async Task CreateAblationAsync_Profile_SixRunsOnOneAblationWithTheVariantsHarnessAndOutputFolders()
    {
        var runs = (await _bench.Service.CreateAblationAsync(_bench.Assignment(Yaml("ablate", "")), EvaluationService.OriginCli)).Value!;

        Assert.Equal(["all", "none", "-h2", "-h3", "-h4", "-h5"], runs.Select(r => r.Variant));
        Assert.Single(runs.Select(r => r.AblationId).Distinct());
        Assert.Equal(["h2+h3+h4+h5", "none", "h3+h4+h5", "h2+h4+h5", "h2+h3+h5", "h2+h3+h4"], runs.Select(r => r.Harness));
        Assert.Equal("fake [h3+h4+h5]", runs[2].Agent);
        var outputs = new List<string?>();
        foreach (var run in runs)
        {
            outputs.Add(AssignmentJson.Read((await _bench.Runs.AssignmentJsonAsync(run.Id))!).Output);
        }

        Assert.Equal(["all", "none", "without-h2", "without-h3", "without-h4", "without-h5"], outputs.Select(o => Path.GetFileName(o!)));
    }

    private static string Yaml(string name, string extra) => $"""
        name: {name}
        agent: fake
        agents_file: agents.yaml
        tasks: [{"{"} suite: tools, scenarios: [W01] {"}"}]
        output: out
        {extra}
        """;
}

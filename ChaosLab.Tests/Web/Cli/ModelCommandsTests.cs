using System.Text.Json.Nodes;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using ChaosLab.Web.Cli;
using Spectre.Console;

namespace ChaosLab.Tests.Web.Cli;

/// <summary>The commands that talk to a model, against the fake OpenAI-compatible server on loopback.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed by IAsyncLifetime.DisposeAsync.")]
public sealed class ModelCommandsTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly StringWriter _display = new();
    private FakeOpenAiServer _server = null!;

    private string Profiles => Path.Combine(_directory.Path, "agents.yaml");

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        await File.WriteAllTextAsync(Profiles, _server.ProfileYaml("fake"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _display.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task AgentTest_ModelCallsTheTool_ExitsZeroSayingOk()
    {
        _server.Policy = _ => FakeReply.ToolCall("ping", "{}");

        var exit = await RunAsync("agent-test", "--config", Profiles, "--agent", "fake");

        Assert.True(exit == 0, _display.ToString());
        Assert.Contains("OK", _display.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentTest_CredentialsRefused_ExitsOneNamingTheProblem()
    {
        _server.Policy = _ => FakeReply.Unauthorized();

        var exit = await RunAsync("agent-test", "--config", Profiles, "--agent", "fake");

        Assert.Equal(CommandLine.Failed, exit);
        Assert.Contains("credentials refused", _display.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentTest_UnknownProfile_ExitsTwoListingTheKnownOnes()
    {
        var exit = await RunAsync("agent-test", "--config", Profiles, "--agent", "nosuch");

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("known: fake", _display.ToString(), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Ablate_ScriptedModel_SixVariantsOnTheSameItemsAndTheTableWritten()
    {
        _server.Policy = request => request.ToolResultCount == 0
            ? FakeReply.ToolCall(ToolNames.Calculator, """{"expression":"6*7"}""")
            : FakeReply.ToolCall(ToolNames.SubmitAnswer, """{"answer":"42"}""");
        var assignment = Path.Combine(_directory.Path, "ablate.yaml");
        await File.WriteAllTextAsync(assignment, """
            name: cli-ablation
            agent: fake
            agents_file: agents.yaml
            tasks:
              - suite: tools
                scenarios: [W01]
            seeds: 1
            output: out
            """);

        var exit = await RunAsync("ablate", "--assignment", assignment, "--data-dir", Path.Combine(_directory.Path, "data"));

        Assert.True(exit == 0, _display.ToString());
        var output = Path.Combine(_directory.Path, "out");
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, AblationTable.MarkdownFile));
        Assert.All(EvaluationService.AblationVariants, v => Assert.Contains(v, markdown, StringComparison.Ordinal));
        Assert.All(EvaluationService.AblationVariants, v => Assert.True(File.Exists(Path.Combine(output, EvaluationService.VariantFolder(v), RunOutputWriter.RunsFile)), v));
        Assert.Contains("Ablation: one harness layer at a time", _display.ToString(), StringComparison.Ordinal);
        // Six variants, each one episode of two model turns.
        Assert.Equal(12, _server.Requests.Count);
    }

    [Fact]
    public async Task Ablate_ModelThatNeedsEachLayer_TheTableShowsEachLayersEffectOnlyWhereItIsOn()
    {
        // A model that writes its first call in prose (only h2 rescues it), repeats a failing call
        // (h4 notes it) and otherwise submits; h3 and h5 act at the reset of every episode.
        _server.Policy = request => (Failures(request), request.Messages.Count) switch
        {
            (0, <= 2) => FakeReply.Text("""Let me compute first: {"tool_name": "calculator", "arguments": {"expression": "(6*"}}"""),
            (1, _) => FakeReply.ToolCall(ToolNames.Calculator, """{"expression":"(6*"}"""),
            _ => FakeReply.ToolCall(ToolNames.SubmitAnswer, """{"answer":"42"}"""),
        };
        var data = Path.Combine(_directory.Path, "data");
        Directory.CreateDirectory(data);
        // A fixed seal key: the same sealed seeds (and so the same faults) on every run of this test.
        await File.WriteAllTextAsync(Path.Combine(data, "seal.key"), new string('k', 48));
        var assignment = Path.Combine(_directory.Path, "ablate.yaml");
        await File.WriteAllTextAsync(assignment, """
            name: layer-effects
            agent: fake
            agents_file: agents.yaml
            tasks:
              - suite: tools
                scenarios: [W01, W02]
            seeds: 1
            output: out
            """);

        Assert.Equal(0, await RunAsync("ablate", "--assignment", assignment, "--data-dir", data));

        var rows = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_directory.Path, "out", AblationTable.JsonFile)))!["rows"]!.AsArray()
            .ToDictionary(r => r!["variant"]!.GetValue<string>(), r => r!);
        double Interventions(string variant, string layer) => rows[variant]["mean_interventions"]![layer]?.GetValue<double>() ?? 0;
        foreach (var layer in new[] { "h2", "h3", "h4", "h5" })
        {
            Assert.True(Interventions("all", layer) > 0, $"{layer} did nothing with every layer on");
            Assert.Equal(0, Interventions("-" + layer, layer));
            Assert.Equal(0, Interventions("none", layer));
        }

        // Without h2 the prose call is no action and the model submits at once: one step, not three.
        Assert.Equal(3.0, rows["all"]["mean_steps"]!.GetValue<double>());
        Assert.Equal(1.0, rows["-h2"]["mean_steps"]!.GetValue<double>());
        Assert.Equal(1.0, rows["none"]["mean_steps"]!.GetValue<double>());
    }

    /// <summary>How many failed calculations the model has been shown so far.</summary>
    private static int Failures(FakeChatRequest request) => request.BodyText.Split("calculation_error").Length - 1;

    private Task<int> RunAsync(params string[] args)
    {
        var display = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(TextWriter.Synchronized(_display)),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        return CommandLine.RunAsync(args, display, display, TextWriter.Null);
    }
}

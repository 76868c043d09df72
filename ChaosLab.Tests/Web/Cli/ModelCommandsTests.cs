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

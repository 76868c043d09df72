using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using ChaosLab.Tests.Web.Authoring;
using ChaosLab.Tests.Web.Runs;
using ChaosLab.Web.Cli;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ChaosLab.Tests.Web.Cli;

/// <summary>
/// <c>eval --server</c> in process against a real server on a loopback port: the run is the
/// server's (stored with origin api, played there), followed from the command line to the same
/// report, files and exit codes as a run played in the command's own process.
/// </summary>
public sealed class ServerCommandsTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>, IDisposable
{
    private readonly CommandConsole _console = new();
    private readonly TempDirectory _directory = new();

    private string Output => Path.Combine(_directory.Path, "out");

    [Fact]
    public async Task Eval_Server_PlaysThereAndFollowsToTheEndWithTheFilesFetched()
    {
        var assignment = WriteAssignment("remote-eval", "reference:resilient", seeds: 2);

        var exit = await _console.RunAsync("eval", "--assignment", assignment, "--server", app.ServerAddress.ToString());

        Assert.True(exit == 0, _console.Text);
        var run = (await app.Services.GetRequiredService<RunStore>().ListAsync()).Single(r => r.Name == "remote-eval");
        Assert.Equal((EvaluationService.OriginApi, RunStatus.Completed, 2), (run.Origin, run.Status, run.Done));
        Assert.Contains($"{app.ServerAddress}web/runs/{run.Id}", _console.Text, StringComparison.Ordinal);
        Assert.Contains("2/2", _console.Text, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Output, RunOutputWriter.RunsFile)).Length);
        Assert.Equal(run.Id, JsonNode.Parse(File.ReadAllText(Path.Combine(Output, RunOutputWriter.RunFile)))!["run_id"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(Output, "summary.md")));
    }

    [Fact]
    public async Task Eval_Server_AssignmentTheServerRefuses_ExitsTwoWithItsPaths()
    {
        // Parses here; only the server knows mast has no agent of that name.
        var assignment = WriteAssignment("remote-refused", "reference:resilient", seeds: 1, suite: "mast");

        var exit = await _console.RunAsync("eval", "--assignment", assignment, "--server", app.ServerAddress.ToString());

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("422 Invalid assignment", _console.Text, StringComparison.Ordinal);
        Assert.Contains("tasks[0].suite", _console.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Services.GetRequiredService<RunStore>().ListAsync(), r => r.Name == "remote-refused");
    }

    [Fact]
    public async Task Eval_ServerNotListening_ExitsTwoSayingItCannotBeReached()
    {
        var assignment = WriteAssignment("remote-nobody", "reference:resilient", seeds: 1);

        var exit = await _console.RunAsync("eval", "--assignment", assignment, "--server", $"http://127.0.0.1:{ClosedPort()}");

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("Cannot reach", _console.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--data-dir", "elsewhere", "--data-dir does not go with --server")]
    [InlineData("--format", "openenv", "--format openenv does not go with --server")]
    public async Task Eval_ServerWithAnOptionOfALocalRun_Refused(string option, string value, string message)
    {
        var assignment = WriteAssignment("remote-clash", "reference:resilient", seeds: 1);

        var exit = await _console.RunAsync("eval", "--assignment", assignment, "--server", app.ServerAddress.ToString(), option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, _console.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_ServerNotAnHttpAddress_Refused()
    {
        var assignment = WriteAssignment("remote-bad-url", "reference:resilient", seeds: 1);

        Assert.NotEqual(0, await _console.RunAsync("eval", "--assignment", assignment, "--server", "ftp://example.org"));
        Assert.Contains("http(s) address", _console.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_Server_CtrlC_CancelsTheServersRunAndExits130()
    {
        var assignment = WriteAssignment("remote-cancel", "reference:naive", seeds: 5, concurrency: 1);
        using var ctrlC = new CancellationTokenSource();
        // Ctrl+C once the server has played an item of this run.
        using var subscription = app.Services.GetRequiredService<IEvaluationRuns>().Subscribe(p =>
        {
            if (p.Run.Name == "remote-cancel" && p.Run.Finished > 0)
            {
                ctrlC.Cancel();
            }
        });

        var exit = await _console.RunAsync(ctrlC.Token, "eval", "--assignment", assignment, "--server", app.ServerAddress.ToString());

        Assert.True(exit == CommandLine.Cancelled, _console.Text);
        var run = (await app.Services.GetRequiredService<RunStore>().ListAsync()).Single(r => r.Name == "remote-cancel");
        Assert.Equal((RunStatus.Cancelled, 0), (run.Status, run.Running));
        Assert.True(run.Pending > 0, "the run ended before it was cancelled");
    }

    public void Dispose()
    {
        _console.Dispose();
        _directory.Dispose();
    }

    private string WriteAssignment(string name, string agent, int seeds, string suite = "tools", int concurrency = 2)
    {
        var file = Path.Combine(_directory.Path, name + ".yaml");
        var scenarios = suite == "tools" && seeds < 5 ? "\n    scenarios: [W01]" : "";
        File.WriteAllText(file, $"name: {name}\nagent: {agent}\ntasks:\n  - suite: {suite}{scenarios}\nseeds: {seeds}\nconcurrency: {concurrency}\noutput: out\n");
        return file;
    }

    /// <summary>A loopback port nothing listens on (bound, then let go).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>
/// <c>ablate --server</c> and the admin key, against a server with an admin key and an agents file
/// whose profile is the fake OpenAI-compatible model on loopback.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed by IAsyncLifetime.DisposeAsync.")]
public sealed class ServerModelCommandsTests(RunsApiModelTests.ModelAppFactory app) : IClassFixture<RunsApiModelTests.ModelAppFactory>, IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private CommandConsole _console = null!;
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAiServer.StartAsync(_ => FakeReply.ToolCall(AgentAction.SubmitType, """{"answer": "42"}"""));
        await File.WriteAllTextAsync(app.AgentsFile, _model.ProfileYaml("fake"));
        _console = new CommandConsole(name => name == "CHAOSLAB_ADMIN_KEY" ? AdminKeyAppFactory.Key : null);
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        _console.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Ablate_Server_SixVariantsPlayThereAndTheTableAndFoldersComeBack()
    {
        var assignment = WriteAssignment("remote-ablation");

        var exit = await _console.RunAsync("ablate", "--assignment", assignment, "--server", app.ServerAddress.ToString());

        Assert.True(exit == 0, _console.Text);
        var output = Path.Combine(_directory.Path, "out");
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, AblationTable.MarkdownFile));
        Assert.All(EvaluationService.AblationVariants, v => Assert.Contains(v, markdown, StringComparison.Ordinal));
        Assert.All(EvaluationService.AblationVariants, v => Assert.Single(File.ReadAllLines(Path.Combine(output, EvaluationService.VariantFolder(v), RunOutputWriter.RunsFile))));
        Assert.Contains("Ablation: one harness layer at a time", _console.Text, StringComparison.Ordinal);
        var runs = (await app.Services.GetRequiredService<RunStore>().ListAsync()).Where(r => r.Name == "remote-ablation").ToList();
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.Equal((EvaluationService.OriginApi, RunStatus.Completed), (r.Origin, r.Status)));
    }

    [Theory]
    [InlineData(null, "Set CHAOSLAB_ADMIN_KEY to the server's admin key.")]
    [InlineData("not-the-key-0123456789", "The key in CHAOSLAB_ADMIN_KEY was refused.")]
    public async Task Eval_Server_KeyMissingOrWrong_ExitsTwoSayingWhatToDo(string? key, string message)
    {
        using var console = new CommandConsole(_ => key);
        var assignment = WriteAssignment("remote-unauthorized");

        var exit = await console.RunAsync("eval", "--assignment", assignment, "--server", app.ServerAddress.ToString());

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("401", console.Text, StringComparison.Ordinal);
        Assert.Contains(message, console.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Services.GetRequiredService<RunStore>().ListAsync(), r => r.Name == "remote-unauthorized");
    }

    private string WriteAssignment(string name)
    {
        var file = Path.Combine(_directory.Path, name + ".yaml");
        File.WriteAllText(file, $"name: {name}\nagent: fake\ntasks:\n  - suite: tools\n    scenarios: [W01]\nseeds: 1\noutput: out\n");
        return file;
    }
}

/// <summary>The command line in process with its display captured as plain text and a given environment.</summary>
internal sealed class CommandConsole(Func<string, string?>? environment = null) : IDisposable
{
    private readonly StringWriter _display = new();

    public string Text => _display.ToString();

    public Task<int> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public Task<int> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var display = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(TextWriter.Synchronized(_display)),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        return CommandLine.RunAsync(args, display, display, TextWriter.Null, environment ?? (_ => null), cancellationToken);
    }

    public void Dispose() => _display.Dispose();
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Cli;
using Spectre.Console;

namespace ChaosLab.Tests.Web.Cli;

/// <summary>
/// The command line in process, on a real data directory: exit codes, output files, the openenv
/// lines on standard output, refusals and resuming from the output folder.
/// </summary>
public sealed partial class CommandLineTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly StringWriter _display = new();
    private readonly StringWriter _output = new();

    private string Data => Path.Combine(_directory.Path, "data");

    private string Output => Path.Combine(_directory.Path, "out");

    [Fact]
    public async Task Eval_ReferenceAgentAssignment_ExitsZeroAndWritesOneLinePerItem()
    {
        var assignment = WriteAssignment(scenarios: ["W01", "W02"], seeds: 2);

        var exit = await RunAsync("eval", "--assignment", assignment, "--data-dir", Data);

        Assert.True(exit == 0, _display.ToString());
        var lines = File.ReadAllLines(Path.Combine(Output, RunOutputWriter.RunsFile));
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.Equal("completed", JsonNode.Parse(line)!["output"]!["status"]!.GetValue<string>()));
        var overall = JsonNode.Parse(File.ReadAllText(Path.Combine(Output, RunOutputWriter.OverallFile)))!;
        Assert.Equal(4, overall["total"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(Output, "summary.md")));
        Assert.Contains("tools", _display.ToString(), StringComparison.Ordinal);
        Assert.Contains("4/4", _display.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_FormatOpenEnv_StandardOutputHoldsOnlyTheContractLines()
    {
        var assignment = WriteAssignment(scenarios: ["W01"], seeds: 2);

        var exit = await RunAsync("eval", "--assignment", assignment, "--data-dir", Data, "--format", "openenv");

        Assert.Equal(0, exit);
        var lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(l => l.StartsWith("[START] task=W01 env=chaoslab model=resilient", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => EndLine().IsMatch(l)));
        Assert.All(lines, l => Assert.Matches(@"^\[(START|STEP|END)\] ", l));
        Assert.All(lines.Where(l => l.StartsWith("[STEP]", StringComparison.Ordinal)), l => Assert.Matches(StepLine(), l));
        Assert.DoesNotContain(@"\u0027", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_InvalidAssignment_ExitsTwoNamingThePath()
    {
        var file = Path.Combine(_directory.Path, "bad.yaml");
        File.WriteAllText(file, "name: bad\nagent: reference:resilient\ntasks:\n  - suite: nosuch\nseeds: 1\n");

        var exit = await RunAsync("eval", "--assignment", file, "--data-dir", Data);

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("nosuch", _display.ToString(), StringComparison.Ordinal);
        Assert.Contains("tasks[0].suite", _display.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_MissingFileOrNoArguments_ExitsTwo()
    {
        Assert.Equal(CommandLine.Refused, await RunAsync("eval", "--assignment", Path.Combine(_directory.Path, "none.yaml")));
        Assert.Contains("does not exist", _display.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(0, await RunAsync("eval"));
    }

    [Fact]
    public async Task Eval_DataDirectoryHeldByAnotherProcess_ExitsTwoWithTheWayOut()
    {
        using var held = DataDirectoryLock.Acquire(Path.Combine(Data, "chaoslab.db"));

        var exit = await RunAsync("eval", "--assignment", WriteAssignment(scenarios: ["W01"], seeds: 1), "--data-dir", Data);

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("/web/runs", _display.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Output, RunOutputWriter.RunsFile)));
    }

    [Fact]
    public async Task Eval_OutputFolderHoldsARunStoppedPartWay_ResumesItAndPlaysOnlyWhatWasLeft()
    {
        var assignment = WriteAssignment(scenarios: ["W01", "W02", "W03"], seeds: 2);
        Assert.Equal(0, await RunAsync("eval", "--assignment", assignment, "--data-dir", Data));
        var runId = (await RunOutputWriter.ReadRunIdAsync(Output))!;
        // As a Ctrl+C leaves it: two items given back to pending, the run cancelled.
        var database = new SqliteFile(Path.Combine(Data, "chaoslab.db"));
        await database.ExecuteAsync($"UPDATE eval_run_items SET status = 'pending', episode_id = NULL, score = NULL WHERE run_id = '{runId}' AND sequence >= 4");
        await database.ExecuteAsync($"UPDATE eval_runs SET status = 'cancelled' WHERE id = '{runId}'");
        var episodesBefore = await database.ScalarAsync<long>("SELECT COUNT(*) FROM episodes");
        _display.GetStringBuilder().Clear();

        var exit = await RunAsync("eval", "--assignment", assignment, "--data-dir", Data);

        Assert.True(exit == 0, _display.ToString());
        Assert.Contains($"Resuming run {runId}", _display.ToString(), StringComparison.Ordinal);
        Assert.Equal(runId, await RunOutputWriter.ReadRunIdAsync(Output));
        Assert.Equal(episodesBefore + 2, await database.ScalarAsync<long>("SELECT COUNT(*) FROM episodes"));
        var keys = File.ReadAllLines(Path.Combine(Output, RunOutputWriter.RunsFile)).Select(l => JsonNode.Parse(l)!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(6, keys.Distinct().Count());
        Assert.Equal(6, keys.Count);
    }

    [Fact]
    public async Task Eval_ResumeCompletedRun_ExitsTwo()
    {
        Assert.Equal(0, await RunAsync("eval", "--assignment", WriteAssignment(scenarios: ["W01"], seeds: 1), "--data-dir", Data));
        var runId = (await RunOutputWriter.ReadRunIdAsync(Output))!;

        var exit = await RunAsync("eval", "--resume", runId, "--data-dir", Data);

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("already completed", _display.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_UnknownRun_ExitsTwo()
    {
        var exit = await RunAsync("export", "--run", "nosuch", "--out", Output, "--data-dir", Data);

        Assert.Equal(CommandLine.Refused, exit);
        Assert.Contains("no run 'nosuch'", _display.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_StoredRun_WritesItsFilesElsewhere()
    {
        Assert.Equal(0, await RunAsync("eval", "--assignment", WriteAssignment(scenarios: ["W01"], seeds: 1), "--data-dir", Data));
        var runId = (await RunOutputWriter.ReadRunIdAsync(Output))!;
        var elsewhere = Path.Combine(_directory.Path, "export");

        var exit = await RunAsync("export", "--run", runId, "--out", elsewhere, "--data-dir", Data);

        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(Path.Combine(Output, RunOutputWriter.RunsFile)), File.ReadAllText(Path.Combine(elsewhere, RunOutputWriter.RunsFile)));
        Assert.True(Directory.EnumerateFiles(Path.Combine(elsewhere, TrajectoryExporter.TrajectoriesFolder)).Any());
    }

    public void Dispose() => _directory.Dispose();

    private Task<int> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    private Task<int> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var display = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(TextWriter.Synchronized(_display)),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        return CommandLine.RunAsync(args, display, display, TextWriter.Synchronized(_output), cancellationToken: cancellationToken);
    }

    private string WriteAssignment(IReadOnlyList<string> scenarios, int seeds)
    {
        var file = Path.Combine(_directory.Path, "assignment.yaml");
        File.WriteAllText(file, $"""
            name: cli-test
            agent: reference:resilient
            tasks:
              - suite: tools
                scenarios: [{string.Join(", ", scenarios)}]
            seeds: {seeds}
            concurrency: 2
            output: out
            """);
        return file;
    }

    [GeneratedRegex(@"^\[END\] success=(true|false) steps=\d+ score=\d\.\d\d rewards=(-?\d\.\d\d)(,-?\d\.\d\d)*$")]
    private static partial Regex EndLine();

    [GeneratedRegex(@"^\[STEP\] step=\d+ action=\{.*\} reward=-?\d\.\d\d done=(true|false) error=.+$")]
    private static partial Regex StepLine();
}

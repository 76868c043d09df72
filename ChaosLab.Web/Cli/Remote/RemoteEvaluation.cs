using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Endpoints;
using Spectre.Console;

namespace ChaosLab.Web.Cli.Remote;

/// <summary>
/// <c>eval</c> and <c>ablate</c> with <c>--server</c>: the assignment is started on a running
/// server (so it plays there and shows live in that server's dashboard) and followed from here
/// with the same progress display, report, files and exit codes as a run played in this process.
/// </summary>
internal sealed class RemoteEvaluation(CliConsoles consoles, CliEnvironment environment, TimeProvider time)
{
    private IAnsiConsole Display => consoles.Display;

    public async Task<int> EvalAsync(Uri server, string assignmentFile, Assignment assignment, CancellationToken cancellationToken)
    {
        using var runs = Connect(server);
        RunResponse started;
        try
        {
            // Not cancelled midway: a run the server created would be left playing unseen. A
            // Ctrl+C meanwhile is seen by the follower, which cancels the run.
            started = await runs.StartAsync(await File.ReadAllTextAsync(assignmentFile, cancellationToken), CancellationToken.None);
        }
        catch (ServerRunException ex)
        {
            return Refused(ex);
        }

        Display.MarkupLine($"Run [bold]{started.Run.Id}[/] started on {Markup.Escape(server.ToString())}; live at [link]{Markup.Escape(runs.DashboardAddress(started.Run.Id).ToString())}[/]");
        if (await FollowAsync(runs, [started.Run], together: false, cancellationToken) is not { } ended)
        {
            return CommandLine.Failed;
        }

        var run = ended[0];
        RunReport.WriteTable(Display, run, (await runs.GetAsync(run.Id, CancellationToken.None)).Items);
        var fetched = await DownloadAsync(runs, run, assignment.Output);
        return ExitCode(ended, fetched);
    }

    public async Task<int> AblateAsync(Uri server, string assignmentFile, Assignment assignment, CancellationToken cancellationToken)
    {
        using var runs = Connect(server);
        IReadOnlyList<RunSummary> started;
        try
        {
            started = await runs.StartAblationAsync(await File.ReadAllTextAsync(assignmentFile, cancellationToken), CancellationToken.None);
        }
        catch (ServerRunException ex)
        {
            return Refused(ex);
        }

        Display.MarkupLine($"Ablation [bold]{started[0].AblationId}[/] started on {Markup.Escape(server.ToString())} ({started.Count} runs); live at [link]{Markup.Escape(runs.DashboardAddress(started[0].Id).ToString())}[/]");
        // The server plays the variants side by side, so they are followed together.
        if (await FollowAsync(runs, started, together: true, cancellationToken) is not { } ended)
        {
            return CommandLine.Failed;
        }

        var withItems = new List<(RunSummary Run, IReadOnlyList<RunItem> Items)>();
        foreach (var run in ended)
        {
            withItems.Add((run, (await runs.GetAsync(run.Id, CancellationToken.None)).Items));
        }

        var table = AblationTable.From(started[0].AblationId!, withItems);
        Display.Write(AblateCommand.Render(table));
        var fetched = true;
        if (assignment.Output is { } output)
        {
            foreach (var run in ended)
            {
                fetched &= await DownloadAsync(runs, run, Path.Combine(output, EvaluationService.VariantFolder(run.Variant!)));
            }

            await table.WriteAsync(output, CancellationToken.None);
            Display.MarkupLine($"Files: [link]{Markup.Escape(output)}[/] ({AblationTable.MarkdownFile}, {AblationTable.JsonFile}, one folder per variant)");
        }

        return ExitCode(ended, fetched);
    }

    /// <summary>As a run played here, but a run whose files could not be fetched is a failure: a script expects them.</summary>
    private static int ExitCode(IReadOnlyList<RunSummary> ended, bool fetched) =>
        RunReport.ExitCode(ended) is var code && code == 0 && !fetched ? CommandLine.Failed : code;

    private ServerRuns Connect(Uri server) => new(server, environment.Read(ServerRuns.AdminKeyVariable), time);

    /// <summary>The runs followed to their ends, or null after saying the server was lost.</summary>
    private async Task<IReadOnlyList<RunSummary>?> FollowAsync(ServerRuns runs, IReadOnlyList<RunSummary> started, bool together, CancellationToken cancellationToken)
    {
        try
        {
            return await RunProgressDisplay.PlayAsync(Display, started, (id, progress) => runs.FollowAsync(id, progress, cancellationToken), together);
        }
        catch (ServerRunException ex)
        {
            Display.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return null;
        }
    }

    /// <returns>False when the files could not be fetched.</returns>
    private async Task<bool> DownloadAsync(ServerRuns runs, RunSummary run, string? output)
    {
        if (output is null)
        {
            Display.MarkupLine($"The assignment names no output folder; the run's files stay on the server ({Markup.Escape(runs.Server.ToString())}api/runs/{run.Id}/files).");
            return true;
        }

        try
        {
            Display.MarkupLine(await runs.DownloadFilesAsync(run.Id, output, CancellationToken.None)
                ? $"Files: [link]{Markup.Escape(output)}[/] ({RunOutputWriter.RunsFile}, {RunOutputWriter.OverallFile}, trajectories), from the server"
                : $"[yellow]The server wrote no files for run {run.Id}.[/]");
            return true;
        }
        catch (ServerRunException ex)
        {
            Display.MarkupLine($"[red]error:[/] the run's files could not be fetched: {Markup.Escape(ex.Message)}");
            return false;
        }
    }

    private int Refused(ServerRunException ex)
    {
        Display.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
        RunReport.WriteErrors(Display, ex.Errors);
        return CommandLine.Refused;
    }
}

/// <summary>The process environment as the commands read it (a seam, so tests give a key without touching the real environment).</summary>
internal sealed record CliEnvironment(Func<string, string?> Read);

using System.ComponentModel;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Cli.Remote;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ChaosLab.Web.Cli;

/// <summary>
/// <c>chaoslab eval</c>: plays an assignment's sealed episodes in this process (no web server),
/// with a live progress display, writes the output files and exits non-zero unless every item
/// was played. A run its output folder names that did not complete (stopped, cancelled, failed) is resumed instead of restarted.
/// With <c>--server</c> the run is started on that server and followed from here.
/// </summary>
internal sealed class EvalCommand(CliConsoles consoles, RemoteEvaluation remote) : AsyncCommand<EvalCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        [CommandOption("--resume <RUN_ID>")]
        [Description("Resume a stored command-line run (its items already played are kept).")]
        public string? Resume { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("progress (a live display) or openenv ([START]/[STEP]/[END] lines on standard output).")]
        [DefaultValue(OutputFormat.Progress)]
        public string Format { get; init; } = OutputFormat.Progress;

        public override ValidationResult Validate() =>
            (Assignment, Resume) switch
            {
                (null, null) => ValidationResult.Error("Give --assignment <FILE>, or --resume <RUN_ID>."),
                (not null, not null) => ValidationResult.Error("Give --assignment or --resume, not both."),
                _ when Format is not (OutputFormat.Progress or OutputFormat.OpenEnv) => ValidationResult.Error($"--format is '{OutputFormat.Progress}' or '{OutputFormat.OpenEnv}'."),
                _ => ValidateServer((Resume is not null, "--resume"), (Format == OutputFormat.OpenEnv, "--format openenv")),
            };
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var openEnv = settings.Format == OutputFormat.OpenEnv;
        var display = openEnv ? consoles.Errors : consoles.Display;
        Assignment? assignment = null;
        if (settings.Assignment is not null)
        {
            assignment = RunSettings.ReadAssignment(settings.Assignment, display);
            if (assignment is null)
            {
                return CommandLine.Refused;
            }
        }

        if (settings.ServerAddress is { } server)
        {
            return await remote.EvalAsync(server, settings.Assignment!, assignment!, cancellationToken);
        }

        using var host = await RunSettings.StartEngineAsync(settings, display, cancellationToken);
        if (host is null)
        {
            return CommandLine.Refused;
        }

        var service = host.Services.GetRequiredService<EvaluationService>();
        var runId = await RunToPlayAsync(settings, assignment, host.Services, display, cancellationToken);
        if (runId is null)
        {
            await host.StopAsync(CancellationToken.None);
            return CommandLine.Refused;
        }

        var transcript = openEnv ? new OpenEnvTranscript(consoles.Output) : null;
        var run = (await host.Services.GetRequiredService<RunStore>().FindAsync(runId, cancellationToken))!;
        var summary = await RunProgressDisplay.PlayAsync(display, [run], (id, progress) => service.RunAsync(id, progress, transcript, cancellationToken));
        await RunReport.WriteAsync(display, summary[0], host.Services, CancellationToken.None);
        await host.StopAsync(CancellationToken.None);
        return RunReport.ExitCode(summary);
    }

    /// <summary>The run to play: the one named by --resume, the unfinished one the output folder holds, or a new one.</summary>
    private static async Task<string?> RunToPlayAsync(Settings settings, Assignment? assignment, IServiceProvider services, IAnsiConsole display, CancellationToken cancellationToken)
    {
        var runs = services.GetRequiredService<RunStore>();
        var resume = settings.Resume;
        if (resume is null && assignment?.Output is { } output && await RunOutputWriter.ReadRunIdAsync(output, cancellationToken) is { } previous
            && await runs.FindAsync(previous, cancellationToken) is { Status: not RunStatus.Completed } stored)
        {
            display.MarkupLine($"Resuming run [bold]{previous}[/] left unfinished in {Markup.Escape(output)} ({stored.Finished} of {stored.Total} items played).");
            resume = previous;
        }

        if (resume is not null)
        {
            var run = await runs.FindAsync(resume, cancellationToken);
            var refusal = run switch
            {
                null => $"There is no run '{resume}' in this data directory.",
                { Origin: not EvaluationService.OriginCli } => $"Run '{resume}' was started on the server ({run.Origin}); the server resumes it itself.",
                { Status: RunStatus.Completed } => $"Run '{resume}' has already completed.",
                _ => null,
            };
            if (refusal is not null)
            {
                display.MarkupLine($"[red]error:[/] {Markup.Escape(refusal)}");
                return null;
            }

            return resume;
        }

        var created = await services.GetRequiredService<EvaluationService>().CreateAsync(assignment!, EvaluationService.OriginCli, cancellationToken);
        if (!created.Succeeded)
        {
            RunReport.WriteErrors(display, created.Errors);
            return null;
        }

        return created.Value!.Id;
    }
}

internal static class OutputFormat
{
    public const string Progress = "progress";
    public const string OpenEnv = "openenv";
}

using System.ComponentModel;
using ChaosLab.Core.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ChaosLab.Web.Cli;

/// <summary><c>chaoslab export</c>: a stored run's output files and trajectories, for a person or a coding agent evolving the harness.</summary>
internal sealed class ExportCommand(CliConsoles consoles) : AsyncCommand<ExportCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        [CommandOption("--run <RUN_ID>")]
        [Description("The run to export.")]
        public string? Run { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("The directory to write to (created if missing).")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            Run is null || Out is null ? ValidationResult.Error("Give --run <RUN_ID> and --out <DIR>.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var host = await RunSettings.StartEngineAsync(settings, consoles.Display, cancellationToken);
        if (host is null)
        {
            return CommandLine.Refused;
        }

        if (await host.Services.GetRequiredService<RunStore>().FindAsync(settings.Run!, cancellationToken) is null)
        {
            consoles.Display.MarkupLine($"[red]error:[/] there is no run '{Markup.Escape(settings.Run!)}' in this data directory.");
            await host.StopAsync(CancellationToken.None);
            return CommandLine.Refused;
        }

        var directory = Path.GetFullPath(settings.Out!);
        await host.Services.GetRequiredService<RunOutputWriter>().WriteAsync(settings.Run!, directory, cancellationToken);
        await host.Services.GetRequiredService<TrajectoryExporter>().ExportAsync(settings.Run!, directory, cancellationToken);
        consoles.Display.MarkupLine($"Wrote run {Markup.Escape(settings.Run!)} to [link]{Markup.Escape(directory)}[/]: {RunOutputWriter.RunsFile}, {RunOutputWriter.OverallFile}, {TrajectoryExporter.SummaryMarkdownFile}, {TrajectoryExporter.TrajectoriesFolder}/");
        await host.StopAsync(CancellationToken.None);
        return 0;
    }
}

using System.Globalization;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;
using ChaosLab.Web.Cli.Remote;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ChaosLab.Web.Cli;

/// <summary>
/// <c>chaoslab ablate</c>: the assignment played with every harness layer, with none and with each
/// layer off in turn, on the same sealed seeds; prints the ablation table and writes it beside the
/// runs' files. With <c>--server</c> the variants play on that server and are followed from here.
/// </summary>
internal sealed class AblateCommand(CliConsoles consoles, RemoteEvaluation remote) : AsyncCommand<AblateCommand.Settings>
{
    public sealed class Settings : RunSettings
    {
        public override ValidationResult Validate() =>
            Assignment is null ? ValidationResult.Error("Give --assignment <FILE>.") : ValidateServer();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var display = consoles.Display;
        if (RunSettings.ReadAssignment(settings.Assignment!, display) is not { } assignment)
        {
            return CommandLine.Refused;
        }

        if (settings.ServerAddress is { } server)
        {
            return await remote.AblateAsync(server, settings.Assignment!, assignment, cancellationToken);
        }

        using var host = await RunSettings.StartEngineAsync(settings, display, cancellationToken);
        if (host is null)
        {
            return CommandLine.Refused;
        }

        var service = host.Services.GetRequiredService<EvaluationService>();
        var created = await service.CreateAblationAsync(assignment, EvaluationService.OriginCli, cancellationToken);
        if (!created.Succeeded)
        {
            RunReport.WriteErrors(display, created.Errors);
            await host.StopAsync(CancellationToken.None);
            return CommandLine.Refused;
        }

        var runs = created.Value!;
        var played = await RunProgressDisplay.PlayAsync(display, runs, (id, progress) => service.RunAsync(id, progress, cancellationToken));
        var table = await AblationTable.LoadAsync(host.Services.GetRequiredService<RunStore>(), runs[0].AblationId!, CancellationToken.None);
        display.Write(Render(table));
        if (assignment.Output is { } output)
        {
            await table.WriteAsync(output, CancellationToken.None);
            display.MarkupLine($"Files: [link]{Markup.Escape(output)}[/] ({AblationTable.MarkdownFile}, {AblationTable.JsonFile}, one folder per variant)");
        }

        display.MarkupLine($"Ablation id [bold]{runs[0].AblationId}[/]; each variant is a run in the dashboard under /web/runs.");
        await host.StopAsync(CancellationToken.None);
        // A cancelled variant stops the ablation: the variants after it were never played.
        return played.Count < runs.Count ? CommandLine.Cancelled : RunReport.ExitCode(played);
    }

    public static Table Render(AblationTable ablation)
    {
        var table = new Table().Title("Ablation: one harness layer at a time")
            .AddColumns("variant", "layers", "n", "mean score (95% CI)", "Δ vs all", "success (95% CI)", "mean steps")
            .AddColumns([.. Enum.GetValues<HarnessLayer>().Select(l => new TableColumn($"{l.Name()} / ep").RightAligned())]);
        foreach (var row in ablation.Rows)
        {
            table.AddRow([
                Markup.Escape(row.Variant),
                Markup.Escape(row.Harness),
                row.N.ToString(CultureInfo.InvariantCulture) + (row.Errors > 0 ? $" [red](+{row.Errors} errors)[/]" : ""),
                WithInterval(row.MeanScore, row.ScoreInterval, "0.000"),
                row.DeltaVsAll is { } delta ? delta.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "-",
                WithInterval(row.SuccessRate, row.SuccessInterval, "0%"),
                row.MeanSteps is { } steps ? steps.ToString("0.0", CultureInfo.InvariantCulture) : "-",
                .. Enum.GetValues<HarnessLayer>().Select(l => row.MeanInterventions.TryGetValue(l.Name(), out var mean) ? mean.ToString("0.00", CultureInfo.InvariantCulture) : "0.00"),
            ]);
        }

        return table;
    }

    private static string WithInterval(double? value, (double Lower, double Upper)? interval, string format) =>
        value is not { } v ? "-"
        : interval is { } ci ? $"{v.ToString(format, CultureInfo.InvariantCulture)} [grey][[{ci.Lower.ToString(format, CultureInfo.InvariantCulture)}, {ci.Upper.ToString(format, CultureInfo.InvariantCulture)}]][/]"
        : v.ToString(format, CultureInfo.InvariantCulture);
}

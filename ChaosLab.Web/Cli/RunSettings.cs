using System.ComponentModel;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ChaosLab.Web.Cli;

/// <summary>What every command that plays or reads runs takes: the assignment and the data directory.</summary>
internal class RunSettings : CommandSettings
{
    [CommandOption("-a|--assignment <FILE>")]
    [Description("The assignment (YAML): agent, harness switches, suites, tiers, seeds, trials, concurrency, output.")]
    public string? Assignment { get; init; }

    [CommandOption("--data-dir <DIR>")]
    [Description("The data directory (default: ChaosLab:DataDirectory, ./data). Not one a running server holds.")]
    public string? DataDirectory { get; init; }

    [CommandOption("--server <URL>")]
    [Description("Start the run on this ChaosLab server instead (it plays there and shows live in its dashboard) and follow it from here. The admin key, if the server has one, is read from CHAOSLAB_ADMIN_KEY.")]
    public string? Server { get; init; }

    /// <summary>The server's address as a base for relative paths (with its trailing slash), once validated.</summary>
    public Uri? ServerAddress => Server is null ? null : new Uri(Server.EndsWith('/') ? Server : Server + "/");

    /// <summary>What <c>--server</c> rules out; each command adds its own options to the list.</summary>
    protected ValidationResult ValidateServer(params (bool Given, string Option)[] conflicting)
    {
        if (Server is null)
        {
            return ValidationResult.Success();
        }

        if (!Uri.TryCreate(Server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return ValidationResult.Error($"--server is the server's http(s) address, e.g. http://localhost:8000 (got '{Server}').");
        }

        return conflicting.Prepend((Given: DataDirectory is not null, Option: "--data-dir")).FirstOrDefault(c => c.Given) is { Given: true } clash
            ? ValidationResult.Error($"{clash.Option} does not go with --server: the server plays the run on its own data directory and resumes it itself.")
            : ValidationResult.Success();
    }

    /// <summary>The assignment file read and checked, or null after printing why not.</summary>
    public static Assignment? ReadAssignment(string file, IAnsiConsole display)
    {
        if (!File.Exists(file))
        {
            display.MarkupLine($"[red]error:[/] the assignment file {Markup.Escape(file)} does not exist.");
            return null;
        }

        var parsed = AssignmentFile.Parse(File.ReadAllText(file), Path.GetDirectoryName(Path.GetFullPath(file)));
        if (!parsed.Succeeded)
        {
            display.MarkupLine($"[red]error:[/] {Markup.Escape(file)} is not a valid assignment:");
            RunReport.WriteErrors(display, parsed.Errors);
            return null;
        }

        return parsed.Value;
    }

    /// <summary>The engine started on the data directory, or null after printing why it could not start.</summary>
    public static async Task<IHost?> StartEngineAsync(RunSettings settings, IAnsiConsole display, CancellationToken cancellationToken)
    {
        try
        {
            return await EngineHost.StartAsync(settings.DataDirectory, null, cancellationToken);
        }
        catch (Exception ex) when (ex is DataDirectoryInUseException or SchemaVersionException)
        {
            display.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return null;
        }
    }
}

/// <summary>The closing report of a command that played runs: a table by suite and tier, where the files are, and the exit code.</summary>
internal static class RunReport
{
    public static void WriteErrors(IAnsiConsole display, IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            var valid = error.ValidValues is { Count: > 0 } values ? $" (valid: {string.Join(", ", values)})" : "";
            display.MarkupLine($"  [yellow]{Markup.Escape(error.Path.Length == 0 ? "(assignment)" : error.Path)}[/]: {Markup.Escape(error.Message + valid)}");
        }
    }

    /// <summary>The closing report of a run played in this process, with where its files are.</summary>
    public static async Task WriteAsync(IAnsiConsole display, RunSummary run, IServiceProvider services, CancellationToken cancellationToken)
    {
        WriteTable(display, run, await services.GetRequiredService<RunStore>().ItemsAsync(run.Id, cancellationToken));
        var stored = await services.GetRequiredService<RunStore>().AssignmentJsonAsync(run.Id, cancellationToken);
        if (stored is not null && services.GetRequiredService<EvaluationService>().OutputDirectory(run, AssignmentJson.Read(stored)) is { } directory)
        {
            display.MarkupLine($"Files: [link]{Markup.Escape(directory)}[/] ({RunOutputWriter.RunsFile}, {RunOutputWriter.OverallFile}, trajectories)");
        }

        display.MarkupLine($"Run id [bold]{run.Id}[/]; its episodes are in the dashboard under /web/runs once a server runs on this data directory.");
    }

    /// <summary>A table by suite and tier, the run's error and its first failed items.</summary>
    public static void WriteTable(IAnsiConsole display, RunSummary run, IReadOnlyList<RunItem> items)
    {
        var table = new Table().Title($"{Markup.Escape(run.Name)}: {Markup.Escape(run.Agent)} ({run.Status})")
            .AddColumns("suite", "tier", "played", "mean score", "success", "errors");
        foreach (var group in items.GroupBy(i => (i.Suite, i.Tier)))
        {
            var done = group.Where(i => i.Status == RunItemStatus.Done).ToList();
            table.AddRow(
                Markup.Escape(group.Key.Suite),
                Markup.Escape(group.Key.Tier),
                $"{done.Count}/{group.Count()}",
                done.Count == 0 ? "-" : done.Average(i => i.Score ?? 0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
                done.Count == 0 ? "-" : $"{done.Count(i => i.Success == true)}/{done.Count}",
                group.Count(i => i.Status == RunItemStatus.Error).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        display.Write(table);
        if (run.Error is { } error)
        {
            display.MarkupLine($"[red]{Markup.Escape(error)}[/]");
        }

        foreach (var failed in items.Where(i => i.Status == RunItemStatus.Error).Take(5))
        {
            display.MarkupLine($"[red]error[/] {Markup.Escape(failed.Key)}: {Markup.Escape(failed.Error ?? "")}");
        }
    }

    /// <summary>0 when every run completed with no item in error; 130 when cancelled; else 1.</summary>
    public static int ExitCode(IReadOnlyList<RunSummary> runs) =>
        runs.Any(r => r.Status == RunStatus.Cancelled) ? CommandLine.Cancelled
        : runs.All(r => r.Status == RunStatus.Completed && r.Errors == 0) ? 0
        : CommandLine.Failed;
}

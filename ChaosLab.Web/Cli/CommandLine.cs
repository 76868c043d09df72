using ChaosLab.Web.Cli.Remote;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ChaosLab.Web.Cli;

/// <summary>
/// The command line of the server's executable: <c>eval</c>, <c>ablate</c>, <c>agent-test</c> and
/// <c>export</c>; anything else (no arguments, <c>serve</c>, server options) starts the server.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit code of a run that ended with items in error, a failed probe or a failed run.</summary>
    public const int Failed = 1;

    /// <summary>The exit code of a command that could not start: bad arguments, a bad assignment or profile, a busy data directory.</summary>
    public const int Refused = 2;

    /// <summary>The exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    private static readonly string[] Commands = ["eval", "ablate", "agent-test", "export", "help", "--help", "-h"];

    /// <summary>Whether <paramref name="args"/> name a command rather than the server.</summary>
    public static bool Handles(string[] args) => args is [var first, ..] && Commands.Contains(first, StringComparer.Ordinal);

    /// <param name="display">Where people read progress and tables (standard output).</param>
    /// <param name="errors">Where people read when standard output carries <c>--format openenv</c> lines (standard error).</param>
    /// <param name="output">Standard output: the machine-readable lines of <c>--format openenv</c>.</param>
    /// <param name="environment">Reads an environment variable (default: the process's).</param>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole? display = null, IAnsiConsole? errors = null, TextWriter? output = null, Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var consoles = new CliConsoles(
            display ?? AnsiConsole.Console,
            errors ?? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
            output ?? Console.Out);
        var services = new ServiceCollection()
            .AddSingleton(consoles)
            .AddSingleton(new CliEnvironment(environment ?? System.Environment.GetEnvironmentVariable))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<RemoteEvaluation>();
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("chaoslab");
            config.Settings.Console = consoles.Display;
            config.Settings.ExceptionHandler = (exception, _) =>
            {
                consoles.Display.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
                return Refused;
            };
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Play an assignment's sealed episodes with its agent and write runs.jsonl and overall.json.")
                .WithExample("eval", "--assignment", "assignments/smoke.yaml")
                .WithExample("eval", "--assignment", "assignments/smoke.yaml", "--format", "openenv")
                .WithExample("eval", "--assignment", "assignments/smoke.yaml", "--server", "http://localhost:8000");
            config.AddCommand<AblateCommand>("ablate")
                .WithDescription("Play an assignment with all harness layers, with none and with each layer off in turn; print the ablation table.")
                .WithExample("ablate", "--assignment", "assignments/smoke.yaml");
            config.AddCommand<AgentTestCommand>("agent-test")
                .WithDescription("Check an agent profile with one tiny request and say what is wrong.")
                .WithExample("agent-test", "--config", "agents.yaml", "--agent", "local-qwen");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Write a stored run's output files and trajectories (with failure-pattern metrics) to a directory.")
                .WithExample("export", "--run", "<run-id>", "--out", "trajectories/");
        });

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops the run cleanly (items given back, files written); a second kills.
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await app.RunAsync(args, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}

/// <summary>Where a command writes.</summary>
/// <param name="Display">For people: progress, tables, errors.</param>
/// <param name="Errors">Standard error, for people when standard output is reserved for machine lines.</param>
/// <param name="Output">Standard output.</param>
internal sealed record CliConsoles(IAnsiConsole Display, IAnsiConsole Errors, TextWriter Output);

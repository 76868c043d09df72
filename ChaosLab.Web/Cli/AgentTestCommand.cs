using System.ComponentModel;
using System.Globalization;
using ChaosLab.Core.Agents.Llm;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ChaosLab.Web.Cli;

/// <summary><c>chaoslab agent-test</c>: one tiny request with a profile, and a clear verdict (the seed's <c>agent_test</c>).</summary>
internal sealed class AgentTestCommand(CliConsoles consoles) : AsyncCommand<AgentTestCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-c|--config <FILE>")]
        [Description("The agent profiles file (YAML).")]
        public string? Config { get; init; }

        [CommandOption("--agent <NAME>")]
        [Description("The profile to check.")]
        public string? Agent { get; init; }

        public override ValidationResult Validate() =>
            Config is null || Agent is null ? ValidationResult.Error("Give --config <FILE> and --agent <NAME>.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        AgentProfile profile;
        try
        {
            var profiles = AgentProfiles.Load(settings.Config!);
            foreach (var warning in profiles.Warnings)
            {
                consoles.Display.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            }

            profile = profiles.Get(settings.Agent!);
        }
        catch (AgentProfileException ex)
        {
            consoles.Display.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return CommandLine.Refused;
        }

        consoles.Display.MarkupLine($"Checking [bold]{Markup.Escape(profile.Name)}[/]: model {Markup.Escape(profile.Model)} at {Markup.Escape(profile.ChatCompletionsUrl.ToString())}");
        var result = await AgentProbe.CheckAsync(profile, cancellationToken);
        var latency = result.LatencyMs is { } ms ? $" ({ms.ToString("0", CultureInfo.InvariantCulture)} ms)" : "";
        consoles.Display.MarkupLine(result.Ok
            ? $"[green]OK[/]{latency}: {Markup.Escape(result.Message)}"
            : $"[red]{Markup.Escape(Verdict(result.Verdict))}[/]{latency}: {Markup.Escape(result.Message)}");
        return result.Ok ? 0 : CommandLine.Failed;
    }

    private static string Verdict(ProbeVerdict verdict) => verdict switch
    {
        ProbeVerdict.MissingVariable => "key variable not set",
        ProbeVerdict.Unreachable => "unreachable",
        ProbeVerdict.CredentialsRefused => "credentials refused",
        ProbeVerdict.ModelNotFound => "model not found",
        ProbeVerdict.NoToolCalling => "no tool calling",
        ProbeVerdict.HttpError => "HTTP error",
        _ => verdict.ToString(),
    };
}

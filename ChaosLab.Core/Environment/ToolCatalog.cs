using System.Collections.Frozen;
using System.Text.Json;

namespace ChaosLab.Core.Environment;

/// <summary>
/// A suite's tools with their argument schemas compiled once, shared by all its sessions:
/// <see cref="EpisodeSession{TObservation}"/> checks every tool call against it before the
/// suite sees the call, so every suite refuses unknown tools and bad arguments the same way.
/// </summary>
public sealed class ToolCatalog
{
    private readonly FrozenDictionary<string, ToolSchemaValidator> _validators;

    public ToolCatalog(IEnumerable<ToolDescriptor> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var list = tools.ToList();
        Names = [.. list.Select(t => t.Name)];
        _validators = list.ToFrozenDictionary(t => t.Name, t => new ToolSchemaValidator(t.InputSchema), StringComparer.Ordinal);
    }

    /// <summary>The tool names, in the suite's order (listed in errors).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Why a call cannot run (an unknown tool or arguments its schema refuses), or null when it can.</summary>
    /// <param name="arguments">The arguments as sent (absent and <c>{}</c> differ for a schema check).</param>
    public ToolCallRefusal? Check(string toolName, JsonElement? arguments)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        if (!_validators.TryGetValue(toolName, out var validator))
        {
            return new ToolCallRefusal(ToolCallRefusal.UnknownTool, $"unknown tool '{toolName}'. Valid tools: {string.Join(", ", Names)}");
        }

        return validator.Validate(arguments) is { Count: > 0 } problems
            ? ToolCallRefusal.InvalidArguments(problems)
            : null;
    }
}

/// <summary>Why a tool call was refused before the suite ran it.</summary>
/// <param name="Reason">What kind of refusal: <see cref="UnknownTool"/> or <see cref="InvalidArgumentsReason"/>.</param>
/// <param name="Message">What the agent is shown.</param>
public sealed record ToolCallRefusal(string Reason, string Message)
{
    public const string UnknownTool = "unknown tool";
    public const string InvalidArgumentsReason = "arguments do not match the tool's schema";

    /// <summary>Every problem at once, each as "arguments.name: what is wrong".</summary>
    public static ToolCallRefusal InvalidArguments(IEnumerable<string> problems) =>
        new(InvalidArgumentsReason, "invalid arguments: " + string.Join("; ", problems));
}

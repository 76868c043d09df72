using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>What a tool returned: a JSON body, and whether it is an error the agent should see as one.</summary>
public readonly record struct ToolOutput(JsonNode Body, bool IsError)
{
    public static ToolOutput Ok(JsonNode body) => new(body, false);

    public static ToolOutput Fail(string code, string message, JsonObject? extra = null)
    {
        var body = new JsonObject { ["error"] = code, ["message"] = message };
        if (extra is not null)
        {
            foreach (var (k, v) in extra.ToList())
            {
                extra.Remove(k);
                body[k] = v;
            }
        }

        return new(body, true);
    }
}

/// <summary>What a tool call can reach.</summary>
/// <param name="Snapshot">Which snapshot of the world this call's data comes from (stale data and outdated sources read the previous one).</param>
internal sealed record ToolContext(Workspace Workspace, EpisodeClock Clock, ICodeSandbox? Sandbox, Snapshot Snapshot, ToolSessionCache Cache);

/// <summary>Per-session caches so the hot path builds nothing twice (compiled agent patterns).</summary>
internal sealed class ToolSessionCache
{
    public Dictionary<string, System.Text.RegularExpressions.Regex> Patterns { get; } = new(StringComparer.Ordinal);
}

internal delegate ValueTask<ToolOutput> ToolHandler(ToolContext context, JsonObject arguments, CancellationToken cancellationToken);

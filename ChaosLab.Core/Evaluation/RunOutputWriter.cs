using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// A run's result files in AgentBench's output shape: <c>runs.jsonl</c> (one line per finished
/// item), <c>error.jsonl</c> (the items the agent failed on), <c>overall.json</c> (totals and
/// means by suite, task and tier) and <c>run.json</c> (which run the folder holds, so the command
/// line resumes it). Always rewritten whole from the store, so a resumed run lists each item once.
/// </summary>
public sealed class RunOutputWriter(RunStore runs, AgentTraceStore traces)
{
    public const string RunsFile = "runs.jsonl";
    public const string ErrorsFile = "error.jsonl";
    public const string OverallFile = "overall.json";
    public const string RunFile = "run.json";

    public const string Completed = "completed";
    public const string AgentError = "agent error";

    /// <exception cref="ArgumentException">The run is unknown.</exception>
    public async Task WriteAsync(string runId, string directory, CancellationToken cancellationToken = default)
    {
        var run = await runs.FindAsync(runId, cancellationToken) ?? throw new ArgumentException($"Unknown run {runId}.", nameof(runId));
        var items = await runs.ItemsAsync(runId, cancellationToken);
        var lines = new List<(RunItem Item, JsonObject Line)>();
        foreach (var item in items.Where(i => i.Status is RunItemStatus.Done or RunItemStatus.Error))
        {
            var trace = item.EpisodeId is { } episodeId ? await traces.FindAsync(episodeId, cancellationToken) : null;
            lines.Add((item, Line(run, item, trace)));
        }

        await OutputFiles.WriteAsync(Path.Combine(directory, RunsFile), OutputFiles.Lines(lines.Select(l => l.Line)), cancellationToken);
        await OutputFiles.WriteAsync(Path.Combine(directory, ErrorsFile), OutputFiles.Lines(lines.Where(l => l.Item.Status == RunItemStatus.Error).Select(l => l.Line)), cancellationToken);
        await OutputFiles.WriteJsonAsync(Path.Combine(directory, OverallFile), Overall(items), cancellationToken);
        await OutputFiles.WriteJsonAsync(Path.Combine(directory, RunFile), RunJson(run), cancellationToken);
    }

    /// <summary>The run id a folder's <c>run.json</c> names, or null if there is none.</summary>
    public static async Task<string?> ReadRunIdAsync(string directory, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(directory, RunFile);
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))?["run_id"]?.GetValue<string>();
    }

    internal static JsonObject Line(RunSummary run, RunItem item, StoredAgentTrace? trace)
    {
        var failed = item.Status == RunItemStatus.Error;
        return new JsonObject
        {
            ["index"] = item.Sequence,
            ["key"] = item.Key,
            ["error"] = failed ? item.Error : null,
            ["info"] = new JsonObject
            {
                ["suite"] = item.Suite,
                ["task"] = item.TaskId,
                ["tier"] = item.Tier,
                ["scenario"] = item.ScenarioId,
                ["seed_index"] = item.SeedIndex,
                ["trial"] = item.Trial,
                ["episode_id"] = item.EpisodeId,
                ["agent"] = run.Agent,
            },
            ["output"] = new JsonObject
            {
                ["status"] = failed ? AgentError : Completed,
                ["result"] = failed ? null : new JsonObject
                {
                    ["score"] = item.Score,
                    ["success"] = item.Success,
                    ["outcome"] = item.Outcome,
                    ["steps"] = item.Steps,
                    ["interventions"] = Interventions(item.Interventions),
                },
                ["history"] = new JsonArray([.. (trace?.Conversation ?? []).Select(Message)]),
            },
        };
    }

    internal static JsonObject Overall(IReadOnlyList<RunItem> items)
    {
        var done = items.Where(i => i.Status == RunItemStatus.Done).ToList();
        return new JsonObject
        {
            ["total"] = items.Count,
            ["validation"] = new JsonObject
            {
                [Completed] = done.Count,
                [AgentError] = items.Count(i => i.Status == RunItemStatus.Error),
                ["pending"] = items.Count(i => i.Status is RunItemStatus.Pending or RunItemStatus.Running),
            },
            ["custom"] = new JsonObject
            {
                ["mean_score"] = Mean(done),
                ["success_rate"] = SuccessRate(done),
                ["by_suite"] = Groups(done, i => i.Suite),
                ["by_task"] = Groups(done, i => $"{i.Suite}/{i.TaskId}"),
                ["by_tier"] = Groups(done, i => $"{i.Suite}/{i.Tier}"),
            },
        };
    }

    private static JsonObject RunJson(RunSummary run) => new()
    {
        ["run_id"] = run.Id,
        ["name"] = run.Name,
        ["status"] = run.Status,
        ["agent"] = run.Agent,
        ["model"] = run.Model,
        ["harness"] = run.Harness,
        ["ablation_id"] = run.AblationId,
        ["variant"] = run.Variant,
        ["origin"] = run.Origin,
        ["error"] = run.Error,
        ["total"] = run.Total,
        ["done"] = run.Done,
        ["errors"] = run.Errors,
        ["pending"] = run.Pending + run.Running,
    };

    private static JsonObject Groups(List<RunItem> done, Func<RunItem, string> key)
    {
        var groups = new JsonObject();
        foreach (var group in done.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToList();
            groups[group.Key] = new JsonObject { ["n"] = members.Count, ["mean_score"] = Mean(members), ["success_rate"] = SuccessRate(members) };
        }

        return groups;
    }

    private static double? Mean(List<RunItem> done) => done.Count == 0 ? null : Math.Round(done.Average(i => i.Score ?? 0), 6);

    private static double? SuccessRate(List<RunItem> done) => done.Count == 0 ? null : Math.Round(done.Count(i => i.Success == true) / (double)done.Count, 6);

    private static JsonObject Interventions(IReadOnlyDictionary<string, int> interventions)
    {
        var json = new JsonObject();
        foreach (var (layer, count) in interventions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[layer] = count;
        }

        return json;
    }

    private static JsonNode Message(TracedMessage message)
    {
        var json = new JsonObject { ["role"] = message.Role, ["content"] = message.Text };
        if (message.ToolCalls is { } calls)
        {
            json["tool_calls"] = OutputFiles.ParseOrText(calls);
        }

        if (message.ToolCallId is { } id)
        {
            json["tool_call_id"] = id;
        }

        return json;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// A run's trajectories as a folder a person or a coding agent evolving a harness can read:
/// <c>README.md</c>, <c>summary.json</c>/<c>summary.md</c> with counts and rates of each failure
/// pattern (overall and per suite, task and tier) and <c>trajectories/&lt;key&gt;.json</c> per
/// item. Only what the agent saw goes in (actions, observations as delivered, its conversation and
/// the harness's interventions), never clean results, fault decisions or answer keys.
/// </summary>
public sealed partial class TrajectoryExporter(RunStore runs, AgentTraceStore traces, EpisodeStore episodes, SuiteCatalog catalog)
{
    public const string ReadmeFile = "README.md";
    public const string SummaryJsonFile = "summary.json";
    public const string SummaryMarkdownFile = "summary.md";
    public const string TrajectoriesFolder = "trajectories";

    /// <summary>The failure patterns counted, in the order they are reported.</summary>
    public static IReadOnlyList<string> Patterns { get; } = [InvalidActions, RepeatedCalls, BudgetExhaustion, PrematureSubmission];

    public const string InvalidActions = "invalid_actions";
    public const string RepeatedCalls = "repeated_calls";
    public const string BudgetExhaustion = "budget_exhaustion";
    public const string PrematureSubmission = "premature_submission";

    /// <exception cref="ArgumentException">The run is unknown.</exception>
    public async Task ExportAsync(string runId, string directory, CancellationToken cancellationToken = default)
    {
        var run = await runs.FindAsync(runId, cancellationToken) ?? throw new ArgumentException($"Unknown run {runId}.", nameof(runId));
        var folder = Path.Combine(directory, TrajectoriesFolder);
        var exported = new List<ItemPatterns>();
        foreach (var item in (await runs.ItemsAsync(runId, cancellationToken)).Where(i => i.Status is RunItemStatus.Done or RunItemStatus.Error))
        {
            var trace = item.EpisodeId is { } id ? await traces.FindAsync(id, cancellationToken) : null;
            var trajectory = item.EpisodeId is { } episodeId ? await episodes.GetTrajectoryAsync(episodeId, cancellationToken) : null;
            var steps = (trajectory?.Steps ?? []).Where(s => s.StepIndex > 0).OrderBy(s => s.StepIndex).ToList();
            var brief = Brief(item);
            var patterns = Detect(item, trace, steps, brief?.MaxSteps);
            exported.Add(patterns);
            await OutputFiles.WriteJsonAsync(Path.Combine(folder, SafeName(item.Key) + ".json"), Trajectory(item, brief, trace, steps, patterns), cancellationToken);
        }

        var summary = Summary(run, exported);
        await OutputFiles.WriteJsonAsync(Path.Combine(directory, SummaryJsonFile), summary, cancellationToken);
        await OutputFiles.WriteAsync(Path.Combine(directory, SummaryMarkdownFile), Markdown(run, exported), cancellationToken);
        await OutputFiles.WriteAsync(Path.Combine(directory, ReadmeFile), Readme(run), cancellationToken);
    }

    /// <summary>A key as a file name: anything but letters, digits, '.', '-' and '_' becomes '_'.</summary>
    public static string SafeName(string key) => UnsafeCharacters().Replace(key, "_");

    /// <summary>What one finished item shows of each pattern: the count of invalid actions and repeated calls, whether the budget ran out, whether it submitted too early.</summary>
    internal sealed record ItemPatterns(RunItem Item, int InvalidActions, int RepeatedCalls, bool BudgetExhausted, bool PrematureSubmission)
    {
        public bool Shows(string pattern) => pattern switch
        {
            TrajectoryExporter.InvalidActions => InvalidActions > 0,
            TrajectoryExporter.RepeatedCalls => RepeatedCalls > 0,
            TrajectoryExporter.BudgetExhaustion => BudgetExhausted,
            TrajectoryExporter.PrematureSubmission => PrematureSubmission,
            _ => false,
        };

        public int Count(string pattern) => pattern switch
        {
            TrajectoryExporter.InvalidActions => InvalidActions,
            TrajectoryExporter.RepeatedCalls => RepeatedCalls,
            _ => Shows(pattern) ? 1 : 0,
        };
    }

    /// <param name="steps">The episode's recorded steps after the reset, in order.</param>
    /// <param name="maxSteps">The task's step budget, if the suite still serves it.</param>
    internal static ItemPatterns Detect(RunItem item, StoredAgentTrace? trace, IReadOnlyList<RecordedStep> steps, int? maxSteps)
    {
        var refused = trace?.Actions.Count(a => a.Refusal is not null) ?? 0;
        var blocked = trace?.Interventions.Count(i => i.Layer == "h2" && i.Change.StartsWith("blocked", StringComparison.Ordinal)) ?? 0;
        var rejected = steps.Count(s => ShownError(s) is { } error
            && (error.StartsWith("unknown tool", StringComparison.Ordinal) || error.StartsWith("invalid arguments", StringComparison.Ordinal)));
        var repeated = 0;
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i].ActionJson is { } action && action == steps[i - 1].ActionJson)
            {
                repeated++;
            }
        }

        var submitted = item.Status == RunItemStatus.Done && item.Outcome != EvaluationService.AbandonedOutcome && steps.Count > 0 && steps[^1].Done && !HitLimit(item, maxSteps);
        var exhausted = item.Status == RunItemStatus.Done && HitLimit(item, maxSteps);
        var premature = submitted && item.Success != true && maxSteps is { } budget && item.Steps <= budget / 3.0;
        return new ItemPatterns(item, refused + blocked + rejected, repeated, exhausted, premature);
    }

    private static bool HitLimit(RunItem item, int? maxSteps) => maxSteps is { } budget && item.Steps >= budget;

    private static string? ShownError(RecordedStep step)
    {
        try
        {
            return JsonNode.Parse(step.ObservationJson)?["error"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Harness.TaskBrief? Brief(RunItem item)
    {
        if (catalog.Find(item.Suite) is not { } suite || suite.Tasks.FirstOrDefault(t => t.Id == item.TaskId) is not { } task)
        {
            return null;
        }

        var family = suite.Scenarios.FirstOrDefault(s => s.Id == item.ScenarioId)?.Family ?? "";
        return new Harness.TaskBrief(suite.Name, task.Id, task.Title, task.Guidance, item.Tier, family, task.MaxSteps);
    }

    private static JsonObject Trajectory(RunItem item, Harness.TaskBrief? brief, StoredAgentTrace? trace, IReadOnlyList<RecordedStep> steps, ItemPatterns patterns) => new()
    {
        ["key"] = item.Key,
        ["episode_id"] = item.EpisodeId,
        ["task"] = brief is null ? null : new JsonObject
        {
            ["suite"] = brief.Suite,
            ["task_id"] = brief.TaskId,
            ["title"] = brief.Title,
            ["guidance"] = brief.Guidance,
            ["tier"] = brief.Tier,
            ["family"] = brief.Family,
            ["max_steps"] = brief.MaxSteps,
        },
        ["scenario"] = item.ScenarioId,
        ["seed_index"] = item.SeedIndex,
        ["trial"] = item.Trial,
        ["result"] = new JsonObject
        {
            ["status"] = item.Status,
            ["outcome"] = item.Outcome,
            ["score"] = item.Score,
            ["success"] = item.Success,
            ["steps"] = item.Steps,
            ["error"] = item.Error,
        },
        ["patterns"] = new JsonObject
        {
            [InvalidActions] = patterns.InvalidActions,
            [RepeatedCalls] = patterns.RepeatedCalls,
            [BudgetExhaustion] = patterns.BudgetExhausted,
            [PrematureSubmission] = patterns.PrematureSubmission,
        },
        ["steps"] = new JsonArray([.. steps.Select(s => (JsonNode)new JsonObject
        {
            ["step"] = s.StepIndex,
            ["action"] = OutputFiles.ParseOrText(s.ActionJson),
            ["observation"] = OutputFiles.ParseOrText(s.ObservationJson),
            ["reward"] = s.Reward,
            ["done"] = s.Done,
        })]),
        ["refused_actions"] = new JsonArray([.. (trace?.Actions ?? []).Where(a => a.Refusal is not null).Select(a => (JsonNode)new JsonObject
        {
            ["after_step"] = a.Step,
            ["action"] = OutputFiles.ParseOrText(a.Action),
            ["refusal"] = a.Refusal,
        })]),
        ["interventions"] = new JsonArray([.. (trace?.Interventions ?? []).Select(i => (JsonNode)new JsonObject
        {
            ["step"] = i.Step,
            ["layer"] = i.Layer,
            ["trigger"] = i.Trigger,
            ["change"] = i.Change,
        })]),
        ["conversation"] = new JsonArray([.. (trace?.Conversation ?? []).Select(m => (JsonNode)new JsonObject
        {
            ["role"] = m.Role,
            ["content"] = m.Text,
            ["tool_calls"] = OutputFiles.ParseOrText(m.ToolCalls),
            ["tool_call_id"] = m.ToolCallId,
        })]),
        ["agent_error"] = trace?.Error,
    };

    internal static JsonObject Summary(RunSummary run, IReadOnlyList<ItemPatterns> items) => new()
    {
        ["run_id"] = run.Id,
        ["name"] = run.Name,
        ["agent"] = run.Agent,
        ["harness"] = run.Harness,
        ["status"] = run.Status,
        ["overall"] = Group(items),
        ["by_suite"] = Groups(items, i => i.Item.Suite),
        ["by_task"] = Groups(items, i => $"{i.Item.Suite}/{i.Item.TaskId}"),
        ["by_tier"] = Groups(items, i => $"{i.Item.Suite}/{i.Item.Tier}"),
    };

    private static JsonObject Groups(IReadOnlyList<ItemPatterns> items, Func<ItemPatterns, string> key)
    {
        var groups = new JsonObject();
        foreach (var group in items.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            groups[group.Key] = Group([.. group]);
        }

        return groups;
    }

    /// <summary>Items, errors, mean score and success rate of the scored ones, and per pattern: items showing it, their rate, occurrences.</summary>
    private static JsonObject Group(IReadOnlyList<ItemPatterns> items)
    {
        var scored = items.Where(i => i.Item.Status == RunItemStatus.Done).ToList();
        var patterns = new JsonObject();
        foreach (var pattern in Patterns)
        {
            var showing = items.Count(i => i.Shows(pattern));
            patterns[pattern] = new JsonObject
            {
                ["items"] = showing,
                ["rate"] = items.Count == 0 ? null : Math.Round(showing / (double)items.Count, 6),
                ["occurrences"] = items.Sum(i => i.Count(pattern)),
            };
        }

        return new JsonObject
        {
            ["items"] = items.Count,
            ["errors"] = items.Count - scored.Count,
            ["mean_score"] = scored.Count == 0 ? null : Math.Round(scored.Average(i => i.Item.Score ?? 0), 6),
            ["success_rate"] = scored.Count == 0 ? null : Math.Round(scored.Count(i => i.Item.Success == true) / (double)scored.Count, 6),
            ["patterns"] = patterns,
        };
    }

    internal static string Markdown(RunSummary run, IReadOnlyList<ItemPatterns> items)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Failure patterns of run {run.Name} ({run.Id})\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Agent `{run.Agent}`, harness `{run.Harness}`, status {run.Status}, {items.Count} finished items.\n\n");
        text.Append("| group | items | mean score | success | invalid actions | repeated calls | budget exhaustion | premature submission |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Row(text, "all", items);
        foreach (var (name, key) in new (string, Func<ItemPatterns, string>)[] { ("suite", i => i.Item.Suite), ("task", i => $"{i.Item.Suite}/{i.Item.TaskId}"), ("tier", i => $"{i.Item.Suite}/{i.Item.Tier}") })
        {
            foreach (var group in items.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Row(text, $"{name} {group.Key}", [.. group]);
            }
        }

        text.Append("\nEach pattern cell: items showing it / items (rate). See README.md for the definitions.\n");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, IReadOnlyList<ItemPatterns> items)
    {
        var scored = items.Where(i => i.Item.Status == RunItemStatus.Done).ToList();
        var mean = scored.Count == 0 ? "-" : scored.Average(i => i.Item.Score ?? 0).ToString("0.000", CultureInfo.InvariantCulture);
        var success = scored.Count == 0 ? "-" : (scored.Count(i => i.Item.Success == true) / (double)scored.Count).ToString("0.0%", CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $"| {label} | {items.Count} | {mean} | {success} |");
        foreach (var pattern in Patterns)
        {
            var showing = items.Count(i => i.Shows(pattern));
            var rate = items.Count == 0 ? 0 : showing / (double)items.Count;
            text.Append(CultureInfo.InvariantCulture, $" {showing}/{items.Count} ({rate.ToString("0%", CultureInfo.InvariantCulture)}) |");
        }

        text.Append('\n');
    }

    private static string Readme(RunSummary run) => $"""
        # Trajectories of evaluation run {run.Name}

        Run `{run.Id}`: agent `{run.Agent}`, harness `{run.Harness}`, status {run.Status}.
        Everything here is what the agent saw; nothing the environment hid (clean results, fault
        decisions, answer keys) is in it.

        - `summary.json`, `summary.md`: per failure pattern, how many finished items show it and
          how often it occurred, over the whole run and per suite, task (`suite/task`) and tier
          (`suite/tier`), with the mean score and success rate of the scored items.
        - `trajectories/<key>.json`: one file per finished item (key `suite/scenario/seed/trial`,
          with `/` written `_`): the task brief, the result, the patterns it shows, every step
          (action, observation as delivered, reward), the actions refused without a step, the
          harness's interventions (layer, trigger, change) and the model conversation.
        - Written by a run alongside the export: `runs.jsonl` (one line per finished item, in
          AgentBench's shape), `error.jsonl` (items the agent failed on), `overall.json` (totals),
          `run.json` (which run this folder holds).

        ## Failure patterns
        - `invalid_actions`: actions the server refused without a step, calls of an unknown tool or
          with arguments the tool's schema refuses, and calls the h2 layer blocked.
        - `repeated_calls`: a step whose action is identical to the step before it.
        - `budget_exhaustion`: the episode ran out of steps (steps reached the task's budget).
        - `premature_submission`: the agent submitted within the first third of the step budget
          and the episode was not a success.

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeCharacters();
}

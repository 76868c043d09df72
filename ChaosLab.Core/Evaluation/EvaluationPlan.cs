using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// The items an assignment plays, in order (suite, tier, scenario, seed, trial), and notes the
/// caller shows (scenarios left out and why).
/// </summary>
public sealed record EvaluationPlan(IReadOnlyList<RunItemSpec> Items, IReadOnlyList<string> Notes)
{
    /// <summary>Most items one run may hold: beyond that an assignment is almost certainly a mistake.</summary>
    public const int MaxItems = 20_000;

    /// <summary>
    /// Expands <paramref name="assignment"/>'s selections against the served suites. Unknown names
    /// are errors listing the valid values. A scenario whose answers do not depend on the seed
    /// cannot be played sealed: left out (with a note) when a suite, task or tier selects it, an
    /// error when it is named.
    /// </summary>
    public static EnvironmentResult<EvaluationPlan> Expand(Assignment assignment, SuiteCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<ValidationError>();
        var notes = new List<string>();
        var items = new List<RunItemSpec>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < assignment.Tasks.Count && items.Count <= MaxItems; i++)
        {
            foreach (var scenario in Scenarios(assignment.Tasks[i], $"tasks[{i}].", catalog, errors, notes, out var suite))
            {
                foreach (var seed in assignment.SeedIndices)
                {
                    for (var trial = 1; trial <= assignment.Trials; trial++)
                    {
                        var item = new RunItemSpec(suite!.Name, scenario.TaskId, scenario.Tier, scenario.Id, seed, trial);
                        if (keys.Add(item.Key))
                        {
                            items.Add(item);
                        }
                    }
                }

                // Stops expanding past the cap: seeds x trials x scenarios can reach millions,
                // and a request should not make the server hold them to say no.
                if (items.Count > MaxItems)
                {
                    errors.Add(new ValidationError("tasks", $"The assignment plays more than {MaxItems} episodes; at most {MaxItems} fit one run. Select fewer scenarios, seeds or trials."));
                    break;
                }
            }
        }

        return errors.Count == 0
            ? EnvironmentResult<EvaluationPlan>.Success(new EvaluationPlan(items, notes))
            : EnvironmentResult<EvaluationPlan>.Invalid(errors);
    }

    /// <summary>The scenarios one selection plays, ordered by tier (easiest first) and then as the suite lists them.</summary>
    private static List<ScenarioDescriptor> Scenarios(TaskSelection selection, string path, SuiteCatalog catalog, List<ValidationError> errors, List<string> notes, out ISuite? suite)
    {
        suite = catalog.Find(selection.Suite);
        if (suite is null)
        {
            errors.Add(new ValidationError(path + "suite", $"Unknown suite '{selection.Suite}'.", [.. catalog.Suites.Select(s => s.Name)]));
            return [];
        }

        var tierNames = suite.Tiers;
        var before = errors.Count;
        var taskIds = suite.Tasks.Select(t => t.Id).ToList();
        var knownTask = selection.TaskId is null || taskIds.Contains(selection.TaskId, StringComparer.Ordinal);
        if (!knownTask)
        {
            errors.Add(new ValidationError(path + "task", $"Unknown task '{selection.TaskId}' of suite '{suite.Name}'.", taskIds));
        }

        foreach (var (tier, index) in (selection.Tiers ?? []).Select((t, n) => (t, n)))
        {
            if (!suite.Tiers.Contains(tier, StringComparer.Ordinal))
            {
                errors.Add(new ValidationError($"{path}tiers[{index}]", $"Unknown tier '{tier}' of suite '{suite.Name}'.", suite.Tiers));
            }
        }

        var chosen = new List<ScenarioDescriptor>();
        if (selection.Scenarios is { } named)
        {
            foreach (var (id, index) in named.Select((s, n) => (s, n)))
            {
                var at = $"{path}scenarios[{index}]";
                var scenario = suite.Scenarios.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));
                if (scenario is null)
                {
                    errors.Add(new ValidationError(at, $"Unknown scenario '{id}' of suite '{suite.Name}'.", [.. Sealable(suite).Select(s => s.Id)]));
                }
                else if (scenario.FixedAnswers)
                {
                    errors.Add(new ValidationError(at, $"Scenario '{id}' has fixed answers (they do not depend on the seed), so it cannot be played sealed; evaluations play sealed episodes only."));
                }
                else if (knownTask && selection.TaskId is { } task && scenario.TaskId != task)
                {
                    errors.Add(new ValidationError(at, $"Scenario '{id}' belongs to task '{scenario.TaskId}', not '{task}'."));
                }
                else if (selection.Tiers is { } tiers && !tiers.Contains(scenario.Tier, StringComparer.Ordinal) && tiers.All(t => tierNames.Contains(t, StringComparer.Ordinal)))
                {
                    errors.Add(new ValidationError(at, $"Scenario '{id}' is tier '{scenario.Tier}', which 'tiers' leaves out."));
                }
                else if (!chosen.Contains(scenario))
                {
                    chosen.Add(scenario);
                }
            }
        }
        else
        {
            var matching = suite.Scenarios
                .Where(s => selection.TaskId is null || s.TaskId == selection.TaskId)
                .Where(s => selection.Tiers is null || selection.Tiers.Contains(s.Tier, StringComparer.Ordinal))
                .ToList();
            var fixedAnswers = matching.Where(s => s.FixedAnswers).Select(s => s.Id).ToList();
            if (fixedAnswers.Count > 0)
            {
                notes.Add($"{suite.Name}: left out {fixedAnswers.Count} scenario(s) with fixed answers, which cannot be played sealed: {string.Join(", ", fixedAnswers)}.");
            }

            chosen.AddRange(matching.Where(s => !s.FixedAnswers));
        }

        if (errors.Count == before && chosen.Count == 0)
        {
            errors.Add(new ValidationError(path.TrimEnd('.'), $"This selection of suite '{suite.Name}' selects no scenario that can be played sealed."));
        }

        var tierOrder = suite.Tiers.ToList();
        var listOrder = suite.Scenarios.ToList();
        return [.. chosen.OrderBy(s => tierOrder.IndexOf(s.Tier)).ThenBy(listOrder.IndexOf)];
    }

    private static IEnumerable<ScenarioDescriptor> Sealable(ISuite suite) => suite.Scenarios.Where(s => !s.FixedAnswers);
}

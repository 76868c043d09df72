using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Scenarios;

/// <summary>
/// The scenario reset options select, or why they select none, the same way for every suite:
/// the task and tier filters must name the suite's own; a named scenario is looked up through
/// the suite (which asks its store first, so a stored version revises a built-in of the same
/// id) and must belong to the filters; with no name, the seed draws one from the suite's
/// scenarios matching the filters. A scenario whose answers do not depend on the seed is never
/// played sealed.
/// </summary>
public static class ScenarioResolver
{
    /// <param name="find">The suite's definition of a scenario id (stored first, then built-in), or null.</param>
    /// <param name="describe">The descriptor of a definition (its task, tier and whether its answers are fixed).</param>
    public static EnvironmentResult<T> Resolve<T>(ISuite suite, ResetOptions options, Func<string, T?> find, Func<T, ScenarioDescriptor> describe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(describe);
        var errors = new List<ValidationError>();
        if (options.TaskId is { } task && suite.Tasks.All(t => t.Id != task))
        {
            errors.Add(new ValidationError("task_id", $"unknown task '{task}'", [.. suite.Tasks.Select(t => t.Id)]));
        }

        if (options.Tier is { } tier && !suite.Tiers.Contains(tier))
        {
            errors.Add(new ValidationError("tier", $"unknown tier '{tier}'", suite.Tiers));
        }

        if (errors.Count > 0)
        {
            return EnvironmentResult<T>.Invalid(errors);
        }

        if (options.ScenarioId is { } id)
        {
            if (find(id) is not { } scenario)
            {
                return EnvironmentResult<T>.Invalid(new ValidationError("scenario_id", $"unknown scenario '{id}'", [.. suite.Scenarios.Select(s => s.Id)]));
            }

            var descriptor = describe(scenario);
            if ((options.TaskId is { } t && t != descriptor.TaskId) || (options.Tier is { } r && r != descriptor.Tier))
            {
                return EnvironmentResult<T>.Invalid(new ValidationError("scenario_id", $"scenario {descriptor.Id} belongs to {descriptor.TaskId}/{descriptor.Tier}, not {options.TaskId ?? descriptor.TaskId}/{options.Tier ?? descriptor.Tier}"));
            }

            if (options.Mode == EpisodeMode.Sealed && descriptor.FixedAnswers)
            {
                return EnvironmentResult<T>.Invalid(new ValidationError("scenario_id",
                    $"scenario {descriptor.Id} has a hand-written world: its answers do not depend on the seed, so anyone who read it knows them. Sealed episodes play generated worlds; play it in practice mode."));
            }

            return EnvironmentResult<T>.Success(scenario);
        }

        var pool = ScenarioPool.Matching(suite.Scenarios.Where(s => options.Mode == EpisodeMode.Practice || !s.FixedAnswers), options.TaskId, options.Tier);
        return pool.Count == 0
            ? EnvironmentResult<T>.Invalid(new ValidationError("tier", $"no scenario for {options.TaskId} in tier {options.Tier}", [.. suite.Scenarios.Where(s => s.TaskId == options.TaskId).Select(s => s.Tier).Distinct()]))
            : EnvironmentResult<T>.Success(find(ScenarioPool.Draw(pool, options.Seed).Id)!);
    }
}

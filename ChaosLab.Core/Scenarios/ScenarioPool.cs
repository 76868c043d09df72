using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Scenarios;

/// <summary>
/// The scenarios a reset that names none chooses from (those matching its task and tier
/// filters), and the seeded draw that picks one.
/// </summary>
public static class ScenarioPool
{
    /// <summary>
    /// The purpose of the draw's stream: its own, so choosing the scenario never shifts a draw
    /// the scenario itself makes from the same seed.
    /// </summary>
    public const string Purpose = "reset.scenario_pool";

    /// <summary>The descriptors a reset with these filters chooses from, in catalog order.</summary>
    public static IReadOnlyList<ScenarioDescriptor> Matching(IEnumerable<ScenarioDescriptor> scenarios, string? taskId, string? tier) =>
        [.. scenarios.Where(s => (taskId is null || s.TaskId == taskId) && (tier is null || s.Tier == tier))];

    /// <summary>
    /// One member, uniform over the pool and a pure function of the seed: 64 hashed bits reduced
    /// modulo a pool of at most a few hundred, whose bias (below 2^-50) no run can observe.
    /// </summary>
    public static T Draw<T>(IReadOnlyList<T> pool, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pool.Count, nameof(pool));
        return pool[(int)(SeededStreams.Hash(seed, Purpose) % (ulong)pool.Count)];
    }

    /// <summary>
    /// Every pool a reset can draw from: the whole suite, each task, each tier and each task in
    /// each tier (empty combinations left out).
    /// </summary>
    public static IReadOnlyList<ScenarioPoolInfo> Describe(ISuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var pools = new List<ScenarioPoolInfo>();
        void Add(string? task, string? tier)
        {
            var members = Matching(suite.Scenarios, task, tier);
            if (members.Count > 0)
            {
                pools.Add(new ScenarioPoolInfo(suite.Name, task, tier, [.. members.Select(m => m.Id)]));
            }
        }

        Add(null, null);
        foreach (var task in suite.Tasks)
        {
            Add(task.Id, null);
        }

        foreach (var tier in suite.Tiers)
        {
            Add(null, tier);
            foreach (var task in suite.Tasks)
            {
                Add(task.Id, tier);
            }
        }

        return pools;
    }
}

/// <summary>One pool: the reset filters (null: not filtered) and the scenario ids a seed draws from.</summary>
public sealed record ScenarioPoolInfo(string Suite, string? TaskId, string? Tier, IReadOnlyList<string> ScenarioIds);

using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// Runs a pipeline instance under a resilience config. A run is a pure function of (instance seed,
/// scenario, config, key): it draws only from its own seeded streams, keeps time on its own
/// simulated clock (nothing sleeps) and runs inline on the calling thread, so runs can be made in
/// any order, or concurrently on different threads, with the same results.
/// </summary>
public static class PipelineSimulator
{
    public static TrialRun Run(MastInstance instance, ResilienceConfig config, TrialKey key)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(config);
        if (instance.Agents.Count == 0)
        {
            throw new ArgumentException($"Instance {instance.ScenarioId} has no agents.", nameof(instance));
        }

        var workspace = SimulationWorkspace.Current;
        workspace.Clock.Reset();
        return new PipelineRun(instance, config, key, workspace).Execute();
    }

    /// <summary>The runs of several keys, in the keys' order (each as <see cref="Run"/> would make it alone).</summary>
    public static IReadOnlyList<TrialRun> RunMany(MastInstance instance, ResilienceConfig config, IEnumerable<TrialKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return [.. keys.Select(key => Run(instance, config, key))];
    }

    /// <summary>Runs 0..count-1 of one stream (<c>heldout</c>, <c>trial-3</c>, ...).</summary>
    public static IReadOnlyList<TrialRun> RunMany(MastInstance instance, ResilienceConfig config, string stream, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return RunMany(instance, config, Enumerable.Range(0, count).Select(i => new TrialKey(stream, i)));
    }
}

using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// The per-purpose random streams of one run. The run's root is the seeded hash of (seed,
/// scenario, run key); each purpose (and agent or fault index) gets its own SplitMix stream from
/// it, so a draw for one purpose never shifts another's, and the fault rolls do not depend on the
/// config under test: the default and a hardened config meet the same faults on the same run.
/// </summary>
internal readonly struct RunStreams
{
    private readonly ulong _root;

    public RunStreams(MastInstance instance, TrialKey key) =>
        _root = SeededStreams.Hash(instance.Seed, "mast-run", instance.ScenarioId, key.Stream, key.Index.ToString(CultureInfo.InvariantCulture));

    public DeterministicRandom Stream(string purpose, int index = 0)
    {
        // FNV-1a of the purpose, then SplitMix-style mixing with the root and the index.
        var hash = 14695981039346656037UL;
        foreach (var c in purpose)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var z = _root ^ (hash * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)index * 0xD1B54A32D192ED03UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return new DeterministicRandom(z ^ (z >> 31));
    }
}

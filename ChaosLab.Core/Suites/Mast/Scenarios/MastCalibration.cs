using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// Sets an instance's latency objective and turn limit from what its reference fix really does:
/// <see cref="Runs"/> runs of stream <c>calibration</c> with <see cref="MastFixes.ReferenceFix"/>,
/// the objective their p95 latency times the tier's factor (rounded up to 100 ms), the turn limit
/// half again the most turns a run took. So the fitting fix passes, and every setting that
/// addresses nothing adds latency the objective has little room for.
/// </summary>
public static class MastCalibration
{
    public const string Stream = "calibration";
    public const int Runs = 16;

    /// <summary>Turns a fixed run may take beyond the most the calibration saw, at least.</summary>
    public const int TurnSlack = 4;

    /// <param name="run">The simulator (<c>PipelineSimulator.Run</c>); a parameter so the rule can be tested on its own.</param>
    public static MastInstance Calibrate(MastInstance instance, double sloFactor, Func<MastInstance, ResilienceConfig, TrialKey, TrialRun> run)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(run);
        var fix = MastFixes.ReferenceFix(instance);
        var generous = instance with { Limits = new PipelineLimits(MastInstances.CalibrationSloMs, MastInstances.CalibrationMaxTurns) };
        var runs = Enumerable.Range(0, Runs).Select(i => run(generous, fix, new TrialKey(Stream, i))).ToList();
        var latencies = runs.Select(r => r.LatencyMs).Order().ToList();
        // Nearest rank: with 16 runs the p95 is the slowest, so one slow fixed run cannot fail the objective.
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        var slo = (int)(Math.Ceiling(p95 * sloFactor / 100.0) * 100);
        var turns = runs.Max(r => r.Turns);
        var maxTurns = Math.Max((int)Math.Ceiling(turns * 1.5), turns + TurnSlack);
        return instance with { Limits = new PipelineLimits(Math.Max(slo, 100), maxTurns) };
    }
}

using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Gauntlet.Harness;

/// <summary>
/// Limits of one graded run, inside the sandbox's own (which stop the run as a whole).
/// </summary>
/// <param name="CallSeconds">Wall time one call may take before it is killed as hung.</param>
/// <param name="MaxTimeouts">After this many hung calls the run's remaining calls are skipped, so a hanging submission fails fast.</param>
/// <param name="MaxDependencyCalls">Dependency calls one call may make before it is killed as a retry storm.</param>
/// <param name="MaxResultItems">Values (counted recursively) a call's result and state may hold together.</param>
/// <param name="MaxArgumentItems">Values a dependency call's argument may hold and still be recorded in full.</param>
/// <param name="MaxMessageBytes">Bytes one call may send to the harness in all.</param>
/// <param name="StdoutChars">Characters of each call's own prints that are kept.</param>
public sealed record HarnessLimits(
    double CallSeconds = 1.0,
    int MaxTimeouts = 2,
    int MaxDependencyCalls = 500,
    int MaxResultItems = 200_000,
    int MaxArgumentItems = 50_000,
    int MaxMessageBytes = 16 * 1024 * 1024,
    int StdoutChars = 2000)
{
    public static HarnessLimits Default { get; } = new();

    /// <summary>The sandbox's limits for a run of <paramref name="calls"/> calls under these limits.</summary>
    internal SandboxLimits SandboxLimits(int calls) => new(
        WallTime: TimeSpan.FromSeconds(5 + (MaxTimeouts * CallSeconds) + Math.Min(calls, 400) * 0.02),
        CpuTime: TimeSpan.FromSeconds(10),
        MemoryBytes: 512L * 1024 * 1024,
        MaxProcesses: 16,
        MaxOutputBytes: 2 * MaxMessageBytes,
        MaxFileBytes: 1024 * 1024)
    {
        RunMemoryBytes = 1024L * 1024 * 1024,
    };
}

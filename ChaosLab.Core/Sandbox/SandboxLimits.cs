namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Per-run limits. <see cref="MemoryBytes"/> is the address-space limit of each process,
/// <see cref="MaxProcesses"/> counts every process and thread inside the sandbox,
/// <see cref="MaxOutputBytes"/> applies to stdout and stderr separately, and
/// <see cref="MaxFileBytes"/> is the largest file the code may write.
/// </summary>
public sealed record SandboxLimits(
    TimeSpan WallTime,
    TimeSpan CpuTime,
    long MemoryBytes,
    int MaxProcesses,
    int MaxOutputBytes,
    long MaxFileBytes)
{
    private const long MinimumMemoryBytes = 32L * 1024 * 1024;

    public static SandboxLimits Default { get; } = new(
        WallTime: TimeSpan.FromSeconds(5),
        CpuTime: TimeSpan.FromSeconds(3),
        MemoryBytes: 256L * 1024 * 1024,
        MaxProcesses: 16,
        MaxOutputBytes: 64 * 1024,
        MaxFileBytes: 1024 * 1024);

    /// <summary>
    /// Memory of the whole run: every process, its tmpfs files and kernel memory charged to it,
    /// with no swap. Enforced only where the sandbox has a per-run cgroup (see
    /// <see cref="SandboxAvailability.ResourceControl"/>); elsewhere a run can use up to
    /// <see cref="MaxProcesses"/> x <see cref="MemoryBytes"/>.
    /// </summary>
    public long RunMemoryBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Throws for limits that are not positive, which is a caller bug, not a user error.</summary>
    public void Validate()
    {
        if (FindProblem() is { } problem)
        {
            throw new ArgumentOutOfRangeException(problem.Name, problem.Message);
        }
    }

    /// <summary>The first limit out of range (for options validation at start-up), or null.</summary>
    public (string Name, string Message)? FindProblem() =>
        WallTime <= TimeSpan.Zero ? (nameof(WallTime), "must be positive")
        : CpuTime < TimeSpan.FromSeconds(1) ? (nameof(CpuTime), "must be at least 1 s")
        : MemoryBytes < MinimumMemoryBytes ? (nameof(MemoryBytes), "must be at least 32 MiB")
        : RunMemoryBytes < MinimumMemoryBytes ? (nameof(RunMemoryBytes), "must be at least 32 MiB")
        : MaxProcesses < 2 ? (nameof(MaxProcesses), "must be at least 2 (the sandbox's init and python)")
        : MaxOutputBytes <= 0 ? (nameof(MaxOutputBytes), "must be positive")
        : MaxFileBytes <= 0 ? (nameof(MaxFileBytes), "must be positive")
        : null;
}

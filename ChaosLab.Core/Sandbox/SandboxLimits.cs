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
    public static SandboxLimits Default { get; } = new(
        WallTime: TimeSpan.FromSeconds(5),
        CpuTime: TimeSpan.FromSeconds(3),
        MemoryBytes: 256L * 1024 * 1024,
        MaxProcesses: 16,
        MaxOutputBytes: 64 * 1024,
        MaxFileBytes: 1024 * 1024);

    /// <summary>Throws for limits that are not positive, which is a caller bug, not a user error.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WallTime, TimeSpan.Zero, nameof(WallTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(CpuTime, TimeSpan.FromSeconds(1), nameof(CpuTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryBytes, 32L * 1024 * 1024, nameof(MemoryBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProcesses, 2, nameof(MaxProcesses));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputBytes, nameof(MaxOutputBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFileBytes, nameof(MaxFileBytes));
    }
}

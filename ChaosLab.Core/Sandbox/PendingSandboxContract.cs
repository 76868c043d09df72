// TEMPORARY: a copy of the sandbox contract from the `sandbox` branch so this branch builds
// before it lands. Deleted at the merge of main (the real files replace it).
namespace ChaosLab.Core.Sandbox;

public interface ICodeSandbox
{
    SandboxAvailability Availability { get; }

    Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default);
}

public sealed record SandboxAvailability(bool IsAvailable, string Reason)
{
    public static SandboxAvailability Available(string description) => new(true, description);

    public static SandboxAvailability NotAvailable(string reason) => new(false, reason);
}

public sealed record SandboxLimits(TimeSpan WallTime, TimeSpan CpuTime, long MemoryBytes, int MaxProcesses, int MaxOutputBytes, long MaxFileBytes)
{
    public static SandboxLimits Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 256L * 1024 * 1024, 16, 64 * 1024, 1024 * 1024);
}

public sealed record SandboxRequest(string Code, string? Stdin = null, SandboxLimits? Limits = null, IReadOnlyDictionary<string, string>? Files = null);

public sealed record SandboxResult(SandboxOutcome Outcome, int? ExitCode, string Stdout, string Stderr, bool OutputTruncated, TimeSpan Elapsed);

public enum SandboxOutcome
{
    Completed,
    Failed,
    TimedOut,
    OutputLimitExceeded,
    MemoryLimitExceeded,
    Refused,
}

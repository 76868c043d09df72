namespace ChaosLab.Core.Sandbox;

/// <summary>
/// What happened to one run. Notes from the sandbox itself (limits hit, refusal reasons) are
/// appended to <see cref="Stderr"/> on a line starting with <c>[sandbox]</c>.
/// </summary>
public sealed record SandboxResult(
    SandboxOutcome Outcome,
    int? ExitCode,
    string Stdout,
    string Stderr,
    bool OutputTruncated,
    TimeSpan Elapsed)
{
    /// <summary>Highest memory use of the whole run, measured by its cgroup; null where runs have no cgroup.</summary>
    public long? PeakMemoryBytes { get; init; }
}

public enum SandboxOutcome
{
    /// <summary>The code ran and exited with status 0.</summary>
    Completed,

    /// <summary>The code ran and exited with a non-zero status (an exception, a syntax error, <c>sys.exit(1)</c>).</summary>
    Failed,

    /// <summary>Killed at the wall-clock or CPU-time limit.</summary>
    TimedOut,

    /// <summary>Killed because stdout or stderr passed the output cap; the captured output is truncated.</summary>
    OutputLimitExceeded,

    /// <summary>Ended by a <c>MemoryError</c> at the address-space limit, or killed by the kernel at the run's memory cap.</summary>
    MemoryLimitExceeded,

    /// <summary>No sandbox is available; the code was not run at all.</summary>
    Refused,
}

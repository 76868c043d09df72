using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Core.Sandbox;

/// <summary>Settings of the <c>ChaosLab:Sandbox</c> configuration section.</summary>
public sealed class BubblewrapSandboxOptions
{
    public const string SectionName = "ChaosLab:Sandbox";

    [Required(AllowEmptyStrings = false)]
    public string BubblewrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>The interpreter inside the sandbox; it must live under <c>/usr</c>, the only tree bound into it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <summary>util-linux <c>prlimit</c>, run inside the sandbox to apply the resource limits.</summary>
    [Required(AllowEmptyStrings = false)]
    public string PrlimitPath { get; set; } = "/usr/bin/prlimit";

    /// <summary>
    /// The account bubblewrap runs as when the server runs as root. Root is exempt from the
    /// process-count limit, so a root server must hand the sandbox to an unprivileged account.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string UnprivilegedUser { get; set; } = "nobody";

    /// <summary>Host directory for the per-run staging folders (code and input files); the system temp directory when empty.</summary>
    public string? StagingDirectory { get; set; }

    /// <summary>Size of each of the sandbox's tmpfs mounts (<c>/tmp</c>, <c>/dev/shm</c>): files written there live in RAM.</summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024)]
    public long TmpfsBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Runs allowed at once; further calls wait their turn (the wait does not count against the wall time).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRuns { get; set; } = Math.Max(2, System.Environment.ProcessorCount);

    /// <summary>
    /// Whether runs get a cgroup of their own (total memory and process caps) or rlimits only.
    /// The mechanism in use is probed at first use and reported by <see cref="BubblewrapSandbox.Availability"/>.
    /// </summary>
    [EnumDataType(typeof(SandboxResourceControlPreference))]
    public SandboxResourceControlPreference ResourceControl { get; set; } = SandboxResourceControlPreference.Auto;

    public SandboxLimits DefaultLimits { get; set; } = SandboxLimits.Default;
}

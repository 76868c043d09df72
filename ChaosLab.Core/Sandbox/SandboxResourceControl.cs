namespace ChaosLab.Core.Sandbox;

/// <summary>How a run's resources are capped as a whole, beyond the per-process rlimits every run gets.</summary>
public enum SandboxResourceControl
{
    /// <summary>No sandbox, nothing runs.</summary>
    None,

    /// <summary>
    /// Per-process rlimits only. The process count is counted per run (per user namespace, Linux
    /// 5.14+), so a run's memory is bounded by processes x address space, not by a total of its own.
    /// </summary>
    Rlimits,

    /// <summary>A cgroup v1 memory and pids cgroup per run: total memory (with swap, where accounted) and process count.</summary>
    CgroupV1,

    /// <summary>A cgroup v2 cgroup per run: <c>memory.max</c>, <c>memory.swap.max</c> and <c>pids.max</c>.</summary>
    CgroupV2,
}

/// <summary>Which resource control the server may use; configured as <c>ChaosLab:Sandbox:ResourceControl</c>.</summary>
public enum SandboxResourceControlPreference
{
    /// <summary>A per-run cgroup when one works here (v2, then v1), otherwise rlimits only.</summary>
    Auto,

    /// <summary>A per-run cgroup or no sandbox at all: code is refused rather than run without a total memory cap.</summary>
    RequireCgroup,

    /// <summary>Never create cgroups (rlimits only), e.g. where the server must not touch its cgroup tree.</summary>
    RlimitsOnly,
}

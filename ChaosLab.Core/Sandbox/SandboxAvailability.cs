namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Whether a sandbox can run code here, and if not, why (for logs, the status page and skipped
/// tests). <see cref="ResourceControl"/> says which limits are enforced per run rather than per
/// process, so nobody has to assume a cap that this host cannot apply.
/// </summary>
public sealed record SandboxAvailability(bool IsAvailable, string Reason, SandboxResourceControl ResourceControl)
{
    /// <summary>Short name of <see cref="ResourceControl"/> for logs and status displays.</summary>
    public string ResourceControlLabel => LabelOf(ResourceControl);

    public static string LabelOf(SandboxResourceControl resourceControl) => resourceControl switch
    {
        SandboxResourceControl.CgroupV2 => "cgroup-v2",
        SandboxResourceControl.CgroupV1 => "cgroup-v1",
        SandboxResourceControl.Rlimits => "rlimits only",
        _ => "none",
    };

    public static SandboxAvailability Available(string description, SandboxResourceControl resourceControl) =>
        new(true, description, resourceControl);

    public static SandboxAvailability NotAvailable(string reason) => new(false, reason, SandboxResourceControl.None);
}

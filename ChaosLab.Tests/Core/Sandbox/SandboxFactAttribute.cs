using ChaosLab.Core.Sandbox;

namespace ChaosLab.Tests.Core.Sandbox;

/// <summary>
/// A fact that needs a working bubblewrap sandbox. It is skipped, with the probe's reason, only
/// when the sandbox is not available here; with <c>CHAOSLAB_REQUIRE_SANDBOX=1</c> it runs anyway
/// and fails, so CI cannot pass by silently skipping the security tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxFactAttribute : FactAttribute
{
    public const string RequireVariable = "CHAOSLAB_REQUIRE_SANDBOX";

    public const string RequireCgroupVariable = "CHAOSLAB_REQUIRE_CGROUP";

    public SandboxFactAttribute()
    {
        var availability = SharedSandbox.Instance.Availability;
        if (!availability.IsAvailable && System.Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"Python sandbox not available: {availability.Reason} (set {RequireVariable}=1 to fail instead)";
        }
    }

    /// <summary>
    /// The test needs runs to get a cgroup of their own. Hosts without writable cgroups (a Space
    /// container) skip it with the reason; <c>CHAOSLAB_REQUIRE_CGROUP=1</c> makes that a failure.
    /// </summary>
    public bool RequiresCgroup
    {
        get;
        init
        {
            field = value;
            var availability = SharedSandbox.Instance.Availability;
            if (value && Skip is null && availability.IsAvailable && SharedSandbox.Instance.Cgroups is null
                && System.Environment.GetEnvironmentVariable(RequireCgroupVariable) != "1")
            {
                Skip = $"No per-run cgroup here: {availability.Reason} (set {RequireCgroupVariable}=1 to fail instead)";
            }
        }
    }
}

/// <summary>One probed sandbox for the whole test run: the probe is a real bwrap run.</summary>
internal static class SharedSandbox
{
    private static readonly Lazy<BubblewrapSandbox> LazyInstance = new(() => new BubblewrapSandbox(new BubblewrapSandboxOptions()));

    public static BubblewrapSandbox Instance => LazyInstance.Value;
}

/// <summary>
/// Real-sandbox test classes run one at a time: they check from outside that no sandboxed process
/// outlives its run, which another class's run in flight would fail, and CPU-limit tests need the
/// cores these runs would take.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SandboxTestGroup
{
    public const string Name = "sandbox";
}

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

    public SandboxFactAttribute()
    {
        var availability = SharedSandbox.Instance.Availability;
        if (!availability.IsAvailable && System.Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"Python sandbox not available: {availability.Reason} (set {RequireVariable}=1 to fail instead)";
        }
    }
}

/// <summary>One probed sandbox for the whole test run: the probe is a real bwrap run.</summary>
internal static class SharedSandbox
{
    private static readonly Lazy<BubblewrapSandbox> LazyInstance = new(() => new BubblewrapSandbox(new BubblewrapSandboxOptions()));

    public static BubblewrapSandbox Instance => LazyInstance.Value;
}

namespace ChaosLab.Core.Sandbox;

/// <summary>Whether a sandbox can run code here, and if not, why (for logs, the status page and skipped tests).</summary>
public sealed record SandboxAvailability(bool IsAvailable, string Reason)
{
    public static SandboxAvailability Available(string description) => new(true, description);

    public static SandboxAvailability NotAvailable(string reason) => new(false, reason);
}

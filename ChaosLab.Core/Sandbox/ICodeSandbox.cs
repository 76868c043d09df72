namespace ChaosLab.Core.Sandbox;

/// <summary>
/// Runs untrusted Python in isolation. An implementation that cannot isolate refuses: it never
/// falls back to running code in the server's own process or user context.
/// </summary>
public interface ICodeSandbox
{
    SandboxAvailability Availability { get; }

    Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default);
}

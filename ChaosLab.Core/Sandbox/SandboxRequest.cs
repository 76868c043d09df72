namespace ChaosLab.Core.Sandbox;

/// <summary>
/// One Python run. <paramref name="Files"/> are read-only input files placed next to the code in
/// the sandbox's working directory; their names must be plain file names.
/// </summary>
public sealed record SandboxRequest(
    string Code,
    string? Stdin = null,
    SandboxLimits? Limits = null,
    IReadOnlyDictionary<string, string>? Files = null);

namespace ChaosLab.BenchServers;

/// <summary>How to start a server under test: its built app (a .dll run with dotnet) and its configuration.</summary>
/// <param name="Name">How reports and the server's echoed output name it.</param>
/// <param name="Dll">The app's main assembly; its directory is the working directory.</param>
/// <param name="Arguments">Configuration arguments; the address and the log level are added.</param>
public sealed record ServerStart(string Name, string Dll, IReadOnlyList<string> Arguments)
{
    /// <summary>Extra environment variables (e.g. GC settings).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A throwaway directory the server writes to, deleted when it stops.</summary>
    public string? ScratchDirectory { get; init; }

    /// <summary>How long to wait for its health check: a server that upgrades a large store first answers late.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(1);
}

using ChaosLab.BenchServers;

namespace ChaosLab.LoadDriver;

/// <summary>The servers the driver compares, each with a throwaway data directory.</summary>
internal static class LoadTargets
{
    /// <summary>Starts ChaosLab with room for <paramref name="maxSessions"/> sessions (set through configuration, as an operator would).</summary>
    /// <param name="name">How the report names it ("ChaosLab", or "before" for an older build compared in the same run).</param>
    /// <param name="environment">Extra environment variables (e.g. GC settings), the same for every server of a comparison.</param>
    public static Task<ServerProcess> StartChaosLabAsync(string name, string serverDll, int maxSessions, IReadOnlyDictionary<string, string> environment)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "chaoslab-load-" + Guid.NewGuid().ToString("N"));
        return ServerProcess.StartAsync(new ServerStart(name, serverDll,
        [
            $"--ChaosLab:DataDirectory={dataDirectory}",
            FormattableString.Invariant($"--ChaosLab:MaxSessions={maxSessions}"),
            "--ChaosLab:SessionIdleTimeout=01:00:00",

            // The driver's held clients have no receive pending, so they cannot answer the
            // keep-alive Pings that would otherwise end their sessions mid-run.
            "--ChaosLab:WebSocketKeepAliveInterval=01:00:00",
        ])
        {
            Environment = environment,
            ScratchDirectory = dataDirectory,
        });
    }

    public static Task<ServerProcess> StartEchoAsync(string echoDll, IReadOnlyDictionary<string, string> environment) =>
        ServerProcess.StartAsync(new ServerStart("echo", echoDll, []) { Environment = environment });
}

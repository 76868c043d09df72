using System.Reflection;

namespace ChaosLab.Web.Services;

/// <summary>What this server is and since when it has been running.</summary>
public sealed class ServerInfo(TimeProvider timeProvider)
{
    public string Name => "ChaosLab";

    public string Version { get; } = ReadVersion();

    public DateTimeOffset StartedAt { get; } = timeProvider.GetUtcNow();

    public TimeSpan Uptime => timeProvider.GetUtcNow() - StartedAt;

    private static string ReadVersion()
    {
        var informational = typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        // The SDK appends "+<commit>" when built from git; the product version is the part before it.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}

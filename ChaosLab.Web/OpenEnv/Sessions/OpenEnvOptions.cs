using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>Limits of the OpenEnv endpoints, from the <c>ChaosLab</c> configuration section.</summary>
public sealed class OpenEnvOptions
{
    /// <summary>Open sessions across <c>/ws</c>, <c>/mcp</c> and HTTP episodes. Also read from <c>MAX_CONCURRENT_ENVS</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxSessions { get; set; } = 4096;

    /// <summary>A session with no request for this long is closed and its running episode recorded as abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often <c>/ws</c> and <c>WS /mcp</c> send a Ping frame. Pings keep proxies from dropping
    /// a quiet connection and reveal a peer that vanished without closing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WebSocketKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a Ping may go unanswered before the connection is aborted and its session closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WebSocketKeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest WebSocket message or HTTP body accepted; larger ones get an error and are discarded.</summary>
    [Range(1024, 128 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The suite a reset uses when it names none.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultSuite { get; set; } = "tools";
}

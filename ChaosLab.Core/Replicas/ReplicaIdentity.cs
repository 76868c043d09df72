using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Replicas;

/// <summary>Which process this is among the replicas that share one store.</summary>
public sealed partial class ReplicaIdentity
{
    public ReplicaIdentity(IOptions<ChaosLabOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Id = options.Value.ReplicaId is { Length: > 0 } configured ? configured : Default();
    }

    /// <summary>1 to 40 characters of <c>[A-Za-z0-9_-]</c>: safe in a credential, a metric label and a log line.</summary>
    public string Id { get; }

    private static string Default()
    {
        var host = Unsafe().Replace(System.Environment.MachineName, "-");
        var suffix = "-" + System.Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return host[..Math.Min(host.Length, 40 - suffix.Length)] + suffix;
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Unsafe();
}

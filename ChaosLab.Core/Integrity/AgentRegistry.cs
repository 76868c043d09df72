using System.Security.Cryptography;
using System.Text;
using ChaosLab.Core.Environment;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Integrity;

/// <summary>
/// Who may put an agent name on the sealed leaderboard: the operator registers names with keys
/// (<see cref="IntegrityOptions.Agents"/>); the suites' reference agents and the playground's
/// <c>human</c> are reserved, and so are the suites' exploit agents (the server's own cheats: no
/// client may play under a cheat's name). Keys are compared in constant time over their SHA-256
/// digests, so neither the comparison nor the key's length leaks through timing.
/// </summary>
public sealed class AgentRegistry
{
    public const int MaxNameLength = 100;

    /// <summary>The agent name of a person playing in the dashboard's playground.</summary>
    public const string Human = "human";

    private readonly Dictionary<string, byte[]> _keyDigests;

    public AgentRegistry(IOptions<IntegrityOptions> options, SuiteCatalog suites)
    {
        ArgumentNullException.ThrowIfNull(options);
        ReservedNames = ReservedNamesOf(suites);
        _keyDigests = options.Value.Agents.ToDictionary(a => a.Key, a => Digest(a.Value), StringComparer.Ordinal);
    }

    /// <summary>Names only the server plays under: every suite's reference and exploit agents, and <see cref="Human"/>.</summary>
    public IReadOnlyList<string> ReservedNames { get; }

    public IReadOnlyCollection<string> RegisteredNames => _keyDigests.Keys;

    private bool IsReserved(string name) => ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    internal static IReadOnlyList<string> ReservedNamesOf(SuiteCatalog suites)
    {
        ArgumentNullException.ThrowIfNull(suites);
        return [.. suites.Suites.SelectMany(s => s.ReferenceAgents.Concat(s.ExploitAgents)).Select(a => a.Name).Append(Human).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Whether <paramref name="agent"/> may play under its name, and whether that name is verified.</summary>
    public AgentIdentity Identify(string agent, string? key)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (IsReserved(agent))
        {
            return AgentIdentity.Refused($"The agent name '{agent}' is reserved for the server's own agents; choose another name.");
        }

        if (!_keyDigests.TryGetValue(agent, out var expected))
        {
            return key is null
                ? AgentIdentity.Unregistered
                : AgentIdentity.Refused($"The agent '{agent}' is not registered, so it has no key; omit agent_key to play practice episodes.");
        }

        if (key is null)
        {
            return AgentIdentity.Refused($"The agent name '{agent}' is registered: send its key as agent_key, or play under another name.");
        }

        return CryptographicOperations.FixedTimeEquals(Digest(key), expected)
            ? AgentIdentity.Registered
            : AgentIdentity.Refused($"Wrong agent_key for the agent '{agent}'.");
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <param name="IsVerified">The name is registered and the key matched: its sealed episodes rank.</param>
/// <param name="Refusal">Why the name may not be used, or null.</param>
public readonly record struct AgentIdentity(bool IsVerified, string? Refusal)
{
    public static AgentIdentity Unregistered => new(false, null);

    public static AgentIdentity Registered => new(true, null);

    public static AgentIdentity Refused(string reason) => new(false, reason);
}

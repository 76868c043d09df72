using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Core.Integrity;

/// <summary>Settings of the <c>ChaosLab:Integrity</c> section: the seal key and the registered agents.</summary>
public sealed class IntegrityOptions : IValidatableObject
{
    public const string SectionName = "ChaosLab:Integrity";

    /// <summary>Shortest accepted agent key: anything shorter could be guessed online.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// The secret sealed seeds are derived from (at least 32 characters). Unset: a random key is
    /// created once and reused, so an operator can re-derive every sealed seed while nobody else
    /// can: on PostgreSQL in the store, shared by every replica; on SQLite in the data directory
    /// (<c>seal.key</c>).
    /// </summary>
    public string? SealKey { get; set; }

    /// <summary>
    /// Agents that may play sealed episodes, by name, each with its key
    /// (<c>ChaosLab:Integrity:Agents:my-agent=...</c>). A sealed reset names the agent and sends
    /// the key as <c>agent_key</c>; unregistered names play practice episodes.
    /// </summary>
    public Dictionary<string, string> Agents { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SealKey is { Length: > 0 and < 32 })
        {
            yield return new ValidationResult("SealKey must be at least 32 characters.", [nameof(SealKey)]);
        }

        foreach (var (name, key) in Agents)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > AgentRegistry.MaxNameLength)
            {
                yield return new ValidationResult($"Agent name '{name}' must be 1-{AgentRegistry.MaxNameLength} characters.", [nameof(Agents)]);
            }

            if (key is null || key.Length < MinimumKeyLength)
            {
                yield return new ValidationResult($"The key of agent '{name}' must be at least {MinimumKeyLength} characters.", [nameof(Agents)]);
            }
        }
    }
}

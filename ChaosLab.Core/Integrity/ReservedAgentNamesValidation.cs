using ChaosLab.Core.Environment;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Integrity;

/// <summary>
/// Refuses, at start-up, an operator registration under a reserved name. Separate from
/// <see cref="IntegrityOptions.Validate"/> because the reserved names come from the registered
/// suites, which options validation alone cannot see.
/// </summary>
public sealed class ReservedAgentNamesValidation(SuiteCatalog suites) : IValidateOptions<IntegrityOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reserved = AgentRegistry.ReservedNamesOf(suites);
        var taken = options.Agents.Keys.Where(agent => reserved.Contains(agent, StringComparer.OrdinalIgnoreCase)).ToList();
        return taken.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(taken.Select(agent => $"Agent name '{agent}' is reserved for the server's own agents."));
    }
}

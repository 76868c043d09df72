using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the seal key's source, sealed seeds and the agent registry over <see cref="IntegrityOptions"/>
    /// (the host binds and validates the options; registrations under the reserved names of the
    /// registered suites' agents are refused).
    /// </summary>
    public static IServiceCollection AddChaosLabIntegrity(this IServiceCollection services)
    {
        services.AddOptions<IntegrityOptions>();
        services.AddSingleton<IValidateOptions<IntegrityOptions>, ReservedAgentNamesValidation>();
        // The key itself is loaded by the host once the store is migrated (SealKeySource.LoadAsync).
        services.AddSingleton<SealKeySource>();
        services.AddSingleton(provider => new SealedSeeds(provider.GetRequiredService<SealKeySource>()));
        services.AddSingleton<AgentRegistry>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the seal key, sealed seeds and the agent registry over <see cref="IntegrityOptions"/>
    /// (the host binds and validates the options; registrations under the reserved names of the
    /// registered suites' agents are refused).
    /// </summary>
    public static IServiceCollection AddChaosLabIntegrity(this IServiceCollection services)
    {
        services.AddOptions<IntegrityOptions>();
        services.AddSingleton<IValidateOptions<IntegrityOptions>, ReservedAgentNamesValidation>();
        services.AddSingleton(provider => SealKey.Load(
            provider.GetRequiredService<IOptions<IntegrityOptions>>().Value.SealKey,
            provider.GetRequiredService<IOptions<ChaosLabOptions>>().Value.DataDirectory));
        services.AddSingleton<SealedSeeds>();
        services.AddSingleton<AgentRegistry>();
        return services;
    }
}

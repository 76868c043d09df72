using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChaosLab.Core.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BubblewrapSandbox"/> as the singleton <see cref="ICodeSandbox"/>. Bind
    /// <see cref="BubblewrapSandboxOptions"/> (section <see cref="BubblewrapSandboxOptions.SectionName"/>) in the host.
    /// </summary>
    public static IServiceCollection AddCodeSandbox(this IServiceCollection services)
    {
        services.AddOptions<BubblewrapSandboxOptions>();
        services.TryAddSingleton<BubblewrapSandbox>();
        services.TryAddSingleton<ICodeSandbox>(provider => provider.GetRequiredService<BubblewrapSandbox>());
        return services;
    }
}

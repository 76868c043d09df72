using ChaosLab.Core.Environment;
using ChaosLab.Core.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Core.Suites.Mast;

public static class MastSuiteServiceCollectionExtensions
{
    /// <summary>
    /// Registers the mast suite as an <see cref="ISuite"/> (for <see cref="SuiteCatalog"/>), playing
    /// the registered <see cref="IScenarioSource"/>'s stored scenarios besides its built-in ones.
    /// </summary>
    public static IServiceCollection AddMastSuite(this IServiceCollection services)
    {
        services.AddSingleton(provider => new MastSuite(provider.GetService<IScenarioSource>()));
        services.AddSingleton<ISuite>(provider => provider.GetRequiredService<MastSuite>());
        return services;
    }
}

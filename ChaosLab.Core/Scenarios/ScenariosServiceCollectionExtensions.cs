using ChaosLab.Core.Scenarios.Studio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChaosLab.Core.Scenarios;

public static class ScenariosServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ScenarioStore"/> (also as the <see cref="IScenarioSource"/> suites
    /// resolve stored scenarios through), the <see cref="ScenarioLibrary"/> and the
    /// <see cref="IScenarioStudio"/> (a singleton like the store: it keeps no state of its own).
    /// Needs the persistence services and every suite's <see cref="IScenarioFormat"/>.
    /// </summary>
    public static IServiceCollection AddScenarios(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ScenarioStore>();
        services.AddSingleton<ScenarioLibrary>();
        services.AddSingleton<IScenarioSource>(provider => provider.GetRequiredService<ScenarioStore>());
        services.AddSingleton<Preview.IScenarioPreview, Preview.ScenarioPreview>();
        services.AddSingleton<IScenarioStudio, ScenarioStudio>();
        return services;
    }
}

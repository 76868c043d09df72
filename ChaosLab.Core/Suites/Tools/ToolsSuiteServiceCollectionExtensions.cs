using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Core.Suites.Tools;

public static class ToolsSuiteServiceCollectionExtensions
{
    /// <summary>
    /// Registers the tools suite as an <see cref="ISuite"/> (for <see cref="SuiteCatalog"/>), using
    /// the registered <see cref="ICodeSandbox"/> if there is one; without one, python_execute tells
    /// agents that code execution is unavailable.
    /// </summary>
    public static IServiceCollection AddToolsSuite(this IServiceCollection services)
    {
        services.AddSingleton(provider => new ToolsSuite(provider.GetService<ICodeSandbox>(), provider.GetService<IScenarioSource>()));
        services.AddSingleton<ISuite>(provider => provider.GetRequiredService<ToolsSuite>());
        return services;
    }
}

using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Core.Suites.Gauntlet;

public static class GauntletSuiteServiceCollectionExtensions
{
    /// <summary>The pieces the served suite plays, one task each, in order.</summary>
    public static IReadOnlyList<IFragilePiece> ServedPieces { get; } = [];

    /// <summary>
    /// Registers the gauntlet suite as an <see cref="ISuite"/> (for <see cref="SuiteCatalog"/>) on
    /// the registered <see cref="ICodeSandbox"/>, playing the registered <see cref="IScenarioSource"/>'s
    /// stored scenarios besides its built-in ones.
    /// </summary>
    public static IServiceCollection AddGauntletSuite(this IServiceCollection services)
    {
        services.AddSingleton(provider => new GauntletSuite(provider.GetRequiredService<ICodeSandbox>(), ServedPieces, provider.GetService<IScenarioSource>()));
        services.AddSingleton<ISuite>(provider => provider.GetRequiredService<GauntletSuite>());
        return services;
    }
}

using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;
using ChaosLab.Core.Suites.Gauntlet.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Core.Suites.Gauntlet;

public static class GauntletSuiteServiceCollectionExtensions
{
    /// <summary>The pieces the served suite plays, one task each, in order.</summary>
    public static IReadOnlyList<IFragilePiece> ServedPieces { get; } = [StreamPiece.Instance, RetryPiece.Instance, ConsumerPiece.Instance];

    /// <summary>
    /// Registers the gauntlet suite as an <see cref="ISuite"/> (for <see cref="SuiteCatalog"/>) on
    /// the registered <see cref="ICodeSandbox"/>, playing the registered <see cref="IScenarioSource"/>'s
    /// stored scenarios besides its built-in ones, and its <see cref="GauntletScenarioCatalog"/>
    /// of <see cref="ServedPieces"/> (which the scenario format shares).
    /// </summary>
    public static IServiceCollection AddGauntletSuite(this IServiceCollection services)
    {
        services.AddSingleton(new GauntletScenarioCatalog(ServedPieces));
        services.AddSingleton(provider => new GauntletSuite(provider.GetRequiredService<ICodeSandbox>(), provider.GetRequiredService<GauntletScenarioCatalog>(), provider.GetService<IScenarioSource>()));
        services.AddSingleton<ISuite>(provider => provider.GetRequiredService<GauntletSuite>());
        return services;
    }

    /// <summary>
    /// The scenario format of the registered catalog. Its rehearsals are played by a suite of
    /// their own: the served suite reads the scenario store, which reads the formats.
    /// </summary>
    public static GauntletScenarioFormat ScenarioFormat(IServiceProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var catalog = provider.GetRequiredService<GauntletScenarioCatalog>();
        var rehearsals = new GauntletSuite(provider.GetRequiredService<ICodeSandbox>(), catalog);
        return new GauntletScenarioFormat(catalog, rehearsals.Rehearsing);
    }
}

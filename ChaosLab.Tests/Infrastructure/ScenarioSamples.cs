using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Infrastructure;

/// <summary>Scenario documents to store, and a store over a fresh database.</summary>
internal static class ScenarioSamples
{
    /// <summary>F01's population, which <see cref="FixedWorldCopy"/> changes.</summary>
    public const long F01Population = 6_482_115;

    public const long CopyPopulation = 7_000_123;

    public const string CopyQuestion = "How many people live in {country}? Give the latest census figure.";

    /// <summary>A built-in scenario's document as editable JSON.</summary>
    public static JsonObject BuiltIn(string id) =>
        JsonNode.Parse(new ToolsScenarioFormat().BuiltIn.Single(d => d.Id == id).Content.GetRawText())!.AsObject();

    /// <summary>F01 under a new id, with another question and another population for its country.</summary>
    public static JsonObject FixedWorldCopy(string id)
    {
        var document = BuiltIn("F01");
        document["id"] = id;
        document["question"] = CopyQuestion;
        document["world"]!["data"]!["countries"]![0]!["population"] = CopyPopulation;
        return document;
    }

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    /// <summary>A migrated database under <paramref name="directory"/> with the scenario services over it (on <paramref name="time"/> when given).</summary>
    /// <summary>A migrated store on <paramref name="provider"/> with the scenario services over the tools suite's format.</summary>
    public static Task<Postgres.TestStore> StoreAsync(Postgres.StoreProvider provider, TimeProvider? time = null) =>
        Postgres.TestStore.CreateAsync(provider, services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            services.AddSingleton<IScenarioFormat, ToolsScenarioFormat>().AddScenarios();
        });

    public static async Task<ServiceProvider> ServicesAsync(TempDirectory directory, TimeProvider? time = null)
    {
        var path = directory.File("chaoslab.db");
        await new SchemaMigrator(new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero))).MigrateAsync(path);
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services
            .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = directory.Path }))
            .AddSingleton<IScenarioFormat, ToolsScenarioFormat>()
            .AddChaosLabPersistence()
            .AddScenarios()
            .BuildServiceProvider();
    }
}

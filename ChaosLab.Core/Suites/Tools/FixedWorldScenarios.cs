using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>Hand-written worlds, the way the scenario studio authors them (the same world for every seed).</summary>
public static class FixedWorldScenarios
{
    public static ScenarioDefinition Population()
    {
        var world = new World(
            Countries:
            [
                new Country("Quorvania", "Halvenmont", "Northern Reach", "crown", 84_210, 6_482_115, 6_130_402, 58.34, 53.10),
                new Country("Bresklund", "Tamberport", "Western Isles", "mark", 212_930, 19_004_880, 18_020_555, 401.72, 372.18),
            ],
            Cities:
            [
                new City("Halvenmont", "Quorvania", 1_210_400, true),
                new City("Osterby", "Quorvania", 240_150, false),
                new City("Tamberport", "Bresklund", 3_880_020, true),
            ],
            Companies:
            [
                new Company("Velkor Dynamics", "Halvenmont", "Quorvania", "energy", "Renna Aldoson", "Bram Keldottir", 1971, 7.42, 6.65, 0.61, 0.48, 21_400, 20_100),
                new Company("Tamsin Networks", "Tamberport", "Bresklund", "telecommunications", "Oskar Vintson", "Mira Holdottir", 1994, 18.95, 17.02, 2.11, 1.87, 44_900, 42_000),
            ],
            People:
            [
                new Person("Renna Aldoson", "Chief Executive Officer", "Velkor Dynamics", 2025),
                new Person("Bram Keldottir", "Former Chief Executive Officer", "Velkor Dynamics", 2016),
                new Person("Oskar Vintson", "Chief Executive Officer", "Tamsin Networks", 2025),
                new Person("Mira Holdottir", "Former Chief Executive Officer", "Tamsin Networks", 2014),
            ],
            Products:
            [
                new Product("Velkor 7", "Velkor Dynamics", "solar tile", new DateOnly(2025, 5, 14), new DateOnly(2025, 3, 2)),
                new Product("Tamsin 12", "Tamsin Networks", "router", new DateOnly(2024, 10, 1), new DateOnly(2024, 8, 19)),
            ],
            Events:
            [
                new WorldEvent("Halvenmont Energy Forum 2025", "Halvenmont", "Energy Forum", new DateOnly(2025, 9, 22), new DateOnly(2025, 8, 4)),
            ],
            LocalLanguage: "Quorvic",
            LocalVocabulary: new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["population"] = "vendral", ["revenue"] = "skoltar", ["capital"] = "haldis", ["billion"] = "brivan",
                ["million"] = "mivan", ["company"] = "tessk", ["country"] = "lond", ["launch"] = "voran",
                ["date"] = "dagen", ["report"] = "rekel", ["people"] = "folk", ["year"] = "jarn",
            });

        return new ScenarioDefinition(
            "F01", "task1", "warmup", ScenarioFamily.Population, "Population of a country (hand-written world)",
            BadPaths: [new BadPath(ToolNames.KnowledgeBaseLookup, TransportFaults.Timeout)],
            FixedWorld: new FixedWorld(world, new Dictionary<string, string>(StringComparer.Ordinal) { ["country"] = "Quorvania" }));
    }
}

using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Suites.Tools;

public sealed class WorldGeneratorTests
{
    private static readonly string[] AnswerWords = ["no", "yes", "not", "true", "false"];

    private static readonly string[] RealCountries = ["France", "Germany", "Japan", "Brazil", "India", "Canada", "Kenya", "Peru", "China", "Spain"];

    [Fact]
    public void Generate_SameSeed_SameWorld()
    {
        var a = WorldGenerator.Generate(5);
        var b = WorldGenerator.Generate(5);
        Assert.Equal(a.Countries, b.Countries);
        Assert.Equal(a.Companies, b.Companies);
        Assert.Equal(a.Products, b.Products);
    }

    [Fact]
    public void Generate_DifferentSeeds_DifferentNames()
    {
        Assert.NotEqual(WorldGenerator.Generate(1).Countries[0].Name, WorldGenerator.Generate(2).Countries[0].Name);
    }

    [Fact]
    public void Generate_ManySeeds_FictionalUniqueNamesAndPlausibleValues()
    {
        for (long seed = 0; seed < 200; seed++)
        {
            var w = WorldGenerator.Generate(seed);
            var names = w.Countries.Select(c => c.Name).Concat(w.Cities.Select(c => c.Name)).Concat(w.Companies.Select(c => c.Name)).Concat(w.Products.Select(p => p.Name)).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.DoesNotContain(w.Countries, c => RealCountries.Contains(c.Name));
            Assert.All(w.Companies, c => Assert.DoesNotContain(c.Name.Split(' ')[0].ToLowerInvariant(), AnswerWords));
            Assert.All(w.Countries, c =>
            {
                Assert.InRange(c.Population, 50_000, 1_000_000_000);
                Assert.True(Math.Abs(c.Population - c.PreviousPopulation) / (double)c.Population > 0.03, "stale population must fail a 2% tolerance");
                Assert.True(Math.Abs(c.GdpPerCapitaAt(Snapshot.Current) - c.GdpPerCapitaAt(Snapshot.Previous)) / (double)c.GdpPerCapitaAt(Snapshot.Current) > 0.02);
            });
            Assert.All(w.Companies, c => Assert.True(Math.Abs(c.RevenueUsdBillions - c.PreviousRevenueUsdBillions) / c.RevenueUsdBillions > 0.05));
            Assert.All(w.Products, p => Assert.NotEqual(p.LaunchDate, p.PlannedLaunch));
            Assert.All(w.Countries, c => Assert.Single(w.Companies, co => co.HeadquartersCity == c.Capital));
        }
    }
}

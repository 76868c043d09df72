using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// Builds a fictional world from a seed: names from syllable tables, values in plausible ranges,
/// and a previous snapshot that differs enough from the current one that old figures grade as
/// wrong. Pure and fast (no I/O, a few hundred draws).
/// </summary>
public static class WorldGenerator
{
    public const int CountryCount = 10;

    private static readonly string[] Onsets = ["K", "V", "Dr", "M", "T", "Br", "S", "L", "Z", "Qu", "Th", "R", "N", "Gr", "P", "H", "Fl", "C"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ia", "ou", "y"];
    private static readonly string[] Codas = ["r", "n", "l", "th", "s", "v", "m", "nd", "rk", "x", ""];
    private static readonly string[] CountryEndings = ["ia", "land", "ova", "esh", "stan", "ara", "onia", "ur"];
    private static readonly string[] CityEndings = ["mont", "ford", "grad", "haven", "port", "vale", "holm", "ton"];
    private static readonly string[] CompanySuffixes = ["Dynamics", "Systems", "Holdings", "Labs", "Industries", "Networks", "Energy", "Foods", "Logistics", "Pharma"];
    private static readonly string[] Sectors = ["technology", "energy", "consumer goods", "logistics", "pharmaceuticals", "telecommunications", "finance", "agriculture"];
    private static readonly string[] GivenNames = ["Ilsa", "Tomas", "Renna", "Oskar", "Mira", "Davin", "Yelena", "Corin", "Amara", "Felix", "Sorin", "Talia", "Bram", "Noor", "Edda", "Kasimir", "Lio", "Petra", "Ansel", "Vesna"];
    private static readonly string[] Regions = ["Northern Reach", "Central Basin", "Southern Coast", "Eastern Highlands", "Western Isles"];
    private static readonly string[] Currencies = ["crown", "mark", "lira", "dinar", "florin", "real", "sol", "taler"];
    private static readonly string[] ProductCategories = ["smartphone", "battery pack", "drone", "medical scanner", "cargo robot", "solar tile", "router", "insulin pump"];
    private static readonly string[] EventKinds = ["Trade Summit", "Science Fair", "Energy Forum", "Film Festival", "Tech Expo", "Health Congress"];
    private static readonly string[] LocalWords = ["population", "revenue", "capital", "billion", "million", "company", "country", "launch", "date", "report", "people", "year"];

    public static World Generate(long seed)
    {
        var random = SeededStreams.Stream(seed, "world");
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        var countries = new List<Country>();
        var cities = new List<City>();
        for (var i = 0; i < CountryCount; i++)
        {
            var name = Unique(used, () => Root(random) + random.Pick(CountryEndings));
            var capital = Unique(used, () => Root(random) + random.Pick(CityEndings));
            var second = Unique(used, () => Root(random) + random.Pick(CityEndings));
            var area = (long)Math.Round(random.NextDouble(8_000, 900_000));
            var density = Math.Exp(random.NextDouble(Math.Log(8), Math.Log(450)));
            var population = (long)Math.Round(area * density);
            // 2024 -> 2025: at least 4% growth (or decline) so a stale figure never passes a 2% tolerance.
            var growth = random.NextDouble(0.045, 0.12) * (random.NextDouble() < 0.8 ? 1 : -1);
            var previousPopulation = (long)Math.Round(population / (1 + growth));
            var perCapita = Math.Exp(random.NextDouble(Math.Log(900), Math.Log(85_000)));
            var gdp = Math.Round(population * perCapita / 1e9, 2);
            gdp = Math.Max(gdp, 0.5);
            // GDP moves differently from population, so last year's GDP per capita is also off by more than 4%.
            double previousGdp;
            do
            {
                var gdpGrowth = random.NextDouble(0.06, 0.18) * (random.NextDouble() < 0.75 ? 1 : -1);
                previousGdp = Math.Round(gdp / (1 + gdpGrowth), 2);
            }
            while (Math.Abs((gdp / population) - (previousGdp / previousPopulation)) / (gdp / population) < 0.04);
            countries.Add(new Country(name, capital, random.Pick(Regions), random.Pick(Currencies), area, population, previousPopulation, gdp, previousGdp));
            cities.Add(new City(capital, name, (long)(population * random.NextDouble(0.08, 0.3)), IsCapital: true));
            cities.Add(new City(second, name, (long)(population * random.NextDouble(0.02, 0.07)), IsCapital: false));
        }

        var people = new List<Person>();
        var companies = new List<Company>();
        var products = new List<Product>();
        var usedPeople = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < CountryCount; i++)
        {
            // One company in every capital (so "the company headquartered in the capital of X" is unique), one elsewhere.
            foreach (var city in new[] { cities[2 * i], cities[(2 * i) + 1] })
            {
                var name = Unique(used, () => LongRoot(random) + " " + random.Pick(CompanySuffixes));
                var ceo = Unique(usedPeople, () => random.Pick(GivenNames) + " " + Root(random) + "son");
                var previousCeo = Unique(usedPeople, () => random.Pick(GivenNames) + " " + Root(random) + "dottir");
                var revenue = Math.Round(Math.Exp(random.NextDouble(Math.Log(0.8), Math.Log(140))), 2);
                var revenueGrowth = random.NextDouble(0.08, 0.3) * (random.NextDouble() < 0.7 ? 1 : -1);
                var previousRevenue = Math.Round(revenue / (1 + revenueGrowth), 2);
                var margin = random.NextDouble(0.03, 0.2);
                var employees = (int)(revenue * random.NextDouble(1500, 6000));
                var since = random.Next(2025, 2026);
                companies.Add(new Company(
                    name, city.Name, city.Country, random.Pick(Sectors), ceo, previousCeo, random.Next(1948, 2016),
                    revenue, previousRevenue, Math.Round(revenue * margin, 2), Math.Round(previousRevenue * margin * random.NextDouble(0.7, 1.2), 2),
                    employees, (int)(employees / (1 + (revenueGrowth / 2)))));
                people.Add(new Person(ceo, "Chief Executive Officer", name, since));
                people.Add(new Person(previousCeo, "Former Chief Executive Officer", name, random.Next(2012, 2020)));

                var launch = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 700));
                var product = Unique(used, () => LongRoot(random) + " " + random.Next(2, 99).ToString(System.Globalization.CultureInfo.InvariantCulture));
                products.Add(new Product(product, name, random.Pick(ProductCategories), launch, launch.AddDays(-random.Next(21, 120))));
            }
        }

        var events = new List<WorldEvent>();
        for (var i = 0; i < 6; i++)
        {
            var city = cities[2 * random.Next(0, CountryCount)];
            var kind = random.Pick(EventKinds);
            var name = Unique(used, () => city.Name + " " + kind + " " + random.Next(2024, 2026).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var date = new DateOnly(2024, 3, 1).AddDays(random.Next(0, 640));
            events.Add(new WorldEvent(name, city.Name, kind, date, date.AddDays(-random.Next(14, 75))));
        }

        var language = Cap(Root(random)) + "ic";
        var vocabulary = new Dictionary<string, string>(StringComparer.Ordinal);
        var usedWords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in LocalWords)
        {
            vocabulary[word] = Unique(usedWords, () => (Root(random) + random.Pick(Codas)).ToLowerInvariant());
        }

        return new World(countries, cities, companies, people, products, events, language, vocabulary);
    }

    private static string Root(DeterministicRandom random)
    {
        var syllables = random.Next(1, 3);
        var text = random.Pick(Onsets) + random.Pick(Vowels);
        for (var i = 1; i < syllables; i++)
        {
            text += random.Pick(Codas) + random.Pick(Onsets).ToLowerInvariant() + random.Pick(Vowels);
        }

        return text;
    }

    /// <summary>A root of at least four letters, so no name is a short word such as "No" that a grader could read as an answer.</summary>
    private static string LongRoot(DeterministicRandom random)
    {
        while (true)
        {
            var root = Root(random) + random.Pick(Codas);
            if (root.Length >= 4)
            {
                return root;
            }
        }
    }

    private static string Cap(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();

    private static string Unique(HashSet<string> used, Func<string> make)
    {
        for (var attempt = 0; ; attempt++)
        {
            var candidate = make();
            if (attempt > 50)
            {
                candidate += attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}

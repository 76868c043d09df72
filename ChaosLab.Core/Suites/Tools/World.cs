namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A fictional world: invented names with plausible values, so an agent cannot answer from
/// memory. Every changing fact has a current value and a previous one (an earlier snapshot of
/// the same world), which is what stale sources really serve.
/// </summary>
public sealed record World(
    IReadOnlyList<Country> Countries,
    IReadOnlyList<City> Cities,
    IReadOnlyList<Company> Companies,
    IReadOnlyList<Person> People,
    IReadOnlyList<Product> Products,
    IReadOnlyList<WorldEvent> Events,
    string LocalLanguage,
    IReadOnlyDictionary<string, string> LocalVocabulary)
{
    /// <summary>When the current figures were published (fiscal and census year 2025).</summary>
    public static readonly DateOnly CurrentAsOf = new(2026, 2, 1);

    /// <summary>When the previous snapshot was published (fiscal and census year 2024).</summary>
    public static readonly DateOnly PreviousAsOf = new(2025, 2, 1);

    public const int CurrentYear = 2025;

    public const int PreviousYear = 2024;

    public static DateOnly AsOf(Snapshot snapshot) => snapshot == Snapshot.Current ? CurrentAsOf : PreviousAsOf;

    public static int Year(Snapshot snapshot) => snapshot == Snapshot.Current ? CurrentYear : PreviousYear;

    public Country? FindCountry(string name) => Countries.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public Company? FindCompany(string name) => Companies.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

public enum Snapshot
{
    Current,
    Previous,
}

public sealed record Country(
    string Name,
    string Capital,
    string Region,
    string Currency,
    long AreaKm2,
    long Population,
    long PreviousPopulation,
    double GdpUsdBillions,
    double PreviousGdpUsdBillions)
{
    public long PopulationAt(Snapshot s) => s == Snapshot.Current ? Population : PreviousPopulation;

    public double GdpAt(Snapshot s) => s == Snapshot.Current ? GdpUsdBillions : PreviousGdpUsdBillions;

    /// <summary>Rounded to whole dollars, as every source renders it.</summary>
    public long GdpPerCapitaAt(Snapshot s) => (long)Math.Round(GdpAt(s) * 1e9 / PopulationAt(s), MidpointRounding.AwayFromZero);

    public double DensityAt(Snapshot s) => (double)PopulationAt(s) / AreaKm2;
}

public sealed record City(string Name, string Country, long Population, bool IsCapital);

public sealed record Company(
    string Name,
    string HeadquartersCity,
    string Country,
    string Sector,
    string Ceo,
    string PreviousCeo,
    int Founded,
    double RevenueUsdBillions,
    double PreviousRevenueUsdBillions,
    double NetIncomeUsdBillions,
    double PreviousNetIncomeUsdBillions,
    int Employees,
    int PreviousEmployees)
{
    public string CeoAt(Snapshot s) => s == Snapshot.Current ? Ceo : PreviousCeo;

    public double RevenueAt(Snapshot s) => s == Snapshot.Current ? RevenueUsdBillions : PreviousRevenueUsdBillions;

    public double NetIncomeAt(Snapshot s) => s == Snapshot.Current ? NetIncomeUsdBillions : PreviousNetIncomeUsdBillions;

    public int EmployeesAt(Snapshot s) => s == Snapshot.Current ? Employees : PreviousEmployees;
}

public sealed record Person(string Name, string Role, string Company, int Since);

/// <param name="PlannedLaunch">The date announced earlier; the previous snapshot still shows it.</param>
public sealed record Product(string Name, string Company, string Category, DateOnly LaunchDate, DateOnly PlannedLaunch)
{
    public DateOnly LaunchAt(Snapshot s) => s == Snapshot.Current ? LaunchDate : PlannedLaunch;
}

/// <param name="PlannedDate">The date first announced; the previous snapshot still shows it.</param>
public sealed record WorldEvent(string Name, string City, string Kind, DateOnly Date, DateOnly PlannedDate)
{
    public DateOnly DateAt(Snapshot s) => s == Snapshot.Current ? Date : PlannedDate;
}

/// <summary>A ticket in the workspace's tracker, pre-seeded by the scenario.</summary>
public sealed record TicketSeed(string Id, string Title, string Body, string Status, string Assignee);

using System.Globalization;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The workspace's pages and documents: encyclopedia pages rendered from one snapshot, and dated
/// filings, statistics releases, analyst notes and press releases from both years, so older and
/// newer sources really disagree and their metadata says which is current.
/// </summary>
public sealed class DocumentCorpus
{
    public const string Host = "https://chaos.local";

    private readonly Dictionary<string, Document> _byUrl;
    private DocumentIndex? _index;

    private DocumentCorpus(List<Document> documents)
    {
        Documents = documents;
        _byUrl = documents.ToDictionary(d => d.Url, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<Document> Documents { get; }

    public Document? FindByUrl(string url) => _byUrl.GetValueOrDefault(url.TrimEnd('/'));

    /// <summary>Full-text search over the web pages or over the other documents, best first (the index is built on the first search).</summary>
    public IReadOnlyList<Document> Search(string query, bool webPages, int limit) => (_index ??= new DocumentIndex(Documents)).Search(query, webPages, limit);

    /// <param name="pages">The snapshot encyclopedia pages show; documents keep their own dates.</param>
    /// <param name="publishedBefore">Only documents published before this date (an index that was last refreshed then).</param>
    /// <remarks>
    /// Text is formatted straight into each document's string (invariant culture, the formats of
    /// <see cref="Render"/>) rather than through intermediate strings: this runs once per episode
    /// on the first document tool call.
    /// </remarks>
    public static DocumentCorpus Build(ScenarioInstance scenario, Snapshot pages, DateOnly? publishedBefore = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var world = scenario.World;
        var inv = CultureInfo.InvariantCulture;
        var docs = new List<Document>(world.Countries.Count * 4 + world.Companies.Count * 4 + world.Products.Count * 3 + world.Events.Count * 3 + 1);
        var asOf = World.AsOf(pages);
        var year = World.Year(pages);
        var n = 0;
        string NextId(string prefix) => string.Create(inv, $"{prefix}-{++n:D4}");
        void Add(string id, string kind, string title, string source, DateOnly published, string reliability, string url, string body)
        {
            if (publishedBefore is not { } cutoff || published < cutoff)
            {
                docs.Add(new Document(id, kind, title, source, published, reliability, url.Length == 0 ? Host + "/docs/" + id : url, body));
            }
        }

        foreach (var c in world.Countries)
        {
            var slug = Render.Slug(c.Name);
            Add("wiki-" + slug, "web_page", c.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", Host + "/wiki/" + slug,
                string.Create(inv, $"{c.Name} is a country in the {c.Region}. Its capital is {c.Capital}. Population: {c.PopulationAt(pages):N0} ({year} estimate). Area: {c.AreaKm2:N0} km2. GDP: ${c.GdpAt(pages):0.00} billion; GDP per capita: ${c.GdpPerCapitaAt(pages):N0}. Currency: the {c.Currency}. Last updated {asOf:yyyy-MM-dd}."));
            foreach (var s in BothYears)
            {
                var y = World.Year(s);
                Add(NextId("stat"), "statistics_release", string.Create(inv, $"{c.Name} National Statistics Office: population estimate for {y}"), "National Statistics Office of " + c.Name, new DateOnly(y + 1, 1, 20), "high", "",
                    string.Create(inv, $"The National Statistics Office of {c.Name} estimates the population at {c.PopulationAt(s):N0} as of the end of {y}. The land area is {c.AreaKm2:N0} km2. GDP for {y} was ${c.GdpAt(s):0.00} billion, or ${c.GdpPerCapitaAt(s):N0} per person. The capital, {c.Capital}, is the seat of government."));
            }

            var v = world.LocalVocabulary;
            Add(NextId("local"), "local_press", string.Create(inv, $"{c.Name}: {v["population"]} {World.CurrentYear}"), c.Capital + " Dagblad", new DateOnly(2026, 1, 28), "medium", "",
                string.Create(inv, $"{c.Name} {v["country"]}: {v["population"]} {c.Population:N0} ({v["year"]} {World.CurrentYear}). {v["capital"]} {c.Capital}."));
        }

        foreach (var co in world.Companies)
        {
            var slug = Render.Slug(co.Name);
            Add("wiki-" + slug, "web_page", co.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", Host + "/wiki/" + slug,
                string.Create(inv, $"{co.Name} is a {co.Sector} company headquartered in {co.HeadquartersCity}, {co.Country}, founded in {co.Founded}. Chief executive: {co.CeoAt(pages)}. FY{year} revenue: ${co.RevenueAt(pages):0.00} billion; net income ${co.NetIncomeAt(pages):0.00} billion; {co.EmployeesAt(pages):N0} employees. Last updated {asOf:yyyy-MM-dd}."));
            foreach (var s in BothYears)
            {
                var y = World.Year(s);
                Add(NextId("filing"), "filing", string.Create(inv, $"{co.Name} annual report FY{y}"), co.Name + " investor relations (audited)", new DateOnly(y + 1, 2, 13), "high", "",
                    string.Create(inv, $"Audited results for fiscal year {y}: revenue ${co.RevenueAt(s):0.00} billion, net income ${co.NetIncomeAt(s):0.00} billion, {co.EmployeesAt(s):N0} employees. Chief executive: {co.CeoAt(s)}. Headquarters: {co.HeadquartersCity}."));
            }

            var estimate = co.RevenueUsdBillions * (1 + ((co.Founded % 2 == 0 ? 1 : -1) * (0.03 + ((co.Employees % 7) / 100.0))));
            Add(NextId("note"), "analyst_note", string.Create(inv, $"{co.Name}: FY{World.CurrentYear} revenue preview"), "Meridian Research (estimate)", new DateOnly(2025, 11, 10), "medium", "",
                string.Create(inv, $"Ahead of audited results we estimate {co.Name} FY{World.CurrentYear} revenue at about ${estimate:0.00} billion. This is a forecast, not a reported figure."));
        }

        foreach (var p in world.Products)
        {
            var slug = Render.Slug(p.Name);
            var body = pages == Snapshot.Current
                ? string.Create(inv, $"The {p.Name} is a {p.Category} made by {p.Company}. Launch date: {p.LaunchDate:yyyy-MM-dd}. Last updated {asOf:yyyy-MM-dd}.")
                : string.Create(inv, $"The {p.Name} is a {p.Category} made by {p.Company}. Scheduled launch date: {p.PlannedLaunch:yyyy-MM-dd}. Last updated {asOf:yyyy-MM-dd}.");
            Add("wiki-" + slug, "web_page", p.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", Host + "/wiki/" + slug, body);
            var pressOffice = p.Company + " press office";
            Add(NextId("press"), "press_release", string.Create(inv, $"{p.Company} announces the {p.Name}"), pressOffice, p.PlannedLaunch.AddDays(-60), "high", "",
                string.Create(inv, $"{p.Company} will launch the {p.Name}, a new {p.Category}, on {p.PlannedLaunch:yyyy-MM-dd}."));
            Add(NextId("press"), "press_release", string.Create(inv, $"{p.Company} launches the {p.Name}"), pressOffice, p.LaunchDate, "high", "",
                string.Create(inv, $"{p.Company} today launched the {p.Name}. The launch took place on {p.LaunchDate:yyyy-MM-dd}, later than first announced."));
        }

        foreach (var e in world.Events)
        {
            var slug = Render.Slug(e.Name);
            var body = pages == Snapshot.Current
                ? string.Create(inv, $"The {e.Name} is a {e.Kind} in {e.City}. It took place on {e.Date:yyyy-MM-dd}. Last updated {asOf:yyyy-MM-dd}.")
                : string.Create(inv, $"The {e.Name} is a {e.Kind} in {e.City}. It is scheduled for {e.PlannedDate:yyyy-MM-dd}. Last updated {asOf:yyyy-MM-dd}.");
            Add("wiki-" + slug, "web_page", e.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", Host + "/wiki/" + slug, body);
            var cityHall = e.City + " city hall";
            Add(NextId("press"), "press_release", e.Name + " announced", cityHall, e.PlannedDate.AddDays(-45), "high", "",
                string.Create(inv, $"The {e.Name} is scheduled for {e.PlannedDate:yyyy-MM-dd} in {e.City}."));
            Add(NextId("press"), "press_release", e.Name + " opens", cityHall, e.Date, "high", "",
                string.Create(inv, $"The {e.Name} opened today, {e.Date:yyyy-MM-dd}, in {e.City} after a postponement."));
        }

        if (scenario.ConflictEntity is { } entity)
        {
            var post = ConflictPost(scenario, entity, NextId("forum"));
            Add(post.Id, post.Kind, post.Title, post.Source, post.Published, post.Reliability, post.Url, post.Body);
        }

        // Last, so a corpus without authored documents keeps every generated id and position.
        foreach (var authored in scenario.Definition.FixedWorld?.Documents ?? [])
        {
            Add(authored.Id, AuthoredKind, authored.Title, authored.Source, authored.Date, authored.Reliability, "", authored.Text);
        }

        return new DocumentCorpus(docs);
    }

    /// <summary>The kind authored documents have: not a web page, so <c>document_search</c> finds them.</summary>
    public const string AuthoredKind = "report";

    private static readonly Snapshot[] BothYears = [Snapshot.Previous, Snapshot.Current];

    /// <summary>A recent, low-reliability post repeating last year's figure as if it were current.</summary>
    private static Document ConflictPost(ScenarioInstance scenario, string entity, string id)
    {
        var world = scenario.World;
        var claim = scenario.Definition.Family switch
        {
            ScenarioFamily.Population or ScenarioFamily.Density when world.FindCountry(entity) is { } c => $"the population of {c.Name} is {Render.Thousands(c.PreviousPopulation)}",
            ScenarioFamily.GdpPerCapita when world.FindCountry(entity) is { } c => $"GDP per capita in {c.Name} is ${Render.Thousands(c.GdpPerCapitaAt(Snapshot.Previous))}",
            ScenarioFamily.RevenueClaim or ScenarioFamily.TicketRevenue when world.FindCompany(entity) is { } co => $"{co.Name} revenue is ${Render.Billions(co.PreviousRevenueUsdBillions)} billion",
            ScenarioFamily.CeoMultiHop when world.FindCompany(entity) is { } co => $"the boss of {co.Name} is {co.PreviousCeo}",
            ScenarioFamily.LaunchDate or ScenarioFamily.DaysBetween when world.Products.FirstOrDefault(p => p.Name == entity) is { } p => $"the {p.Name} launched on {Render.Date(p.PlannedLaunch)}",
            _ => $"{entity} figures have not changed",
        };
        return new Document(id, "forum_post", $"Quick facts: {entity}", "forum.chaos.local (user post)", new DateOnly(2026, 3, 2), "low", $"{Host}/forum/{id}",
            $"Posting this for anyone who needs it: {claim}. Copied from my old spreadsheet, not re-checked.");
    }
}

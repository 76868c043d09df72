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
    public static DocumentCorpus Build(ScenarioInstance scenario, Snapshot pages, DateOnly? publishedBefore = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var world = scenario.World;
        var docs = new List<Document>(256);
        var asOf = World.AsOf(pages);
        var year = World.Year(pages);
        var n = 0;
        string NextId(string prefix) => prefix + "-" + (++n).ToString("D4", CultureInfo.InvariantCulture);

        foreach (var c in world.Countries)
        {
            docs.Add(new Document("wiki-" + Render.Slug(c.Name), "web_page", c.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", $"{Host}/wiki/{Render.Slug(c.Name)}",
                $"{c.Name} is a country in the {c.Region}. Its capital is {c.Capital}. Population: {Render.Thousands(c.PopulationAt(pages))} ({year} estimate). Area: {Render.Thousands(c.AreaKm2)} km2. GDP: ${Render.Billions(c.GdpAt(pages))} billion; GDP per capita: ${Render.Thousands(c.GdpPerCapitaAt(pages))}. Currency: the {c.Currency}. Last updated {Render.Date(asOf)}."));
            foreach (var s in new[] { Snapshot.Previous, Snapshot.Current })
            {
                var y = World.Year(s);
                docs.Add(new Document(NextId("stat"), "statistics_release", $"{c.Name} National Statistics Office: population estimate for {y}", $"National Statistics Office of {c.Name}", new DateOnly(y + 1, 1, 20), "high", "",
                    $"The National Statistics Office of {c.Name} estimates the population at {Render.Thousands(c.PopulationAt(s))} as of the end of {y}. The land area is {Render.Thousands(c.AreaKm2)} km2. GDP for {y} was ${Render.Billions(c.GdpAt(s))} billion, or ${Render.Thousands(c.GdpPerCapitaAt(s))} per person. The capital, {c.Capital}, is the seat of government."));
            }

            var v = world.LocalVocabulary;
            docs.Add(new Document(NextId("local"), "local_press", $"{c.Name}: {v["population"]} {World.CurrentYear}", $"{c.Capital} Dagblad", new DateOnly(2026, 1, 28), "medium", "",
                $"{c.Name} {v["country"]}: {v["population"]} {Render.Thousands(c.Population)} ({v["year"]} {World.CurrentYear}). {v["capital"]} {c.Capital}."));
        }

        foreach (var co in world.Companies)
        {
            var slug = Render.Slug(co.Name);
            docs.Add(new Document("wiki-" + slug, "web_page", co.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", $"{Host}/wiki/{slug}",
                $"{co.Name} is a {co.Sector} company headquartered in {co.HeadquartersCity}, {co.Country}, founded in {co.Founded}. Chief executive: {co.CeoAt(pages)}. FY{year} revenue: ${Render.Billions(co.RevenueAt(pages))} billion; net income ${Render.Billions(co.NetIncomeAt(pages))} billion; {Render.Thousands(co.EmployeesAt(pages))} employees. Last updated {Render.Date(asOf)}."));
            foreach (var s in new[] { Snapshot.Previous, Snapshot.Current })
            {
                var y = World.Year(s);
                docs.Add(new Document(NextId("filing"), "filing", $"{co.Name} annual report FY{y}", $"{co.Name} investor relations (audited)", new DateOnly(y + 1, 2, 13), "high", "",
                    $"Audited results for fiscal year {y}: revenue ${Render.Billions(co.RevenueAt(s))} billion, net income ${Render.Billions(co.NetIncomeAt(s))} billion, {Render.Thousands(co.EmployeesAt(s))} employees. Chief executive: {co.CeoAt(s)}. Headquarters: {co.HeadquartersCity}."));
            }

            var estimate = co.RevenueUsdBillions * (1 + ((co.Founded % 2 == 0 ? 1 : -1) * (0.03 + ((co.Employees % 7) / 100.0))));
            docs.Add(new Document(NextId("note"), "analyst_note", $"{co.Name}: FY{World.CurrentYear} revenue preview", "Meridian Research (estimate)", new DateOnly(2025, 11, 10), "medium", "",
                $"Ahead of audited results we estimate {co.Name} FY{World.CurrentYear} revenue at about ${Render.Billions(estimate)} billion. This is a forecast, not a reported figure."));
        }

        foreach (var p in world.Products)
        {
            var slug = Render.Slug(p.Name);
            var launchLine = pages == Snapshot.Current ? $"Launch date: {Render.Date(p.LaunchDate)}." : $"Scheduled launch date: {Render.Date(p.PlannedLaunch)}.";
            docs.Add(new Document("wiki-" + slug, "web_page", p.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", $"{Host}/wiki/{slug}",
                $"The {p.Name} is a {p.Category} made by {p.Company}. {launchLine} Last updated {Render.Date(asOf)}."));
            docs.Add(new Document(NextId("press"), "press_release", $"{p.Company} announces the {p.Name}", $"{p.Company} press office", p.PlannedLaunch.AddDays(-60), "high", "",
                $"{p.Company} will launch the {p.Name}, a new {p.Category}, on {Render.Date(p.PlannedLaunch)}."));
            docs.Add(new Document(NextId("press"), "press_release", $"{p.Company} launches the {p.Name}", $"{p.Company} press office", p.LaunchDate, "high", "",
                $"{p.Company} today launched the {p.Name}. The launch took place on {Render.Date(p.LaunchDate)}, later than first announced."));
        }

        foreach (var e in world.Events)
        {
            var slug = Render.Slug(e.Name);
            var dateLine = pages == Snapshot.Current ? $"It took place on {Render.Date(e.Date)}." : $"It is scheduled for {Render.Date(e.PlannedDate)}.";
            docs.Add(new Document("wiki-" + slug, "web_page", e.Name + " - ChaosPedia", "ChaosPedia", asOf, "medium", $"{Host}/wiki/{slug}",
                $"The {e.Name} is a {e.Kind} in {e.City}. {dateLine} Last updated {Render.Date(asOf)}."));
            docs.Add(new Document(NextId("press"), "press_release", $"{e.Name} announced", $"{e.City} city hall", e.PlannedDate.AddDays(-45), "high", "",
                $"The {e.Name} is scheduled for {Render.Date(e.PlannedDate)} in {e.City}."));
            docs.Add(new Document(NextId("press"), "press_release", $"{e.Name} opens", $"{e.City} city hall", e.Date, "high", "",
                $"The {e.Name} opened today, {Render.Date(e.Date)}, in {e.City} after a postponement."));
        }

        if (scenario.ConflictEntity is { } entity)
        {
            docs.Add(ConflictPost(scenario, entity, NextId("forum")));
        }

        var result = publishedBefore is { } cutoff ? docs.Where(d => d.Published < cutoff).ToList() : docs;
        for (var i = 0; i < result.Count; i++)
        {
            if (result[i].Url.Length == 0)
            {
                result[i] = result[i] with { Url = $"{Host}/docs/{result[i].Id}" };
            }
        }

        return new DocumentCorpus(result);
    }

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

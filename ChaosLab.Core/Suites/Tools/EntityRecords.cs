using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>Knowledge-base and internal-API records of world entities, rendered from one snapshot.</summary>
internal static class EntityRecords
{
    /// <summary>All entity names with their type, for lookups and suggestions.</summary>
    public static IEnumerable<(string Type, string Name)> All(World world)
    {
        foreach (var c in world.Countries)
        {
            yield return ("country", c.Name);
        }

        foreach (var c in world.Cities)
        {
            yield return ("city", c.Name);
        }

        foreach (var c in world.Companies)
        {
            yield return ("company", c.Name);
        }

        foreach (var p in world.People)
        {
            yield return ("person", p.Name);
        }

        foreach (var p in world.Products)
        {
            yield return ("product", p.Name);
        }

        foreach (var e in world.Events)
        {
            yield return ("event", e.Name);
        }
    }

    /// <summary>Exact (case-insensitive) name, or slug, match; else null.</summary>
    public static (string Type, string Name)? Find(World world, string query)
    {
        var q = query.Trim().Replace('-', ' ').Replace('_', ' ');
        foreach (var entry in All(world))
        {
            if (entry.Name.Equals(q, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }

    public static List<string> Suggestions(World world, string query)
    {
        var words = query.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3).ToList();
        return [.. All(world).Where(e => words.Any(w => e.Name.Contains(w, StringComparison.OrdinalIgnoreCase))).Select(e => e.Name).Take(5)];
    }

    public static JsonObject? Record(World world, string type, string name, Snapshot s)
    {
        var asOf = Render.Date(World.AsOf(s));
        switch (type)
        {
            case "country":
                {
                    var c = world.FindCountry(name)!;
                    return new JsonObject
                    {
                        ["type"] = "country", ["name"] = c.Name, ["capital"] = c.Capital, ["region"] = c.Region, ["currency"] = c.Currency,
                        ["population"] = c.PopulationAt(s), ["area_km2"] = c.AreaKm2, ["gdp_usd_billions"] = c.GdpAt(s), ["gdp_per_capita_usd"] = c.GdpPerCapitaAt(s),
                        ["figures_year"] = World.Year(s), ["as_of"] = asOf,
                    };
                }

            case "city":
                {
                    var c = world.Cities.First(x => x.Name == name);
                    return new JsonObject { ["type"] = "city", ["name"] = c.Name, ["country"] = c.Country, ["population"] = c.Population, ["is_capital"] = c.IsCapital, ["as_of"] = asOf };
                }

            case "company":
                {
                    var c = world.FindCompany(name)!;
                    return new JsonObject
                    {
                        ["type"] = "company", ["name"] = c.Name, ["sector"] = c.Sector, ["headquarters_city"] = c.HeadquartersCity, ["country"] = c.Country,
                        ["ceo"] = c.CeoAt(s), ["founded"] = c.Founded, ["fiscal_year"] = World.Year(s), ["revenue_usd_billions"] = c.RevenueAt(s),
                        ["net_income_usd_billions"] = c.NetIncomeAt(s), ["employees"] = c.EmployeesAt(s), ["as_of"] = asOf,
                    };
                }

            case "person":
                {
                    var p = world.People.First(x => x.Name == name);
                    var role = s == Snapshot.Previous && p.Role.StartsWith("Former", StringComparison.Ordinal) ? "Chief Executive Officer" : p.Role;
                    if (s == Snapshot.Previous && p.Since >= World.CurrentYear)
                    {
                        role = "Executive Vice President";
                    }

                    return new JsonObject { ["type"] = "person", ["name"] = p.Name, ["role"] = role, ["company"] = p.Company, ["since"] = p.Since, ["as_of"] = asOf };
                }

            case "product":
                {
                    var p = world.Products.First(x => x.Name == name);
                    return new JsonObject { ["type"] = "product", ["name"] = p.Name, ["company"] = p.Company, ["category"] = p.Category, ["launch_date"] = Render.Date(p.LaunchAt(s)), ["as_of"] = asOf };
                }

            case "event":
                {
                    var e = world.Events.First(x => x.Name == name);
                    return new JsonObject { ["type"] = "event", ["name"] = e.Name, ["city"] = e.City, ["kind"] = e.Kind, ["date"] = Render.Date(e.DateAt(s)), ["as_of"] = asOf };
                }

            default:
                return null;
        }
    }

    public static JsonObject? Financials(World world, string company, int? year, Snapshot s)
    {
        var c = world.FindCompany(company.Replace('-', ' '));
        if (c is null)
        {
            return null;
        }

        var latest = World.Year(s);
        var y = year ?? latest;
        Snapshot? which = y == World.CurrentYear && latest == World.CurrentYear ? Snapshot.Current : y == World.PreviousYear ? Snapshot.Previous : null;
        if (which is not { } w)
        {
            return new JsonObject { ["company"] = c.Name, ["fiscal_year"] = y, ["available"] = false, ["latest_fiscal_year"] = latest };
        }

        return new JsonObject
        {
            ["company"] = c.Name, ["fiscal_year"] = y, ["revenue_usd_billions"] = c.RevenueAt(w), ["net_income_usd_billions"] = c.NetIncomeAt(w),
            ["employees"] = c.EmployeesAt(w), ["reported_on"] = Render.Date(new DateOnly(y + 1, 2, 13)),
        };
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChaosLab.Core.Suites.Tools.Agents;

/// <summary>One fact a scripted agent needs: about which entity, which attribute.</summary>
/// <param name="Kind">country, city_country, company, hq_company, product, event.</param>
internal sealed record FactNeed(string Kind, string Name, IReadOnlyList<string> Fields);

/// <summary>A value a source returned, with the date it claims to be from (when it says).</summary>
internal sealed record Reading(string Value, string? AsOf, string Source);

/// <summary>A way to ask for a fact: the call, and how to read its result.</summary>
internal sealed record FactSource(string Name, string Tool, JsonObject Arguments, Func<JsonNode?, string, Reading?> Read);

/// <summary>The retrieval paths to each kind of fact, in the order a careful agent tries them.</summary>
internal static partial class FactSources
{
    public const int Year = 2025;

    public static List<FactSource> For(FactNeed need)
    {
        var n = need.Name;
        var slug = string.Join('-', n.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var q = n.Replace("'", "''", StringComparison.Ordinal);
        var columns = string.Join(", ", need.Fields);
        var list = new List<FactSource>();
        switch (need.Kind)
        {
            case "country":
                list.Add(Kb(n));
                list.Add(Db($"SELECT name, {columns}, as_of FROM countries WHERE name = '{q}'"));
                list.Add(Api($"internal://entity/{n}"));
                list.Add(Web(slug));
                list.Add(Csv("/data/countries.csv", n, "name"));
                break;
            case "city_country":
                list.Add(Db($"SELECT name AS country, as_of FROM countries WHERE capital = '{q}'"));
                list.Add(Kb(n));
                list.Add(Api($"internal://entity/{n}"));
                list.Add(Csv("/data/countries.csv", n, "capital", rename: ("country", "name")));
                break;
            case "company" when need.Fields.Contains("revenue_usd_billions"):
                list.Add(Api($"internal://financials/{n}?year={Year}"));
                list.Add(Db($"SELECT company, revenue_usd_billions, reported_on FROM financials WHERE company = '{q}' AND fiscal_year = {Year}"));
                list.Add(new FactSource("knowledge_base", "knowledge_base_lookup", new JsonObject { ["entity"] = n }, (r, f) => Year == (int?)Number(Field(r, "fiscal_year")) ? Structured(r, f, "knowledge_base") : null));
                list.Add(Web(slug));
                list.Add(Csv("/data/companies.csv", n, "name", requireYear: true));
                break;
            case "company":
                list.Add(Kb(n));
                list.Add(Db($"SELECT name, {columns}, as_of FROM companies WHERE name = '{q}'"));
                list.Add(Api($"internal://entity/{n}"));
                list.Add(Web(slug));
                list.Add(Csv("/data/companies.csv", n, "name"));
                break;
            case "hq_company":
                list.Add(Db($"SELECT name AS company, as_of FROM companies WHERE headquarters_city = '{q}'"));
                list.Add(Csv("/data/companies.csv", n, "headquarters_city", rename: ("company", "name")));
                list.Add(new FactSource("web", "web_search", new JsonObject { ["query"] = "company headquartered in " + n }, (r, _) => HeadquarteredIn(r, n)));
                break;
            case "product":
                list.Add(Kb(n));
                list.Add(Db($"SELECT name, launch_date, as_of FROM products WHERE name = '{q}'"));
                list.Add(Api($"internal://entity/{n}"));
                list.Add(Web(slug));
                break;
            default:
                list.Add(Kb(n));
                list.Add(Db($"SELECT name, date, as_of FROM events WHERE name = '{q}'"));
                list.Add(Api($"internal://entity/{n}"));
                list.Add(Web(slug));
                break;
        }

        return list;
    }

    private static FactSource Kb(string name) =>
        new("knowledge_base", "knowledge_base_lookup", new JsonObject { ["entity"] = name }, (r, f) => Structured(r, f, "knowledge_base"));

    private static FactSource Db(string sql) =>
        new("database", "database_query", new JsonObject { ["sql"] = sql }, (r, f) => Structured(r, f, "database"));

    private static FactSource Api(string url) =>
        new("internal_api", "api_call", new JsonObject { ["url"] = url, ["method"] = "GET" }, (r, f) => Structured(r, f, "internal_api"));

    private static FactSource Web(string slug) =>
        new("web", "fetch_url", new JsonObject { ["url"] = "https://chaos.local/wiki/" + slug }, (r, field) =>
        {
            var content = (r as JsonObject)?["content"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var pattern = field switch
            {
                "population" => PopulationText(),
                "area_km2" => AreaText(),
                "gdp_per_capita_usd" => GdpPerCapitaText(),
                "capital" => CapitalText(),
                "revenue_usd_billions" => RevenueText(),
                "ceo" => CeoText(),
                "launch_date" => LaunchText(),
                "date" => EventText(),
                _ => null,
            };
            var m = content is null || pattern is null ? null : pattern.Match(content);
            return m is { Success: true } ? new Reading(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), LastUpdated().Match(content!).Groups[1].Value, "web") : null;
        });

    private static FactSource Csv(string path, string key, string keyColumn, bool requireYear = false, (string Field, string Column)? rename = null) =>
        new("files", "read_file", new JsonObject { ["path"] = path }, (r, field) =>
        {
            var content = (r as JsonObject)?["content"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (content is null)
            {
                return null;
            }

            var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var asOf = ExportedOn().Match(content).Groups[1].Value;
            var header = lines.FirstOrDefault(l => !l.StartsWith('#'))?.Split(',');
            if (header is null)
            {
                return null;
            }

            var column = Array.IndexOf(header, rename is { } rn && rn.Field == field ? rn.Column : field);
            var keyIndex = Array.IndexOf(header, keyColumn);
            var year = Array.IndexOf(header, "fiscal_year");
            foreach (var line in lines.Where(l => !l.StartsWith('#')).Skip(1))
            {
                var cells = line.Split(',');
                if (column >= 0 && keyIndex >= 0 && cells.Length == header.Length && cells[keyIndex].Equals(key, StringComparison.OrdinalIgnoreCase))
                {
                    if (requireYear && (year < 0 || cells[year] != Year.ToString(CultureInfo.InvariantCulture)))
                    {
                        return null;
                    }

                    return new Reading(cells[column], asOf, "files");
                }
            }

            return null;
        });

    /// <summary>A field of a JSON record (also inside an API body or the first database row); null if missing or ambiguous.</summary>
    private static Reading? Structured(JsonNode? result, string field, string source)
    {
        var record = Record(result);
        if (record is null || record[field] is not JsonValue value)
        {
            return null;
        }

        var asOf = record["as_of"] ?? record["reported_on"];
        return new Reading(Text(value), asOf?.ToString(), source);
    }

    private static JsonObject? Record(JsonNode? result) => result switch
    {
        JsonObject { } o when o["matches"] is JsonArray => null,
        JsonObject { } o when o["rows"] is JsonArray rows => rows.Count == 1 ? rows[0] as JsonObject : null,
        JsonObject { } o when o["body"] is JsonObject body => body,
        JsonObject { } o => o,
        _ => null,
    };

    private static JsonNode? Field(JsonNode? result, string field) => Record(result)?[field];

    internal static double? Number(JsonNode? node) => node is JsonValue v && double.TryParse(Text(v), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string Text(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static Reading? HeadquarteredIn(JsonNode? result, string city)
    {
        if ((result as JsonObject)?["results"] is not JsonArray results)
        {
            return null;
        }

        foreach (var item in results)
        {
            var snippet = item?["snippet"]?.ToString() ?? "";
            var m = Regex.Match(snippet, @"^(.+?) is an? [a-z ]+ company headquartered in " + Regex.Escape(city) + ",", RegexOptions.None, TimeSpan.FromSeconds(1));
            if (m.Success)
            {
                return new Reading(m.Groups[1].Value, LastUpdated().Match(snippet).Groups[1].Value, "web");
            }
        }

        return null;
    }

    [GeneratedRegex(@"Population: ([\d,]+)")]
    private static partial Regex PopulationText();

    [GeneratedRegex(@"Area: ([\d,]+) km2")]
    private static partial Regex AreaText();

    [GeneratedRegex(@"GDP per capita: \$([\d,]+)")]
    private static partial Regex GdpPerCapitaText();

    [GeneratedRegex(@"Its capital is ([^.]+)\.")]
    private static partial Regex CapitalText();

    [GeneratedRegex(@"FY2025 revenue: \$([\d.]+) billion")]
    private static partial Regex RevenueText();

    [GeneratedRegex(@"Chief executive: ([^.]+)\.")]
    private static partial Regex CeoText();

    [GeneratedRegex(@"Launch date: (\d{4}-\d{2}-\d{2})")]
    private static partial Regex LaunchText();

    [GeneratedRegex(@"took place on (\d{4}-\d{2}-\d{2})")]
    private static partial Regex EventText();

    [GeneratedRegex(@"Last updated (\d{4}-\d{2}-\d{2})")]
    private static partial Regex LastUpdated();

    [GeneratedRegex(@"# exported (\d{4}-\d{2}-\d{2})")]
    private static partial Regex ExportedOn();
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The eight retrieval tools: each reads the world through its own path.</summary>
internal static class RetrievalTools
{
    public const int SearchResults = 5;

    public static ValueTask<ToolOutput> WebSearch(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var query = args.Str("query");
        var results = new JsonArray();
        foreach (var d in ctx.Workspace.Corpus(ctx.Snapshot).Search(query, webPages: true, SearchResults))
        {
            results.Add(new JsonObject { ["title"] = d.Title, ["url"] = d.Url, ["snippet"] = Snippet(d.Body), ["published"] = Render.Date(d.Published), ["source"] = d.Source });
        }

        return Done(ToolOutput.Ok(new JsonObject { ["query"] = query, ["results"] = results, ["result_count"] = results.Count }));
    }

    public static ValueTask<ToolOutput> DocumentSearch(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var query = args.Str("query");
        var results = new JsonArray();
        foreach (var d in ctx.Workspace.Corpus(ctx.Snapshot).Search(query, webPages: false, SearchResults))
        {
            results.Add(new JsonObject
            {
                ["doc_id"] = d.Id, ["title"] = d.Title, ["kind"] = d.Kind, ["source"] = d.Source, ["published"] = Render.Date(d.Published),
                ["reliability"] = d.Reliability, ["url"] = d.Url, ["snippet"] = Snippet(d.Body),
            });
        }

        return Done(ToolOutput.Ok(new JsonObject { ["query"] = query, ["results"] = results, ["result_count"] = results.Count }));
    }

    public static ValueTask<ToolOutput> FetchUrl(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var url = args.Str("url").Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            return Done(ToolOutput.Fail("invalid_url", $"'{url}' is not an absolute http(s) URL"));
        }

        if (!uri.Host.Equals("chaos.local", StringComparison.OrdinalIgnoreCase))
        {
            return Done(ToolOutput.Fail("unreachable_host", $"could not resolve host {uri.Host}: this network reaches only chaos.local"));
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.Length == 0)
        {
            return Done(ToolOutput.Ok(new JsonObject
            {
                ["url"] = "https://chaos.local/", ["status"] = 200, ["title"] = "chaos.local",
                ["content"] = "Sections: /wiki/<name> (encyclopedia pages), /docs/<id> (filings, releases, notes), /forum/<id>. Use web_search or document_search to find pages.",
            }));
        }

        var doc = ctx.Workspace.Corpus(ctx.Snapshot).FindByUrl(DocumentCorpus.Host + path);
        if (doc is null)
        {
            return Done(ToolOutput.Fail("not_found", $"404 Not Found: {DocumentCorpus.Host}{path}", new JsonObject { ["status"] = 404 }));
        }

        return Done(ToolOutput.Ok(new JsonObject
        {
            ["url"] = doc.Url, ["status"] = 200, ["title"] = doc.Title, ["source"] = doc.Source, ["published"] = Render.Date(doc.Published),
            ["reliability"] = doc.Reliability, ["content"] = doc.Body,
        }));
    }

    public static ValueTask<ToolOutput> KnowledgeBaseLookup(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var entity = args.Str("entity");
        var world = ctx.Workspace.World;
        if (EntityRecords.Find(world, entity) is not { } found)
        {
            return Done(ToolOutput.Ok(new JsonObject
            {
                ["entity"] = entity, ["found"] = false,
                ["suggestions"] = new JsonArray([.. EntityRecords.Suggestions(world, entity).Select(s => (JsonNode)s)]),
            }));
        }

        var record = EntityRecords.Record(world, found.Type, found.Name, ctx.Snapshot)!;
        record["source"] = "ChaosLab Knowledge Base";
        return Done(ToolOutput.Ok(record));
    }

    public static ValueTask<ToolOutput> DatabaseQuery(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var (result, error) = ctx.Workspace.Database(ctx.Snapshot).Query(args.Str("sql"));
        return Done(error is null ? ToolOutput.Ok(result!) : ToolOutput.Fail("sql_error", error, new JsonObject { ["tables"] = Tables() }));
    }

    private static JsonArray Tables() => ["countries", "cities", "companies", "financials", "people", "products", "events", "documents", "agent_notes"];

    public static ValueTask<ToolOutput> GetCurrentDatetime(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var zone = args.Str("timezone").Trim();
        if (!TimeZones.TryGetOffset(zone, out var offset, out var canonical))
        {
            return Done(ToolOutput.Fail("unknown_timezone", $"unknown time zone '{zone}'; use UTC, an offset such as +05:30, or one of: {string.Join(", ", TimeZones.Names)}"));
        }

        var now = ctx.Clock.GetUtcNow().ToOffset(offset);
        return Done(ToolOutput.Ok(new JsonObject
        {
            ["timezone"] = canonical, ["datetime"] = now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["date"] = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["weekday"] = now.DayOfWeek.ToString(), ["unix_time"] = now.ToUnixTimeSeconds(),
        }));
    }

    public static ValueTask<ToolOutput> ReadFile(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var path = NormalizePath(args.Str("path"));
        if (path is null)
        {
            return Done(ToolOutput.Fail("invalid_path", "paths are absolute, e.g. /data/countries.csv; '..' is not allowed"));
        }

        var ws = ctx.Workspace;
        if (ws.ReadDataFile(path, ctx.Snapshot) is { } content || ws.WrittenFiles.TryGetValue(path, out content))
        {
            return Done(ToolOutput.Ok(new JsonObject { ["path"] = path, ["size"] = content.Length, ["content"] = content }));
        }

        var all = Workspace.DataFiles.Concat(ws.WrittenFiles.Keys).ToList();
        var prefix = path.EndsWith('/') ? path : path + "/";
        var entries = all.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (entries.Count > 0)
        {
            return Done(ToolOutput.Ok(new JsonObject { ["path"] = path, ["directory"] = true, ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)e)]) }));
        }

        return Done(ToolOutput.Fail("not_found", $"ENOENT: no such file or directory: {path}", new JsonObject { ["available"] = new JsonArray([.. all.Select(e => (JsonNode)e)]) }));
    }

    public static ValueTask<ToolOutput> ApiCall(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var url = args.Str("url").Trim();
        var method = args.Str("method");
        const string prefix = "internal://";
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Done(ToolOutput.Fail("unsupported_scheme", "api_call serves internal:// endpoints (internal://entity/<name>, internal://financials/<company>?year=<yyyy>, internal://tickets/<id>); use fetch_url for web pages"));
        }

        var rest = url[prefix.Length..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var parts = rest.Split('/', 2);
        var resource = parts[0].ToLowerInvariant();
        var name = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]).Trim('/') : "";
        if (resource is not ("entity" or "financials" or "tickets"))
        {
            return Done(ToolOutput.Fail("not_found", $"404: no endpoint internal://{resource}", new JsonObject { ["status"] = 404 }));
        }

        if (method != "GET")
        {
            return Done(ToolOutput.Fail("method_not_allowed", $"405: internal://{resource} accepts GET only", new JsonObject { ["status"] = 405, ["allow"] = "GET" }));
        }

        var world = ctx.Workspace.World;
        JsonNode? body = null;
        switch (resource)
        {
            case "entity":
                if (EntityRecords.Find(world, name) is { } found)
                {
                    body = EntityRecords.Record(world, found.Type, found.Name, ctx.Snapshot);
                }

                break;
            case "financials":
                int? year = null;
                foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    var kv = pair.Split('=', 2);
                    if (kv[0] == "year" && kv.Length == 2)
                    {
                        if (!int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var y))
                        {
                            return Done(ToolOutput.Fail("bad_request", $"400: year must be an integer, got '{kv[1]}'", new JsonObject { ["status"] = 400 }));
                        }

                        year = y;
                    }
                }

                var fin = EntityRecords.Financials(world, name, year, ctx.Snapshot);
                if (fin is not null && fin["available"] is not null)
                {
                    return Done(ToolOutput.Fail("not_found", $"404: no financials for fiscal year {year} (latest: {fin["latest_fiscal_year"]})", new JsonObject { ["status"] = 404 }));
                }

                body = fin;
                break;
            default:
                if (ctx.Workspace.Tickets.TryGetValue(name, out var ticket))
                {
                    body = ticket.ToJson();
                }

                break;
        }

        if (body is null)
        {
            return Done(ToolOutput.Fail("not_found", $"404: internal://{resource}/{name} not found", new JsonObject
            {
                ["status"] = 404,
                ["suggestions"] = new JsonArray([.. EntityRecords.Suggestions(world, name).Select(s => (JsonNode)s)]),
            }));
        }

        return Done(ToolOutput.Ok(new JsonObject { ["status"] = 200, ["url"] = url, ["body"] = body }));
    }

    internal static string? NormalizePath(string path)
    {
        path = path.Trim().Replace('\\', '/');
        if (!path.StartsWith('/') || path.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static string Snippet(string body) => body.Length <= 320 ? body : body[..320] + "...";

    internal static ValueTask<ToolOutput> Done(ToolOutput output) => ValueTask.FromResult(output);
}

internal static class JsonArgs
{
    public static string Str(this JsonObject args, string name) => args[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : args[name]?.ToJsonString() ?? "";

    public static string? OptStr(this JsonObject args, string name) => args[name] is null ? null : args.Str(name);
}

/// <summary>Fixed-offset time zones (no daylight saving: results never depend on the host's tz database).</summary>
internal static class TimeZones
{
    private static readonly Dictionary<string, TimeSpan> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = TimeSpan.Zero, ["GMT"] = TimeSpan.Zero, ["Z"] = TimeSpan.Zero,
        ["Europe/London"] = TimeSpan.Zero, ["Europe/Paris"] = TimeSpan.FromHours(1), ["Europe/Berlin"] = TimeSpan.FromHours(1),
        ["America/New_York"] = TimeSpan.FromHours(-5), ["America/Los_Angeles"] = TimeSpan.FromHours(-8), ["Asia/Tokyo"] = TimeSpan.FromHours(9),
        ["Asia/Kolkata"] = new TimeSpan(5, 30, 0), ["Australia/Sydney"] = TimeSpan.FromHours(10),
    };

    public static IEnumerable<string> Names => Known.Keys;

    public static bool TryGetOffset(string zone, out TimeSpan offset, out string canonical)
    {
        canonical = zone;
        if (Known.TryGetValue(zone, out offset))
        {
            canonical = Known.Keys.First(k => k.Equals(zone, StringComparison.OrdinalIgnoreCase));
            return true;
        }

        var text = zone.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) ? zone[3..] : zone;
        if (text.Length > 1 && (text[0] == '+' || text[0] == '-'))
        {
            var sign = text[0] == '-' ? -1 : 1;
            var body = text[1..];
            var ok = body.Contains(':', StringComparison.Ordinal)
                ? TimeSpan.TryParseExact(body, @"h\:mm", CultureInfo.InvariantCulture, out offset)
                : int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && (offset = TimeSpan.FromHours(hours)) == offset;
            if (ok && offset <= TimeSpan.FromHours(14))
            {
                offset = sign * offset;
                canonical = "UTC" + (sign < 0 ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
                return true;
            }
        }

        offset = TimeSpan.Zero;
        return false;
    }
}

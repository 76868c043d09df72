using System.Text.Json.Nodes;

namespace ChaosLab.DashboardBench;

/// <summary>A request to time: a dashboard page (prerendered HTML) or an /api call.</summary>
internal sealed record TimedRequest(string Name, string Url);

/// <summary>
/// Every dashboard page and the /api requests they mirror, with filter values (an agent, a
/// scenario, a fault kind, an episode with steps) read from the store being measured.
/// </summary>
internal static class DashboardRequests
{
    public static async Task<IReadOnlyList<TimedRequest>> BuildAsync(HttpClient client)
    {
        var newest = await FirstAsync(client, "/api/episodes?page_size=1");
        var total = (await JsonNode.ParseAsync(await client.GetStreamAsync(new Uri("/api/episodes?page_size=1", UriKind.Relative))))!["total"]!.GetValue<int>();
        var withFault = await FirstAsync(client, "/api/episodes?page_size=1&min_score=0&max_score=0.99");
        var other = await FirstAsync(client, $"/api/episodes?page_size=1&suite={newest["suite"]}&sort=agent");
        string Text(JsonNode node, string name) => Uri.EscapeDataString(node[name]!.GetValue<string>());
        var id = Text(newest, "id");
        var agent = Text(newest, "agent");
        var agentB = Text(other, "agent");
        var fault = withFault["fault_kinds"]!.AsArray().Select(k => k!.GetValue<string>()).FirstOrDefault() ?? "timeout";
        var scenario = Text(newest, "scenario_id");
        var lastPage = Math.Max(1, (total + 49) / 50);
        var day = DateTimeOffset.Parse(newest["started_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.Date.AddDays(-30);
        var from = Uri.EscapeDataString(day.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(day.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return
        [
            new("page /  (leaderboard, sealed)", "/web/"),
            new("page /?mode=practice&window=7d", "/web/?mode=practice&window=7d"),
            new("page /episodes", "/web/episodes"),
            new("page /episodes filtered (agent, outcome)", $"/web/episodes?agent={agent}&outcome=correct"),
            new("page /episodes deep page", $"/web/episodes?page={lastPage / 2}"),
            new("page /episodes/{id} (replay)", $"/web/episodes/{id}"),
            new("page /analytics", "/web/analytics"),
            new("page /compare", $"/web/compare?a={agent}&b={agentB}"),
            new("page /compare/episodes", $"/web/compare/episodes?left={id}&right={Text(other, "id")}"),
            new("page /status", "/web/status"),
            new("page /curricula", "/web/curricula"),
            new("page /playground", "/web/playground"),
            new("api episodes page 1", "/api/episodes"),
            new("api episodes middle page", $"/api/episodes?page={lastPage / 2}"),
            new("api episodes last page", $"/api/episodes?page={lastPage}"),
            new("api suite+task+tier", $"/api/episodes?suite={Text(newest, "suite")}&task={Text(newest, "task_id")}&tier={Text(newest, "tier")}"),
            new("api scenario", $"/api/episodes?scenario={scenario}"),
            new("api agent", $"/api/episodes?agent={agent}"),
            new("api outcome", "/api/episodes?outcome=correct"),
            new("api mode=sealed", "/api/episodes?mode=sealed"),
            new("api client=http", "/api/episodes?client=http"),
            new("api min_score=0.5&sort=-score", "/api/episodes?min_score=0.5&sort=-score"),
            new($"api fault={fault}", $"/api/episodes?fault={fault}"),
            new("api from/to (one day)", $"/api/episodes?from={from}&to={to}"),
            new("api q=text", "/api/episodes?q=revenue"),
            new("api sort=-steps", "/api/episodes?sort=-steps"),
            new("api sort=agent deep page", $"/api/episodes?sort=agent&page={lastPage / 2}"),
            new("api episode (replay)", $"/api/episodes/{id}"),
            new("api curricula", "/api/curricula"),
        ];
    }

    private static async Task<JsonNode> FirstAsync(HttpClient client, string url)
    {
        var page = await JsonNode.ParseAsync(await client.GetStreamAsync(new Uri(url, UriKind.Relative)));
        return page!["items"]!.AsArray().FirstOrDefault() ?? throw new InvalidOperationException($"{url} returned no episode.");
    }
}

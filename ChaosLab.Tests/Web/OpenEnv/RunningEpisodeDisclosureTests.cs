using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// A server whose seal key is fixed, so a sealed episode of a chosen id has a known seed: the walk
/// below always meets the same faults, so every kind of secret is there to look for.
/// </summary>
public sealed class FixedSealKeyAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>
{
    ["ChaosLab:Integrity:SealKey"] = "the seal key of the disclosure walk, fixed on purpose",
});

/// <summary>
/// Nothing reachable from any API route or dashboard page while a sealed episode runs reveals its
/// seed, clean results, fault decisions or answer key. A server of its own, so every record and
/// page it reads belongs to this episode alone.
/// </summary>
public sealed partial class RunningEpisodeDisclosureTests(FixedSealKeyAppFactory app) : IClassFixture<FixedSealKeyAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task RunningSealedEpisode_EveryApiRouteAndDashboardPage_RevealsNoSecret()
    {
        await using var agent = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));
        var reset = await agent.RequestAsync(SealedEpisodeEndpointTests.SealedReset(new JsonObject { ["scenario_id"] = "E09", ["episode_id"] = "walked-episode" }));
        var episodeId = reset["data"]!["episode_id"]!.GetValue<string>();
        var question = reset["data"]!["observation"]!["question"]!.GetValue<string>();
        var seenByAgent = new StringBuilder(reset.ToJsonString());
        foreach (var action in Retrievals(question))
        {
            seenByAgent.Append((await agent.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = action })).ToJsonString());
        }

        var state = (await agent.RequestAsync(new JsonObject { ["type"] = "state" })).ToJsonString();
        var exposed = new List<(string Where, string Text)> { ("the agent's own /ws state", state) };
        foreach (var path in ApiRoutes(episodeId).Concat(DashboardPages(episodeId)))
        {
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            exposed.Add((path, await response.Content.ReadAsStringAsync()));
        }

        var running = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
        var matchedByFault = new List<string>();
        foreach (var kind in ToolsFaultKinds.All.Select(k => k.Name))
        {
            var page = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes?fault={kind}&agent={TestAgents.Sealed}"))!;
            matchedByFault.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        }

        await agent.RequestAsync(new JsonObject { ["type"] = "step", ["data"] = new JsonObject { ["type"] = "submit_answer", ["answer"] = "unknown" } });
        var ended = await WaitForEndAsync(episodeId);
        var secrets = Secrets(ended, seenByAgent.ToString());

        // The ended record does hold every kind of secret, so finding none while it ran means something.
        Assert.Contains(secrets, s => s.Kind == "seed");
        Assert.Contains(secrets, s => s.Kind == "fault decision");
        Assert.Contains(secrets, s => s.Kind == "clean result");
        Assert.Contains(secrets, s => s.Kind == "answer key");
        Assert.Null(running["grade"]);
        Assert.Null(running["episode"]!["seed"]);
        Assert.Empty(running["episode"]!["fault_kinds"]!.AsArray());
        Assert.All(running["steps"]!.AsArray(), s =>
        {
            Assert.Null(s!["clean_result"]);
            Assert.Empty(s["faults"]!.AsArray());
            Assert.Empty(s["reward_components"]!.AsArray());
        });
        Assert.DoesNotContain(episodeId, matchedByFault);
        foreach (var (where, text) in exposed)
        {
            foreach (var secret in secrets)
            {
                var at = IndexOfToken(text, secret.Value);
                Assert.False(at >= 0, $"{where} shows the {secret.Kind} '{secret.Value}' while the episode runs: ...{Around(text, at)}...");
            }
        }
    }

    private async Task<JsonObject> WaitForEndAsync(string episodeId)
    {
        // The final reply is sent once the episode is durable, so this is a single read in practice.
        var record = (await _client.GetFromJsonAsync<JsonObject>($"/api/episodes/{episodeId}"))!;
        Assert.NotNull(record["episode"]!["ended_at"]);
        return record;
    }

    /// <summary>What the ended record knows that the agent never saw: each must stay hidden while the episode runs.</summary>
    private static List<(string Kind, string Value)> Secrets(JsonObject ended, string seenByAgent)
    {
        var secrets = new List<(string Kind, string Value)> { ("seed", ended["episode"]!["seed"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        foreach (var step in ended["steps"]!.AsArray())
        {
            // A decision's reason is shared by many episodes; its seeded roll is this episode's own
            // (and its inputs carry the seed, checked above).
            foreach (var decision in step!["faults"]!.AsArray().Where(d => d!["fired"]!.GetValue<bool>() && d["inputs"]!["roll"]!.GetValue<double>() > 0))
            {
                secrets.Add(("fault decision", decision!["inputs"]!["roll"]!.ToJsonString()));
            }

            if (step["clean_result"]?.GetValue<string>() is { } clean)
            {
                secrets.AddRange(Numbers(clean).Where(n => !seenByAgent.Contains(n, StringComparison.Ordinal)).Select(n => ("clean result", n)));
            }
        }

        foreach (var slot in ended["grade"]!["answer_key"]!["slots"]!.AsArray())
        {
            // A yes/no is in every page's text anyway; the figures, dates and names are what matter.
            var expected = slot!["expected"]!.ToString();
            if (slot["expected"]!.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
                && expected.Length >= 4 && !seenByAgent.Contains(expected, StringComparison.Ordinal))
            {
                secrets.Add(("answer key", expected));
            }
        }

        return [.. secrets.Distinct()];
    }

    /// <summary>
    /// Where <paramref name="value"/> stands on its own (no letter or digit on either side), or -1.
    /// Pages carry random element ids (the select popovers' GUIDs), whose digit runs contained a
    /// five-digit figure by chance once in a few dozen runs; a figure a page shows is a token of its own.
    /// </summary>
    private static int IndexOfToken(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            var end = at + value.Length;
            if ((at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsAsciiLetterOrDigit(text[end])))
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The text around a finding, so a failure says where on the page the secret appeared.</summary>
    private static string Around(string text, int at) => at < 0 ? "" : text[Math.Max(0, at - 120)..Math.Min(text.Length, at + 120)];

    private static IEnumerable<string> Numbers(string text) => NumberPattern().Matches(text).Select(m => m.Value);

    private static IEnumerable<string> ApiRoutes(string episodeId) =>
    [
        "/api/episodes",
        $"/api/episodes?agent={TestAgents.Sealed}",
        "/api/episodes?mode=sealed&sort=-score",
        $"/api/episodes/{episodeId}",
        $"/api/episodes/export?agent={TestAgents.Sealed}",
    ];

    private static IEnumerable<string> DashboardPages(string episodeId) =>
    [
        "/web/",
        "/web/?mode=practice",
        "/web/episodes",
        $"/web/episodes?agent={TestAgents.Sealed}",
        $"/web/episodes/{episodeId}",
        $"/web/analytics?agent={TestAgents.Sealed}",
        $"/web/compare?a={TestAgents.Sealed}&b=naive",
        $"/web/compare/episodes?left={episodeId}&right={episodeId}",
        "/web/status",
    ];

    private static IEnumerable<JsonObject> Retrievals(string question)
    {
        JsonObject Call(string tool, JsonObject arguments) => new() { ["type"] = "call_tool", ["tool_name"] = tool, ["arguments"] = arguments };
        return
        [
            Call("database_query", new JsonObject { ["sql"] = "SELECT * FROM financials" }),
            Call("database_query", new JsonObject { ["sql"] = "SELECT * FROM companies" }),
            Call("web_search", new JsonObject { ["query"] = question }),
            Call("document_search", new JsonObject { ["query"] = question }),
            Call("read_file", new JsonObject { ["path"] = "/data/companies.csv" }),
            Call("web_search", new JsonObject { ["query"] = "revenue filing " + question }),
            Call("database_query", new JsonObject { ["sql"] = "SELECT * FROM countries" }),
        ];
    }

    [GeneratedRegex(@"\d[\d.,]{3,}\d")]
    private static partial Regex NumberPattern();
}

using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>Requests, urls and bodies: the vocabulary the injections are written in.</summary>
internal sealed partial class RetryCaseBuilder
{
    private static readonly string[] ReadHosts = ["catalog", "inventory", "pricing", "accounts"];
    private static readonly string[] WriteHosts = ["orders", "payments"];
    private static readonly string[] OutageHosts = ["media", "reviews", "shipping"];
    private static readonly string[] FanoutHosts = ["search", "recs"];
    private static readonly string[] Resources = ["items", "users", "stock", "prices", "carts"];

    /// <summary>Healthy traffic in every call: reads, idempotent updates, keyed writes.</summary>
    private void AddBackground()
    {
        var random = Stream("background");
        for (var c = 0; c < Calls; c++)
        {
            var count = 2 + random.Next(0, 2);
            for (var i = 0; i < count; i++)
            {
                var roll = random.NextDouble();
                var latency = random.NextDouble() < 0.3 ? Math.Round(random.NextDouble(0.2, 0.6), 2) : (double?)null;
                if (roll < 0.7)
                {
                    var url = Url(ReadHost(random), random.Pick(Resources), random);
                    Add(c, random.NextDouble(), Request("GET", url), [HttpAnswers.Json(200, Body(random), latency: latency)]);
                }
                else if (roll < 0.85)
                {
                    var url = Url(ReadHost(random), random.Pick(Resources), random);
                    Add(c, random.NextDouble(), Request("PUT", url, body: Body(random).ToJsonString()), [HttpAnswers.Json(200, Body(random), latency: latency)]);
                }
                else
                {
                    var url = Url(WriteHost(random), "orders", random, collection: true);
                    Add(c, random.NextDouble(), Request("POST", url, body: Body(random).ToJsonString(), idempotencyKey: true), [HttpAnswers.Json(201, Body(random), latency: latency)]);
                }
            }
        }
    }

    private string ReadHost(DeterministicRandom random) => Host(random.Pick(ReadHosts));

    private string WriteHost(DeterministicRandom random) => Host(random.Pick(WriteHosts));

    private string Host(string name)
    {
        var host = $"{name}.{_domain}";
        _hosts.Add(host);
        return host;
    }

    /// <summary>A url no other request of the case has, so its transport script is its own.</summary>
    private string Url(string host, string resource, DeterministicRandom random, bool collection = false)
    {
        _serial++;
        var number = (1000 + (_serial * 37) + random.Next(0, 37)).ToString(CultureInfo.InvariantCulture);
        return collection ? $"https://{host}/v1/{resource}?batch={number}" : $"https://{host}/v1/{resource}/{number}";
    }

    private string NextId() => "r" + (++_requestCount).ToString(CultureInfo.InvariantCulture);

    private Pending Request(string method, string url, string? body = null, bool idempotencyKey = false)
    {
        var id = NextId();
        var headers = new JsonObject { ["Accept"] = "application/json" };
        if (idempotencyKey)
        {
            headers["Idempotency-Key"] = $"{CaseId}-{id}";
        }

        var json = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url, ["headers"] = headers, ["body"] = body };
        var replayable = method is "GET" or "HEAD" or "PUT" or "DELETE" || idempotencyKey;
        return new Pending(json, id, url, method, null, replayable);
    }

    private static JsonObject Body(DeterministicRandom random) => new()
    {
        ["id"] = random.Next(1, 100_000),
        ["sku"] = "SKU-" + random.Next(100, 1000).ToString(CultureInfo.InvariantCulture),
        ["qty"] = random.Next(0, 500),
        ["tags"] = new JsonArray(random.Pick<string>(["new", "sale", "bulk"]), random.Pick<string>(["eu", "us"])),
    };

    /// <summary>Adds a request with its script; its url must be new (unique per request).</summary>
    private void Add(int call, double order, Pending request, IReadOnlyList<ScriptedResponse> answers) => AddBlock(call, order, [(request, answers)]);

    /// <summary>Adds requests that stay together, in this order, inside the call.</summary>
    private void AddBlock(int call, double order, IReadOnlyList<(Pending Request, IReadOnlyList<ScriptedResponse> Answers)> block)
    {
        foreach (var (request, answers) in block)
        {
            if (request.Url is { } url)
            {
                _scripts[url] = answers;
                _answers[url] = Words(answers);
            }
        }

        _calls[call].Add((order, [.. block.Select(b => b.Request)]));
    }

    /// <summary>"503, reset, 200" or "404 (every attempt)".</summary>
    private static string Words(IReadOnlyList<ScriptedResponse> answers) =>
        answers.Count == HttpAnswers.Forever && answers.Distinct().Count() == 1
            ? HttpAnswers.Word(answers[0]) + " (every attempt)"
            : string.Join(", ", answers.Select(HttpAnswers.Word));

    private static string Ids(IEnumerable<Pending> requests) => string.Join(",", requests.Select(r => r.Id ?? "(no id)"));
}

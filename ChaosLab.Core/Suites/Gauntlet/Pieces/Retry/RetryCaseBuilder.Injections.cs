using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>One method per fault kind: the requests it adds and their scripts, in words for the fault record.</summary>
internal sealed partial class RetryCaseBuilder
{
    private static readonly int[] ClientStatuses = [400, 401, 403, 404, 409, 410, 422];
    private static readonly int[] GatewayStatuses = [502, 503, 504];

    private (string, Dictionary<string, string>) ClientErrors(DeterministicRandom random)
    {
        var count = 1 + (random.NextDouble() < _intensity ? 1 : 0);
        var added = new List<Pending>();
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var status = random.Pick(ClientStatuses);
            var method = random.Pick<string>(["GET", "GET", "DELETE", "PUT", "POST"]);
            var url = method == "POST" ? Url(WriteHost(random), "orders", random, collection: true) : Url(ReadHost(random), random.Pick(Resources), random);
            var request = Request(method, url, body: method is "POST" or "PUT" ? Body(random).ToJsonString() : null);
            Add(random.Next(0, Calls), random.NextDouble(), request, HttpAnswers.Repeat(HttpAnswers.Problem(status)));
            added.Add(request);
            statuses.Add(status);
        }

        _summary.Add($"4xx x{count}");
        return ($"{count} request(s) answered {string.Join("/", statuses)} on every attempt", new()
        {
            ["requests"] = Ids(added),
            ["statuses"] = string.Join(",", statuses),
        });
    }

    private (string, Dictionary<string, string>) Bursts(DeterministicRandom random, int minFailures, int maxFailures, FaultKind kind)
    {
        var count = 1 + (random.NextDouble() < _intensity * (maxFailures > 2 ? 0.5 : 1) ? 1 : 0);
        var added = new List<Pending>();
        var words = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var failures = maxFailures > 2 && random.NextDouble() < 0.3 + (0.5 * _intensity) ? maxFailures : random.Next(minFailures, maxFailures + 1);
            var method = random.Pick<string>(["GET", "GET", "PUT"]);
            var request = Request(method, Url(ReadHost(random), random.Pick(Resources), random), body: method == "PUT" ? Body(random).ToJsonString() : null);
            var answers = Enumerable.Range(0, failures)
                .Select(_ => random.NextDouble() < 0.25 ? HttpAnswers.Reset() : HttpAnswers.ServerError(random.Pick(GatewayStatuses)))
                .Append(HttpAnswers.Json(200, Body(random)))
                .ToList();
            Add(random.Next(0, Calls), random.NextDouble(), request, answers);
            added.Add(request);
            words.Add(Words(answers));
        }

        _summary.Add(kind == RetryFaultKinds.LongBurst ? $"long bursts x{count}" : $"transient bursts x{count}");
        return ($"transient failures before success: {string.Join("; ", words)}", new()
        {
            ["requests"] = Ids(added),
            ["answers"] = string.Join(";", words),
        });
    }

    private (string, Dictionary<string, string>) MalformedRequests(DeterministicRandom random)
    {
        var count = 1 + (random.NextDouble() < _intensity * 0.7 ? 1 : 0);
        var defects = new List<string>();
        foreach (var variant in random.Shuffle(Enumerable.Range(0, 8)).Take(count))
        {
            var request = Malformed(variant, random);
            Add(random.Next(0, Calls), random.NextDouble(), request, HttpAnswers.Repeat(HttpAnswers.Problem(400)));
            defects.Add(request.Defect!);
        }

        _summary.Add($"malformed x{count}");
        return ($"malformed request(s): {string.Join("; ", defects)}", new() { ["defects"] = string.Join(";", defects) });
    }

    private Pending Malformed(int variant, DeterministicRandom random)
    {
        var url = Url(ReadHost(random), random.Pick(Resources), random);
        var id = NextId();
        JsonObject Dict(string? withId, string method, string? withUrl)
        {
            var json = new JsonObject();
            if (withId is not null)
            {
                json["id"] = withId;
            }

            json["method"] = method;
            if (withUrl is not null)
            {
                json["url"] = withUrl;
            }

            return json;
        }

        return variant switch
        {
            0 => new Pending(JsonValue.Create($"GET {url}"), null, null, null, "a string, not a dict", false),
            1 => new Pending(null, null, null, null, "None, not a dict", false),
            2 => new Pending(Dict(id, "GET", null), id, null, null, "no url", false),
            3 => Defective(Dict(id, "GET", url.Replace("https://", "ftp://", StringComparison.Ordinal)), id, "url is not http(s)"),
            4 => Defective(Dict(id, "GET", url.Replace("https://", string.Empty, StringComparison.Ordinal)), id, "url has no scheme"),
            5 => Defective(Dict(id, random.Pick<string>(["FETCH", "get ", ""]), url), id, "unknown method"),
            6 => Defective(Dict(null, "GET", url), null, "no id"),
            _ => Defective(new JsonObject { ["id"] = id, ["method"] = "GET", ["url"] = url, ["headers"] = "Accept: application/json" }, id, "headers are a string, not a dict"),
        };

        static Pending Defective(JsonObject json, string? id, string defect) =>
            new(json, id, json["url"]?.GetValue<string>(), json["method"]?.GetValue<string>(), defect, false);
    }

    private (string, Dictionary<string, string>) Bodies(DeterministicRandom random)
    {
        var count = 1 + (random.NextDouble() < _intensity ? 1 : 0);
        var added = new List<Pending>();
        var kinds = new List<string>();
        // The first body is one json.loads cannot take (text, empty, cut short): the deployed code's failure.
        var unparsable = random.Pick<int>([0, 1, 4, 5, 6]);
        foreach (var variant in random.Shuffle(Enumerable.Range(0, 7).Where(v => v != unparsable)).Take(count - 1).Prepend(unparsable))
        {
            var body = Body(random);
            var (word, answer) = variant switch
            {
                0 => ("text/plain", HttpAnswers.Http(200, random.Pick<string>(["OK", "accepted", "queued for sync"]), new() { ["Content-Type"] = "text/plain" })),
                1 => ("204 without body", HttpAnswers.Http(204, string.Empty, [])),
                2 => ("JSON with charset, lower-case header", HttpAnswers.Http(200, body.ToJsonString(), new() { ["content-type"] = "application/json; charset=utf-8" })),
                3 => ("vendor +json", HttpAnswers.Json(200, body, "application/vnd.partner.v2+json")),
                4 => ("JSON type, empty body", HttpAnswers.Http(200, string.Empty, new() { ["Content-Type"] = "application/json" })),
                5 => ("JSON cut short", HttpAnswers.Http(200, body.ToJsonString()[..12], new() { ["Content-Type"] = "application/json" })),
                _ => ("text/csv", HttpAnswers.Http(200, "sku,qty\nSKU-" + random.Next(100, 1000).ToString(CultureInfo.InvariantCulture) + ",4\n", new() { ["Content-Type"] = "text/csv" })),
            };
            var request = Request("GET", Url(ReadHost(random), random.Pick(Resources), random));
            Add(random.Next(0, Calls), random.NextDouble(), request, HttpAnswers.Repeat(answer));
            added.Add(request);
            kinds.Add(word);
        }

        _summary.Add($"odd bodies x{count}");
        return ($"2xx bodies: {string.Join("; ", kinds)}", new() { ["requests"] = Ids(added), ["bodies"] = string.Join(";", kinds) });
    }

    private (string, Dictionary<string, string>) RetryAfters(DeterministicRandom random)
    {
        var count = 1 + (random.NextDouble() < _intensity * 0.6 ? 1 : 0);
        var words = new List<string>();
        var added = new List<Pending>();
        var dated = false;
        for (var i = 0; i < count; i++)
        {
            var request = Request("GET", Url(ReadHost(random), "prices", random));
            var headerName = random.NextDouble() < 0.3 ? "retry-after" : "Retry-After";
            var variant = random.NextDouble();
            if (variant < 0.3 && !dated)
            {
                // An HTTP date is absolute, so the window is a gate on the clock: pinned first in the
                // case, the request meets it closed, and a client that waits until the date finds it open.
                dated = true;
                var wait = random.Next(4, 5 + (int)Math.Round(10 * _intensity));
                var openAt = ClockStart + wait;
                _gates[request.Url!] = new DependencyGate(openAt, HttpAnswers.RateLimited(headerName, HttpAnswers.HttpDate(openAt)));
                Add(0, PinFirst, request, [HttpAnswers.Json(200, Body(random))]);
                _answers[request.Url!] = $"429 with Retry-After {HttpAnswers.HttpDate(openAt)} until +{wait} s, then 200";
                words.Add($"429 until an HTTP date {wait} s ahead");
            }
            else if (variant < 0.75)
            {
                var wait = random.Next(2, 3 + (int)Math.Round(8 * _intensity));
                Add(random.Next(0, Calls), random.NextDouble(), request,
                    [HttpAnswers.RateLimited(headerName, wait.ToString(CultureInfo.InvariantCulture)), HttpAnswers.Json(200, Body(random))]);
                words.Add($"429 Retry-After {wait} s, then 200");
            }
            else
            {
                var wait = random.Next(60, 900);
                var value = random.NextDouble() < 0.5 ? wait.ToString(CultureInfo.InvariantCulture) : HttpAnswers.HttpDate(ClockStart + 3600 + wait);
                Add(random.Next(0, Calls), random.NextDouble(), request, HttpAnswers.Repeat(HttpAnswers.RateLimited(headerName, value)));
                words.Add($"429 Retry-After {value} (beyond {RetryRules.MaxRetryAfter} s)");
            }

            added.Add(request);
        }

        _summary.Add($"Retry-After x{count}");
        return (string.Join("; ", words), new() { ["requests"] = Ids(added), ["windows"] = string.Join(";", words) });
    }

    private (string, Dictionary<string, string>) AmbiguousWrites(DeterministicRandom random)
    {
        ScriptedResponse Failure() => random.NextDouble() < 0.5 ? HttpAnswers.Reset() : HttpAnswers.Hang(random.Next(3, 9));
        var added = new List<(Pending, string)>();
        var unkeyed = Request(random.Pick<string>(["POST", "POST", "PATCH"]), Url(WriteHost(random), "orders", random, collection: true), body: Body(random).ToJsonString());
        var failure = Failure();
        Add(random.Next(0, Calls), random.NextDouble(), unkeyed, [failure, HttpAnswers.Json(201, Body(random))]);
        added.Add((unkeyed, $"{unkeyed.Method} without Idempotency-Key: {HttpAnswers.Word(failure)}"));
        if (random.NextDouble() < 0.5 + (0.3 * _intensity))
        {
            var keyed = Request("POST", Url(WriteHost(random), "orders", random, collection: true), body: Body(random).ToJsonString(), idempotencyKey: true);
            failure = Failure();
            Add(random.Next(0, Calls), random.NextDouble(), keyed, [failure, HttpAnswers.Json(201, Body(random))]);
            added.Add((keyed, $"POST with Idempotency-Key: {HttpAnswers.Word(failure)}"));
        }

        if (random.NextDouble() < 0.5)
        {
            var read = Request("GET", Url(ReadHost(random), random.Pick(Resources), random));
            failure = HttpAnswers.Hang(random.Next(3, 9));
            Add(random.Next(0, Calls), random.NextDouble(), read, [failure, HttpAnswers.Json(200, Body(random))]);
            added.Add((read, $"GET: {HttpAnswers.Word(failure)}"));
        }

        _summary.Add($"ambiguous failures x{added.Count}");
        return ($"first attempt fails without an answer, the second would succeed: {string.Join("; ", added.Select(a => a.Item2))}",
            new() { ["requests"] = Ids(added.Select(a => a.Item1)), ["failures"] = string.Join(";", added.Select(a => a.Item2)) });
    }

    /// <summary>
    /// A host that fails every attempt in one or two calls. When a call is left after it, the last
    /// request of the outage's last call is a slow report (longer than the breaker's cool-down), so
    /// the next call starts with the cool-down over and the host recovered: its first request there
    /// is the half-open probe, and it succeeds.
    /// </summary>
    private (string, Dictionary<string, string>) Outage(DeterministicRandom random)
    {
        var host = Host(random.Pick(OutageHosts));
        var length = Math.Min(Calls - 1, 1 + (random.NextDouble() < _intensity ? 1 : 0));
        var start = random.Next(0, Calls - length);
        var end = start + length - 1;
        var modes = new List<string>();
        if (start > 0)
        {
            Add(start - 1, random.NextDouble(), Request("GET", Url(host, "assets", random)), [HttpAnswers.Json(200, Body(random))]);
        }

        for (var c = start; c <= end; c++)
        {
            var failure = random.Pick<ScriptedResponse>([HttpAnswers.Reset(), HttpAnswers.ServerError(503), HttpAnswers.Hang(2)]);
            modes.Add(HttpAnswers.Word(failure));
            var count = 2 + random.Next(0, 1 + (int)Math.Round(2 * _intensity));
            AddBlock(c, random.NextDouble(), [.. Enumerable.Range(0, count)
                .Select(_ => (Request("GET", Url(host, "assets", random)), HttpAnswers.Repeat(failure)))]);
        }

        var recovered = end + 1 < Calls;
        if (recovered)
        {
            var slow = random.Next(31, 41);
            Add(end, PinLast, Request("GET", Url(Host("reports"), "exports", random)), [HttpAnswers.Json(200, Body(random), latency: slow)]);
            var probes = 1 + random.Next(0, 2);
            for (var i = 0; i < probes; i++)
            {
                Add(end + 1, random.NextDouble(), Request("GET", Url(host, "assets", random)), [HttpAnswers.Json(200, Body(random))]);
            }
        }

        var calls = start == end ? $"call {start + 1}" : $"calls {start + 1}-{end + 1}";
        _summary.Add($"outage of {host} in {calls}" + (recovered ? $", back in call {end + 2}" : string.Empty));
        return ($"{host} fails every attempt ({string.Join(", ", modes)}) in {calls}" + (recovered ? $", then recovers after a slow call" : ", to the end"), new()
        {
            ["host"] = host,
            ["from_call"] = (start + 1).ToString(CultureInfo.InvariantCulture),
            ["to_call"] = (end + 1).ToString(CultureInfo.InvariantCulture),
            ["failures"] = string.Join(",", modes),
            ["recovered"] = recovered ? "true" : "false",
        });
    }

    private (string, Dictionary<string, string>) Fanout(DeterministicRandom random)
    {
        var outageCalls = _faults.Where(f => f.Kind == RetryFaultKinds.HostOutage.Name).SelectMany(f => CallsOf(f.Parameters)).ToHashSet();
        var free = Enumerable.Range(0, Calls).Where(c => !outageCalls.Contains(c)).ToList();
        var call = free.Count > 0 ? random.Pick(free) : random.Next(0, Calls);
        var count = 6 + (int)Math.Round(6 * _intensity);
        var block = new List<(Pending, IReadOnlyList<ScriptedResponse>)>();
        var wanted = 0;
        for (var i = 0; i < count; i++)
        {
            var failures = random.Next(2, 4);
            wanted += failures;
            var answers = Enumerable.Range(0, failures).Select(_ => HttpAnswers.ServerError(random.Pick(GatewayStatuses)))
                .Append(HttpAnswers.Json(200, Body(random))).ToList();
            block.Add((Request("GET", Url(Host(random.Pick(FanoutHosts)), "search", random)), answers));
        }

        AddBlock(call, random.NextDouble(), block);
        _summary.Add($"fan-out of {count} failing requests in call {call + 1}");
        return ($"{count} requests in call {call + 1} each fail 2-3 times before succeeding: {wanted} retries wanted, {RetryRules.RetryBudget} allowed", new()
        {
            ["requests"] = Ids(block.Select(b => b.Item1)),
            ["retries_wanted"] = wanted.ToString(CultureInfo.InvariantCulture),
        });
    }

    private static IEnumerable<int> CallsOf(IReadOnlyDictionary<string, string> parameters)
    {
        var from = int.Parse(parameters["from_call"], CultureInfo.InvariantCulture) - 1;
        var to = int.Parse(parameters["to_call"], CultureInfo.InvariantCulture) - 1;
        return Enumerable.Range(from, to - from + 2);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.BenchServers;
using ChaosLab.ReplicaLoad;

// Two ChaosLab replicas (r1, r2) on loopback sharing one PostgreSQL, each holding
// --sessions-per-replica WebSocket sessions at once, all playing an episode concurrently.
//   dotnet run -c Release --project bench/ChaosLab.ReplicaLoad [-- --sessions-per-replica 2000 --steps 5 --via-haproxy|--direct --fsync on|off]
// Everything is started here and stopped at the end (also on Ctrl+C): a PostgreSQL server of its
// own (initdb in a temporary directory, durable unless --fsync off), the two replicas as processes
// (the Release build of ChaosLab.Web, built with this tool), and by default HAProxy with
// deploy/haproxy.cfg in front of them when /usr/sbin/haproxy exists (--direct: each replica driven
// on its own port). Each session: connect, reset (scenario W01, a fixed seed), --steps calculator
// steps and a submission. Reports a markdown table; exits 1 if anything failed or disagreed.

const string Agent = "replica-load";
const string Step = """{"type":"step","data":{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}}""";
const string Submit = """{"type":"step","data":{"type":"submit_answer","answer":"126"}}""";

var options = LoadOptions.Parse(args);
var total = options.SessionsPerReplica * 2;
WarnIfTooFewFileDescriptors(total);

await using var run = new RunResources();
Console.WriteLine($"server: {options.ServerDll}");
Console.WriteLine(Invariant($"{Environment.ProcessorCount} cores; {options.SessionsPerReplica} sessions per replica x (reset + {options.Steps} calculator steps + submit); {(options.ViaHaproxy ? "through HAProxy" : "direct")}; PostgreSQL fsync {(options.Fsync ? "on" : "off")}"));

var postgres = run.Track("PostgreSQL", await LocalPostgres.StartAsync(Directory.CreateDirectory(Path.Combine(run.Directory, "postgres")).FullName, options.Fsync));
var replicas = new List<ServerProcess>();
foreach (var id in new[] { "r1", "r2" })
{
    // One at a time: the first brings the empty database to the current schema.
    replicas.Add(run.Track(id, await StartReplicaAsync(id)));
}

var balancer = options.ViaHaproxy ? run.Track("HAProxy", await Balancer.StartAsync(run.Directory, replicas[0], replicas[1])) : null;
var step = Encoding.UTF8.GetBytes(Step);
var submit = Encoding.UTF8.GetBytes(Submit);

// JIT, connection pools and the first store writes out of the way, on each replica directly,
// under another agent name; the store's count below starts after them.
Console.WriteLine("Warming up...");
await Task.WhenAll(replicas.SelectMany(replica => Enumerable.Range(0, 16).Select(async client =>
{
    await using var socket = await EpisodeSocketClient.ConnectAsync(replica.Address, replica.Name);
    for (var episode = 0; episode < 5; episode++)
    {
        await socket.RequestAsync(Encoding.UTF8.GetBytes(Invariant($$$"""{"type":"reset","data":{"scenario_id":"W01","seed":{{{client * 10 + episode}}},"agent":"replica-load-warmup"}}""")));
        for (var i = 0; i < options.Steps; i++)
        {
            await socket.RequestAsync(step);
        }

        await socket.RequestAsync(submit);
    }
})));
var before = await postgres.CountEpisodesAsync();

var resets = Enumerable.Range(0, total).Select(i => Encoding.UTF8.GetBytes(Invariant($$$"""{"type":"reset","data":{"scenario_id":"W01","seed":{{{1000 + i}}},"agent":"{{{Agent}}}"}}"""))).ToArray();
var errors = new ErrorLog();

Console.WriteLine(Invariant($"Opening {total} sessions..."));
var clients = new EpisodeSocketClient?[total];
var openWatch = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 128 }, async (i, _) =>
{
    // Direct: the first half on r1, the second on r2. Through HAProxy: wherever it sends them.
    var (address, replica) = balancer is null ? (replicas[i / options.SessionsPerReplica].Address, replicas[i / options.SessionsPerReplica].Name) : (balancer.Address, null);
    try
    {
        var client = await EpisodeSocketClient.ConnectAsync(address, replica, Balancer.ServerHeader);
        clients[i] = client;
        await client.RequestAsync(resets[i]);
    }
    catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException)
    {
        errors.Add("open", clients[i]?.Replica ?? replica ?? "?", ex);
        clients[i] = null;
    }
});
var openTime = openWatch.Elapsed;

// Every opened session is held now: the peak.
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var peak = new Dictionary<string, JsonNode>();
foreach (var replica in replicas)
{
    peak[replica.Name] = (await http.GetFromJsonAsync<JsonNode>(new Uri(replica.Address, "/health")))!;
}

Console.WriteLine(Invariant($"Opened {clients.Count(c => c is not null)} in {openTime.TotalSeconds:F1} s; playing..."));
var latencies = replicas.ToDictionary(r => r.Name, _ => new LatencyLog());
var playWatch = Stopwatch.StartNew();
await Task.WhenAll(clients.Where(c => c is not null).Select(async client =>
{
    await Task.Yield();
    var log = latencies[client!.Replica];
    try
    {
        for (var i = 0; i < options.Steps; i++)
        {
            var begin = Stopwatch.GetTimestamp();
            await client.RequestAsync(step);
            log.AddStep(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        }

        var final = Stopwatch.GetTimestamp();
        if (!await client.RequestAsync(submit))
        {
            throw new InvalidOperationException("The submission did not end the episode.");
        }

        log.AddSubmit(Stopwatch.GetElapsedTime(final).TotalMilliseconds);
    }
    catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException)
    {
        errors.Add("play", client.Replica, ex);
    }
}));
var playTime = playWatch.Elapsed;
await Parallel.ForEachAsync(clients, (client, _) => client?.DisposeAsync() ?? ValueTask.CompletedTask);

// A submission is answered once its episode is durable; the wait only covers a slow recorder.
var opened = clients.Count(c => c is not null);
var after = await postgres.CountEpisodesAsync();
for (var wait = Stopwatch.StartNew(); after.Total - before.Total < opened && wait.Elapsed < TimeSpan.FromSeconds(30); after = await postgres.CountEpisodesAsync())
{
    await Task.Delay(500);
}

var listed = new Dictionary<string, EpisodeList>();
foreach (var replica in replicas)
{
    listed[replica.Name] = await EpisodeList.ReadAsync(http, replica.Address, Agent);
}

var sameLeaderboard = listed["r1"].Total == listed["r2"].Total && listed["r1"].FirstPage == listed["r2"].FirstPage;
var allSteps = latencies.Values.SelectMany(l => l.Steps).ToList();
var allSubmits = latencies.Values.SelectMany(l => l.Submits).ToList();
var stepsDone = allSteps.Count + allSubmits.Count;

Console.WriteLine();
Console.WriteLine(Invariant($"## Two replicas, one PostgreSQL: {options.SessionsPerReplica} sessions held per replica ({(options.ViaHaproxy ? "through HAProxy" : "direct")}, fsync {(options.Fsync ? "on" : "off")}, {Environment.ProcessorCount} cores)"));
Console.WriteLine();
Console.WriteLine("| | r1 | r2 | total |");
Console.WriteLine("|---|---:|---:|---:|");
Row("sessions opened", r => clients.Count(c => c?.Replica == r).ToString(CultureInfo.InvariantCulture), opened.ToString(CultureInfo.InvariantCulture));
Row("sessions failed (open / play)", r => $"{errors.Count("open", r)} / {errors.Count("play", r)}", $"{errors.Count("open", null)} / {errors.Count("play", null)}");
Row("/health at peak (open / capacity)", r => $"{peak[r]["sessions"]!["open"]} / {peak[r]["sessions"]!["capacity"]}", "");
Row("steps (incl. submissions)", r => (latencies[r].Steps.Count + latencies[r].Submits.Count).ToString(CultureInfo.InvariantCulture), stepsDone.ToString(CultureInfo.InvariantCulture));
Row("steps/s", r => Invariant($"{(latencies[r].Steps.Count + latencies[r].Submits.Count) / playTime.TotalSeconds:F0}"), Invariant($"{stepsDone / playTime.TotalSeconds:F0}"));
Row("step p50 / p90 / p99 (ms)", r => Percentiles.Of(latencies[r].Steps).ToString(), Percentiles.Of(allSteps).ToString());
Row("submission p50 / p90 / p99 (ms)", r => Percentiles.Of(latencies[r].Submits).ToString(), Percentiles.Of(allSubmits).ToString());
Row("episodes listed by its /api/episodes", r => listed[r].Total.ToString(CultureInfo.InvariantCulture), "");
Console.WriteLine();
Console.WriteLine(Invariant($"- time to open and reset all {total} sessions: {openTime.TotalSeconds:F1} s; all playing their episode at once: {playTime.TotalSeconds:F1} s"));
Console.WriteLine(Invariant($"- store (SELECT count(*) FROM episodes): {after.Total - before.Total} new rows, {after.Ended - before.Ended} ended (expected {opened})"));
Console.WriteLine($"- leaderboard (/api/episodes?agent={Agent}, total and first page): {(sameLeaderboard ? "identical on r1 and r2" : "DIFFERENT on r1 and r2")}");
Console.WriteLine($"- errors: {errors.Total}{errors.Sample}");

// Through HAProxy, leastconn decides the split; a replica it marked down meanwhile gets nothing.
var balanced = replicas.All(r => clients.Count(c => c?.Replica == r.Name) >= options.SessionsPerReplica * 9 / 10);
if (!balanced)
{
    Console.WriteLine("- split: a replica held under 90% of its share (HAProxy marked it down, or leastconn did not spread them)");
}

var ok = balanced && errors.Total == 0 && after.Total - before.Total == total && after.Ended - before.Ended == total && sameLeaderboard && listed["r1"].Total == total;
Console.WriteLine(ok ? "- result: OK" : "- result: FAILED (see above)");
return ok ? 0 : 1;

void Row(string label, Func<string, string> perReplica, string sum) =>
    Console.WriteLine($"| {label} | {perReplica("r1")} | {perReplica("r2")} | {sum} |");

Task<ServerProcess> StartReplicaAsync(string id)
{
    var data = Directory.CreateDirectory(Path.Combine(run.Directory, id)).FullName;

    // Headroom over the sessions it is meant to hold: through HAProxy the split is leastconn's, not exact.
    var capacity = options.SessionsPerReplica + Math.Max(100, options.SessionsPerReplica / 10);
    return ServerProcess.StartAsync(new ServerStart(id, options.ServerDll, [])
    {
        Environment = new Dictionary<string, string>
        {
            ["ChaosLab__ReplicaId"] = id,
            ["ChaosLab__Database__Provider"] = "postgres",
            ["ChaosLab__Database__ConnectionString"] = postgres.ConnectionString,
            ["ChaosLab__DataDirectory"] = data,
            ["ChaosLab__MaxSessions"] = capacity.ToString(CultureInfo.InvariantCulture),
            ["ChaosLab__Seeding__Enabled"] = "false",
            ["ChaosLab__SessionIdleTimeout"] = "01:00:00",

            // The held clients have no receive pending, so they cannot answer the keep-alive
            // Pings that would otherwise end their sessions mid-run.
            ["ChaosLab__WebSocketKeepAliveInterval"] = "01:00:00",
        },
    });
}

static void WarnIfTooFewFileDescriptors(int sessions)
{
    // This process holds one socket per session (each replica and HAProxy have their own limit).
    var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
    var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
    if (soft is not null && soft != "unlimited" && long.Parse(soft, CultureInfo.InvariantCulture) < sessions + 1024)
    {
        Console.Error.WriteLine($"Warning: the open-files limit is {soft}, too few for {sessions} sessions; run `ulimit -n {Math.Max(sessions * 3, 16384)}` first.");
    }
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.LoadDriver;

// Load driver for the OpenEnv endpoints, on loopback against a separately started server.
//   dotnet run -c Release --project bench/ChaosLab.LoadDriver -- [--duration 10] [--concurrency 1,64,512,2048] [--actions mixed|cheap]
// Prints a Markdown table; see README "Performance".

var options = DriverOptions.Parse(args);
Console.WriteLine($"Server: {options.ServerDll}; actions: {options.Actions}");
await using var server = await ServerProcess.StartAsync(options.ServerDll, maxSessions: options.Concurrency.Max() + 64);

string[] cheapActions =
[
    """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}""",
    """{"type":"call_tool","tool_name":"scratchpad_write","arguments":{"key":"note","value":"checked"}}""",
];
string[] mixedActions =
[
    """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}""",
    """{"type":"call_tool","tool_name":"web_search","arguments":{"query":"population capital"}}""",
    """{"type":"call_tool","tool_name":"document_search","arguments":{"query":"annual revenue filing"}}""",
    """{"type":"call_tool","tool_name":"database_query","arguments":{"sql":"SELECT name FROM countries LIMIT 5"}}""",
    """{"type":"call_tool","tool_name":"scratchpad_write","arguments":{"key":"note","value":"checked"}}""",
];
var tools = (options.Actions == "cheap" ? cheapActions : mixedActions).Select(a => Encoding.UTF8.GetBytes($$"""{"type":"step","data":{{a}}}""")).ToArray();

// Idle memory first, on a fresh server: after the load runs, freed memory the runtime keeps
// would hide what a session costs.
var idle = await MeasureIdleSessionsAsync(server, options.Concurrency.Max());

Console.WriteLine("Warming up...");
await RunWebSocketLoadAsync(server.Address, 4, TimeSpan.FromSeconds(3), tools, seedBase: 9_000_000);

Console.WriteLine();
Console.WriteLine("| transport | sessions | steps | steps/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | failures |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var concurrency in options.Concurrency)
{
    var result = await RunWebSocketLoadAsync(server.Address, concurrency, options.Duration, tools, seedBase: concurrency * 100_000);
    Console.WriteLine(result.ToRow("ws"));
}

var http = await RunHttpLoadAsync(server.Address, options.Duration, tools);
Console.WriteLine(http.ToRow("http"));

Console.WriteLine();
Console.WriteLine(FormattableString.Invariant(
    $"Idle sessions: {idle.Sessions} open after reset; server RSS {idle.BeforeBytes / 1048576.0:F1} MiB -> {idle.AfterBytes / 1048576.0:F1} MiB; {idle.BytesPerSession / 1024.0:F1} KiB per idle session."));
return 0;

static async Task<LoadResult> RunWebSocketLoadAsync(Uri server, int sessions, TimeSpan duration, byte[][] tools, int seedBase)
{
    var clients = new EpisodeSocketClient[sessions];
    for (var i = 0; i < sessions; i++)
    {
        clients[i] = await EpisodeSocketClient.ConnectAsync(server);
    }

    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var failures = 0;
    var started = Stopwatch.GetTimestamp();
    var perClient = await Task.WhenAll(clients.Select(async (client, index) =>
    {
        var latencies = new List<double>(4096);
        var episode = 0;
        try
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var seed = seedBase + index * 1000 + episode++;
                await client.RequestAsync(Encoding.UTF8.GetBytes($$$"""{"type":"reset","data":{"seed":{{{seed}}},"agent":"load-driver"}}"""));
                var done = false;
                for (var step = 0; !done && Stopwatch.GetTimestamp() < deadline; step++)
                {
                    var begin = Stopwatch.GetTimestamp();
                    done = await client.RequestAsync(tools[(index + step) % tools.Length]);
                    latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            Interlocked.Increment(ref failures);
            Console.Error.WriteLine(ex.Message);
        }

        return latencies;
    }));
    var elapsed = Stopwatch.GetElapsedTime(started);
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    return LoadResult.From(sessions, perClient.SelectMany(l => l).ToArray(), elapsed, failures);
}

static async Task<LoadResult> RunHttpLoadAsync(Uri server, TimeSpan duration, byte[][] tools)
{
    using var http = new HttpClient { BaseAddress = server };
    var actions = tools.Select(t => JsonNode.Parse(t)!["data"]!).ToArray();
    var latencies = new List<double>();
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var failures = 0;
    var seed = 0;
    while (Stopwatch.GetTimestamp() < deadline)
    {
        using var reset = await http.PostAsJsonAsync("/reset", new JsonObject { ["seed"] = seed++, ["agent"] = "load-driver" });
        var token = (await reset.Content.ReadFromJsonAsync<JsonObject>())!["episode_token"]!.GetValue<string>();
        var done = false;
        for (var step = 0; !done && Stopwatch.GetTimestamp() < deadline; step++)
        {
            var body = new JsonObject { ["action"] = actions[step % actions.Length].DeepClone(), ["episode_token"] = token };
            var begin = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("/step", body);
            var reply = await response.Content.ReadFromJsonAsync<JsonObject>();
            latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                failures++;
                break;
            }

            done = reply!["done"]!.GetValue<bool>();
        }
    }

    return LoadResult.From(1, [.. latencies], Stopwatch.GetElapsedTime(started), failures);
}

static async Task<IdleMeasurement> MeasureIdleSessionsAsync(ServerProcess server, int sessions)
{
    // Let the previous runs' garbage be collected by the server's own GC as it idles.
    await Task.Delay(TimeSpan.FromSeconds(3));
    var before = server.ResidentBytes();
    var clients = new List<EpisodeSocketClient>(sessions);
    for (var i = 0; i < sessions; i++)
    {
        var client = await EpisodeSocketClient.ConnectAsync(server.Address);
        await client.RequestAsync(Encoding.UTF8.GetBytes($$$"""{"type":"reset","data":{"seed":{{{i}}}}}"""));
        clients.Add(client);
    }

    await Task.Delay(TimeSpan.FromSeconds(3));
    var after = server.ResidentBytes();
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    return new IdleMeasurement(sessions, before, after);
}

internal sealed record IdleMeasurement(int Sessions, long BeforeBytes, long AfterBytes)
{
    public double BytesPerSession => (AfterBytes - BeforeBytes) / (double)Sessions;
}

internal sealed record LoadResult(int Sessions, int Steps, double StepsPerSecond, double P50, double P90, double P99, double Max, int Failures)
{
    public static LoadResult From(int sessions, double[] latencies, TimeSpan elapsed, int failures)
    {
        Array.Sort(latencies);
        double Percentile(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
        return new LoadResult(sessions, latencies.Length, latencies.Length / elapsed.TotalSeconds,
            Percentile(0.50), Percentile(0.90), Percentile(0.99), latencies.Length == 0 ? double.NaN : latencies[^1], failures);
    }

    public string ToRow(string transport) => string.Create(CultureInfo.InvariantCulture,
        $"| {transport} | {Sessions} | {Steps} | {StepsPerSecond:F0} | {P50:F3} | {P90:F3} | {P99:F3} | {Max:F1} | {Failures} |");
}

/// <param name="Actions">"mixed" (retrieval, database, search, calculator, scratchpad) or "cheap" (calculator and scratchpad: protocol overhead).</param>
internal sealed record DriverOptions(string ServerDll, TimeSpan Duration, IReadOnlyList<int> Concurrency, string Actions)
{
    public static DriverOptions Parse(string[] args)
    {
        var repository = FindRepository();
        var serverDll = Path.Combine(repository, "ChaosLab.Web", "bin", "Release", "net10.0", "ChaosLab.Web.dll");
        var duration = TimeSpan.FromSeconds(10);
        IReadOnlyList<int> concurrency = [1, 64, 512, 2048];
        var actions = "mixed";
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--server": serverDll = Path.GetFullPath(args[i + 1]); break;
                case "--duration": duration = TimeSpan.FromSeconds(double.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
                case "--actions": actions = args[i + 1] is "cheap" or "mixed" ? args[i + 1] : throw new ArgumentException("--actions is cheap or mixed"); break;
                case "--concurrency": concurrency = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }

        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"Build the server first: dotnet build -c Release ChaosLab.Web ({serverDll} is missing).");
        }

        return new DriverOptions(serverDll, duration, concurrency, actions);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChaosLab.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

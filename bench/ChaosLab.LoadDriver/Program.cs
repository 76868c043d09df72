using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChaosLab.BenchServers;
using ChaosLab.LoadDriver;

// ChaosLab's /ws beside its floor, a bare Kestrel WebSocket echo (bench/ChaosLab.EchoServer),
// both started as their own processes on loopback and measured in interleaved rounds of one run.
//   dotnet run -c Release --project bench/ChaosLab.LoadDriver [-- --rounds 3 --episodes 400 --seconds 5 --sessions 1024 --scale 10000]
// Building the driver builds both servers. --before <ChaosLab.Web.dll of another build> adds that
// build as a third server in the same rounds, for a before/after comparison under the same load. Figures: per-step latency for one client (calculator
// steps, a mix of real tools, and the episode's final step, which ChaosLab answers only once the
// episode is durable), steps/s with --sessions clients, and --scale clients held at once: all
// served or not, and the server's resident memory per held session.

var options = DriverOptions.Parse(args);
Console.WriteLine($"ChaosLab: {options.ServerDll}");
Console.WriteLine($"echo:     {options.EchoDll}");
if (options.BeforeDll is not null)
{
    Console.WriteLine($"before:   {options.BeforeDll}");
}

Console.WriteLine(FormattableString.Invariant($"{Environment.ProcessorCount} cores; {options.Rounds} rounds of {options.Episodes} episodes per client script; {options.Sessions} sessions for {options.Seconds} s; {options.Scale} held sessions"));
var scripts = new EpisodeScripts();

// Held sessions first, on a fresh pair of servers whose GC may keep at most 8 MB of garbage
// between collections: otherwise the resident size after opening the sessions counts whatever
// garbage the server's GC has not yet needed to collect (the server GC's allocation budget runs
// to tens of MB), and a server that allocates more per reset looks bigger per session than it is.
var held = new Dictionary<string, ScaleResult>();
var boundedGarbage = new Dictionary<string, string> { ["DOTNET_GCgen0MaxBudget"] = "800000" };
var starts = new List<Func<IReadOnlyDictionary<string, string>, int, Task<ServerProcess>>>
{
    (environment, _) => LoadTargets.StartEchoAsync(options.EchoDll, environment),
    (environment, sessions) => LoadTargets.StartChaosLabAsync("ChaosLab", options.ServerDll, sessions, environment),
};
if (options.BeforeDll is { } beforeDll)
{
    starts.Add((environment, sessions) => LoadTargets.StartChaosLabAsync("before", beforeDll, sessions, environment));
}

foreach (var start in starts)
{
    await using var target = await start(boundedGarbage, options.Scale + 64);
    await Scenarios.OneClientAsync(target, scripts.Calculator, episodes: 100, seedBase: 9_200_000);
    Console.WriteLine($"Holding {options.Scale} sessions on {target.Name}...");
    held[target.Name] = await Scenarios.HoldSessionsAsync(target, options.Scale, scripts);
}

await using var targets = new ServerSet();
foreach (var start in starts)
{
    targets.Add(await start(new Dictionary<string, string>(), options.Sessions + 64));
}

var echo = targets[0];
var chaosLabs = targets.Skip(1).ToList();
Console.WriteLine("Warming up...");
foreach (var target in targets)
{
    await Scenarios.OneClientAsync(target, scripts.Calculator, episodes: 100, seedBase: 9_000_000);
    await Scenarios.OneClientAsync(target, scripts.ToolsMix, episodes: 100, seedBase: 9_100_000);
}

var calculator = targets.ToDictionary(t => t, _ => new List<double>());
var toolsMix = targets.ToDictionary(t => t, _ => new List<double>());
var finals = targets.ToDictionary(t => t, _ => new List<double>());
var rounds = new List<RoundRow>();
for (var round = 1; round <= options.Rounds; round++)
{
    // Alternate who goes first, so a drift in the machine's load does not favour one of them.
    foreach (var target in round % 2 == 1 ? targets : Enumerable.Reverse(targets))
    {
        var seedBase = round * 1_000_000;
        var calc = await Scenarios.OneClientAsync(target, scripts.Calculator, options.Episodes, seedBase);
        var mix = await Scenarios.OneClientAsync(target, scripts.ToolsMix, options.Episodes, seedBase + 500_000);
        var load = await Scenarios.ThroughputAsync(target, options.Sessions, TimeSpan.FromSeconds(options.Seconds), scripts.Calculator, seedBase + 600_000);
        calculator[target].AddRange(calc.Steps);
        toolsMix[target].AddRange(mix.Steps);
        finals[target].AddRange(calc.Finals);
        finals[target].AddRange(mix.Finals);
        var row = new RoundRow(round, target.Name, Percentiles.Of(calc.Steps), Percentiles.Of(mix.Steps), Percentiles.Of([.. calc.Finals, .. mix.Finals]), load);
        rounds.Add(row);
        Console.WriteLine(row.ToProgressLine());
    }
}

Console.WriteLine();
Console.WriteLine("## One client, ms per step (all rounds)");
Console.WriteLine();
Console.WriteLine("| server | calculator p50 | p90 | p99 | tools mix p50 | p90 | p99 | final step p50 | p90 | p99 | max |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var target in targets)
{
    var c = Percentiles.Of(calculator[target]);
    var m = Percentiles.Of(toolsMix[target]);
    var f = Percentiles.Of(finals[target]);
    Console.WriteLine(Invariant($"| {target.Name} | {c.P50:F3} | {c.P90:F3} | {c.P99:F3} | {m.P50:F3} | {m.P90:F3} | {m.P99:F3} | {f.P50:F3} | {f.P90:F3} | {f.P99:F3} | {f.Max:F2} |"));
}

Console.WriteLine();
foreach (var chaosLab in chaosLabs)
{
    Console.WriteLine($"Calculator step p50, {chaosLab.Name} / echo, per round: " + string.Join(", ", Enumerable.Range(1, options.Rounds).Select(r =>
        Invariant($"{Find(r, chaosLab).Calculator.P50 / Find(r, echo).Calculator.P50:F2}x"))));
}

Console.WriteLine();
Console.WriteLine(Invariant($"## {options.Sessions} sessions x (reset + 5 calculator steps + submit), {options.Seconds} s per round"));
Console.WriteLine();
Console.WriteLine("| round | server | steps/s | failures | server CPU (cores) | driver CPU (cores) |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|");
foreach (var row in rounds.OrderBy(r => r.Round).ThenBy(r => r.Server, StringComparer.Ordinal))
{
    Console.WriteLine(Invariant($"| {row.Round} | {row.Server} | {row.Load.StepsPerSecond:F0} | {row.Load.Failures} | {row.Load.ServerCores:F2} | {row.Load.DriverCores:F2} |"));
}

Console.WriteLine();
foreach (var chaosLab in chaosLabs)
{
    Console.WriteLine($"Steps/s, {chaosLab.Name} / echo, per round: " + string.Join(", ", Enumerable.Range(1, options.Rounds).Select(r =>
        Invariant($"{Find(r, chaosLab).Load.StepsPerSecond / Find(r, echo).Load.StepsPerSecond:F2}x"))));
}

Console.WriteLine();
Console.WriteLine(Invariant($"## {options.Scale} sessions held at once (connect + reset each, then 5 calculator steps + submit each, all concurrently)"));
Console.WriteLine();
Console.WriteLine("| server | served | failures | RSS before (MiB) | RSS held (MiB) | KiB per held session |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var target in targets)
{
    var s = held[target.Name];
    Console.WriteLine(Invariant($"| {target.Name} | {s.Served} | {s.Failures} | {s.BeforeBytes / 1048576.0:F1} | {s.HeldBytes / 1048576.0:F1} | {s.KiBPerSession:F1} |"));
}

Console.WriteLine();
foreach (var chaosLab in chaosLabs)
{
    Console.WriteLine(Invariant($"Memory per held session, {chaosLab.Name} - echo: {held[chaosLab.Name].KiBPerSession - held[echo.Name].KiBPerSession:F1} KiB"));
}

return rounds.Any(r => r.Load.Failures > 0) || held.Values.Any(s => s.Failures > 0) ? 1 : 0;

RoundRow Find(int round, ServerProcess target) => rounds.Single(r => r.Round == round && r.Server == target.Name);

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

/// <summary>The servers of the rounds, stopped however the run ends.</summary>
internal sealed class ServerSet : List<ServerProcess>, IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var server in this)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>The frames a client sends: an episode is a reset, five tool calls and a submission.</summary>
internal sealed class EpisodeScripts
{
    private static readonly string[] CalculatorCalls =
    [
        """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}""",
    ];

    private static readonly string[] MixedCalls =
    [
        """{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}""",
        """{"type":"call_tool","tool_name":"web_search","arguments":{"query":"population capital"}}""",
        """{"type":"call_tool","tool_name":"document_search","arguments":{"query":"annual revenue filing"}}""",
        """{"type":"call_tool","tool_name":"database_query","arguments":{"sql":"SELECT name FROM countries LIMIT 5"}}""",
        """{"type":"call_tool","tool_name":"scratchpad_write","arguments":{"key":"note","value":"checked"}}""",
    ];

    /// <summary>Five calculator calls: the protocol's own cost, next to nothing in the engine.</summary>
    public byte[][] Calculator { get; } = Script(CalculatorCalls);

    /// <summary>Calculator, web search, document search, a database query and a scratchpad write.</summary>
    public byte[][] ToolsMix { get; } = Script(MixedCalls);

    public static byte[] Reset(int seed) => Encoding.UTF8.GetBytes($$$"""{"type":"reset","data":{"seed":{{{seed}}},"agent":"load-driver"}}""");

    private static byte[][] Script(string[] calls) =>
    [
        .. Enumerable.Range(0, 5).Select(i => Step(calls[i % calls.Length])),
        Step("""{"type":"submit_answer","answer":"126"}"""),
    ];

    private static byte[] Step(string action) => Encoding.UTF8.GetBytes($$"""{"type":"step","data":{{action}}}""");
}

/// <param name="Steps">Latencies of the steps before the final one, ms.</param>
/// <param name="Finals">Latencies of each episode's final step, ms.</param>
internal sealed record EpisodeLatencies(List<double> Steps, List<double> Finals);

/// <param name="ServerCores">Server CPU time over wall time.</param>
/// <param name="DriverCores">This driver's CPU time over wall time: well under the cores left to it means the driver is not the limit.</param>
internal sealed record LoadResult(double StepsPerSecond, int Failures, double ServerCores, double DriverCores);

internal sealed record ScaleResult(int Sessions, int Served, int Failures, long BeforeBytes, long HeldBytes)
{
    public double KiBPerSession => (HeldBytes - BeforeBytes) / 1024.0 / Sessions;
}

internal sealed record RoundRow(int Round, string Server, Percentiles Calculator, Percentiles ToolsMix, Percentiles Final, LoadResult Load)
{
    public string ToProgressLine() => string.Create(CultureInfo.InvariantCulture,
        $"round {Round} {Server,-8} calculator p50 {Calculator.P50:F3} p99 {Calculator.P99:F3} | mix p50 {ToolsMix.P50:F3} p99 {ToolsMix.P99:F3} | final p50 {Final.P50:F3} p99 {Final.P99:F3} ms | {Load.StepsPerSecond:F0} steps/s (server {Load.ServerCores:F2} cores, driver {Load.DriverCores:F2})");
}

internal sealed record Percentiles(double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return new Percentiles(At(0.50), At(0.90), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }
}

internal static class Scenarios
{
    /// <summary>One client plays <paramref name="episodes"/> episodes of <paramref name="script"/> back to back.</summary>
    public static async Task<EpisodeLatencies> OneClientAsync(ServerProcess target, byte[][] script, int episodes, int seedBase)
    {
        await using var client = await EpisodeSocketClient.ConnectAsync(target.Address);
        var result = new EpisodeLatencies(new List<double>(episodes * script.Length), new List<double>(episodes));
        for (var episode = 0; episode < episodes; episode++)
        {
            await client.RequestAsync(EpisodeScripts.Reset(seedBase + episode));
            for (var i = 0; i < script.Length; i++)
            {
                var begin = Stopwatch.GetTimestamp();
                var done = await client.RequestAsync(script[i]);
                var ms = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;

                // The echo never ends an episode: its last frame stands for the final step.
                if (done || i == script.Length - 1)
                {
                    result.Finals.Add(ms);
                    break;
                }

                result.Steps.Add(ms);
            }
        }

        return result;
    }

    /// <summary><paramref name="sessions"/> clients play episodes of <paramref name="script"/> for <paramref name="duration"/>.</summary>
    public static async Task<LoadResult> ThroughputAsync(ServerProcess target, int sessions, TimeSpan duration, byte[][] script, int seedBase)
    {
        var clients = await ConnectAsync(target, sessions);
        var steps = 0L;
        var failures = 0;
        var driverCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpu = target.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            try
            {
                for (var episode = 0; Stopwatch.GetTimestamp() < deadline; episode++)
                {
                    await client.RequestAsync(EpisodeScripts.Reset(seedBase + index * 1000 + episode));
                    for (var i = 0; i < script.Length && Stopwatch.GetTimestamp() < deadline; i++)
                    {
                        var done = await client.RequestAsync(script[i]);
                        Interlocked.Increment(ref steps);
                        if (done)
                        {
                            break;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException)
            {
                Interlocked.Increment(ref failures);
                Console.Error.WriteLine($"[{target.Name}] {ex.Message}");
            }
        }));
        var wall = Stopwatch.GetElapsedTime(started);
        var result = new LoadResult(
            Interlocked.Read(ref steps) / wall.TotalSeconds,
            failures,
            (target.CpuTime() - serverCpu) / wall,
            (Process.GetCurrentProcess().TotalProcessorTime - driverCpu) / wall);
        await Parallel.ForEachAsync(clients, (client, _) => client.DisposeAsync());
        return result;
    }

    /// <summary>
    /// Opens <paramref name="sessions"/> sessions and resets each, reads the server's resident
    /// memory with all of them held, then has every one play the rest of an episode at once.
    /// </summary>
    public static async Task<ScaleResult> HoldSessionsAsync(ServerProcess target, int sessions, EpisodeScripts scripts)
    {
        // Let the server settle after its warm-up before the first reading.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = target.ResidentBytes();
        var clients = new EpisodeSocketClient?[sessions];
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            try
            {
                var client = await EpisodeSocketClient.ConnectAsync(target.Address);
                clients[i] = client;
                await client.RequestAsync(EpisodeScripts.Reset(5_000_000 + i));
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException)
            {
                Report(target, ref failures, ex);
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(3));
        var heldBytes = target.ResidentBytes();

        var served = 0;
        await Task.WhenAll(clients.Select(async client =>
        {
            if (client is null)
            {
                return;
            }

            try
            {
                foreach (var frame in scripts.Calculator)
                {
                    if (await client.RequestAsync(frame))
                    {
                        break;
                    }
                }

                Interlocked.Increment(ref served);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException)
            {
                Report(target, ref failures, ex);
            }
        }));
        await Parallel.ForEachAsync(clients, (client, _) => client?.DisposeAsync() ?? ValueTask.CompletedTask);
        return new ScaleResult(sessions, served, failures, before, heldBytes);
    }

    private static async Task<EpisodeSocketClient[]> ConnectAsync(ServerProcess target, int sessions)
    {
        var clients = new EpisodeSocketClient[sessions];
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, _) => clients[i] = await EpisodeSocketClient.ConnectAsync(target.Address));
        return clients;
    }

    private static void Report(ServerProcess target, ref int failures, Exception ex)
    {
        // The first few say why; the count says how many.
        if (Interlocked.Increment(ref failures) <= 5)
        {
            Console.Error.WriteLine($"[{target.Name}] {ex.Message}");
        }
    }
}

internal sealed record DriverOptions(string ServerDll, string EchoDll, string? BeforeDll, int Rounds, int Episodes, double Seconds, int Sessions, int Scale)
{
    public static DriverOptions Parse(string[] args)
    {
        var repository = RepositoryRoot.Find();
        var serverDll = Path.Combine(repository, "ChaosLab.Web", "bin", "Release", "net10.0", "ChaosLab.Web.dll");
        var echoDll = Path.Combine(repository, "bench", "ChaosLab.EchoServer", "bin", "Release", "net10.0", "ChaosLab.EchoServer.dll");
        string? beforeDll = null;
        var (rounds, episodes, seconds, sessions, scale) = (3, 400, 5.0, 1024, 10_000);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--server": serverDll = Path.GetFullPath(value); break;
                case "--echo": echoDll = Path.GetFullPath(value); break;
                case "--before": beforeDll = Path.GetFullPath(value); break;
                case "--rounds": rounds = Positive(value); break;
                case "--episodes": episodes = Positive(value); break;
                case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--sessions": sessions = Positive(value); break;
                case "--scale": scale = Positive(value); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see the comment at the top of Program.cs.");
            }
        }

        foreach (var dll in new[] { serverDll, echoDll, beforeDll ?? serverDll })
        {
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"{dll} is missing: run the driver with -c Release (building it builds both servers).");
            }
        }

        return new DriverOptions(serverDll, echoDll, beforeDll, rounds, episodes, seconds, sessions, scale);
    }

    private static int Positive(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"'{value}' is not a positive number.");
}

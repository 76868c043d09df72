using System.Diagnostics;
using System.Globalization;
using ChaosLab.BenchServers;
using ChaosLab.DashboardBench;

// Dashboard pages at scale: builds (once, cached under bench/.data) a store of N recorded
// episodes with the real schema, starts the real server (ChaosLab.Web, Release) on it as its own
// process, and times every dashboard page and the /api requests they mirror.
// Usage: dotnet run -c Release --project bench/ChaosLab.DashboardBench [-- episodes [repeats]]
var episodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var repository = RepositoryRoot.Find();

var dataDirectory = Path.Combine(repository, "bench", ".data", $"dashboard-{episodes}");
var database = await BenchStore.EnsureAsync(dataDirectory, episodes);
Console.WriteLine($"Store: {database.Path} ({new FileInfo(database.Path).Length / 1e6:N0} MB, {episodes:N0} episodes)");

var serverDll = Path.Combine(repository, "ChaosLab.Web", "bin", "Release", "net10.0", "ChaosLab.Web.dll");
var starting = Stopwatch.StartNew();
await using var server = await ServerProcess.StartAsync(new ServerStart("server", serverDll,
    [$"--ChaosLab:DataDirectory={dataDirectory}", "--ChaosLab:Seeding:Enabled=false"]) { StartTimeout = TimeSpan.FromMinutes(2) });
Console.WriteLine($"Server: {server.Address} (pid {server.ProcessId}), answered after {starting.Elapsed.TotalSeconds:F1} s");
using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
var requests = await DashboardRequests.BuildAsync(client);
await new PageTimer(client, repeats).RunAsync(requests);

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.OpenEnv;

namespace ChaosLab.Tests.Deploy;

/// <summary>
/// deploy/haproxy.cfg in front of two real replicas ("r1", "r2", each its own server on a loopback
/// port): HAProxy, not the test, decides where each request goes. Every HTTP episode's steps must
/// reach the replica that holds it, whichever way the token is sent, and a browser gets the
/// dashboard's sticky cookie. Docker cannot run here; this runs the same processes by hand.
/// </summary>
public sealed partial class HaproxyRoutingTests : IClassFixture<HaproxyRoutingTests.Replicas>
{
    private readonly Replicas _replicas;

    public HaproxyRoutingTests(Replicas replicas) => _replicas = replicas;

    [HaproxyFact]
    public async Task Steps_TokenInBodyHeaderOrQuery_ReachTheReplicaThatHoldsTheEpisode()
    {
        await using var balancer = await Balancer.StartAsync(_replicas);
        using var http = new HttpClient { BaseAddress = balancer.Address };
        var holders = new HashSet<string>(StringComparer.Ordinal);

        // leastconn spreads new episodes; a few resets land on both replicas.
        for (var episode = 0; episode < 8; episode++)
        {
            using var reset = await http.PostAsync(new Uri("/reset", UriKind.Relative), Json("""{"scenario_id": "W01", "seed": 7}"""));
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            var token = (string)JsonNode.Parse(await reset.Content.ReadAsStringAsync())!["episode_token"]!;
            holders.Add(token[..token.LastIndexOf('.')]);

            using var inBody = await http.PostAsync(new Uri("/step", UriKind.Relative), Json(Calculator.Replace("TOKEN", token, StringComparison.Ordinal)));
            using var inHeader = new HttpRequestMessage(HttpMethod.Post, new Uri("/step", UriKind.Relative)) { Content = Json("""{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "2+2"}}}""") };
            inHeader.Headers.Add(OpenEnvHttpEndpoints.TokenHeader, token);
            using var headerReply = await http.SendAsync(inHeader);
            using var inQuery = await http.GetAsync(new Uri("/state?episode_token=" + token, UriKind.Relative));

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (inBody.StatusCode, headerReply.StatusCode, inQuery.StatusCode));
        }

        Assert.Equal(["r1", "r2"], holders.Order(StringComparer.Ordinal));
    }

    [HaproxyFact]
    public async Task Dashboard_FirstVisit_GetsTheStickyReplicaCookie()
    {
        await using var balancer = await Balancer.StartAsync(_replicas);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = balancer.Address };

        using var page = await http.GetAsync(new Uri("/web/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => StickyCookie().IsMatch(c));
    }

    private const string Calculator = """{"episode_token": "TOKEN", "action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "1+1"}}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [GeneratedRegex("^chaoslab_replica=r[12];")]
    private static partial Regex StickyCookie();

    /// <summary>Two replicas of the real server, named as in deploy/compose.yaml.</summary>
    public sealed class Replicas : IDisposable
    {
        public ReplicaServer One { get; } = new("r1");

        public ReplicaServer Two { get; } = new("r2");

        public void Dispose()
        {
            One.Dispose();
            Two.Dispose();
        }
    }

    public sealed class ReplicaServer(string id) : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:ReplicaId"] = id });

    /// <summary>HAProxy running deploy/haproxy.cfg with the replicas' addresses in place of the compose service names.</summary>
    private sealed class Balancer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TempDirectory _directory;

        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log;

        private Balancer(Process process, TempDirectory directory, Uri address, System.Collections.Concurrent.ConcurrentQueue<string> log) =>
            (_process, _directory, Address, _log) = (process, directory, address, log);

        /// <summary>What HAProxy logged (health checks, one line per request): shown when a test fails.</summary>
        public string Log => string.Join('\n', _log);

        public Uri Address { get; }

        public static async Task<Balancer> StartAsync(Replicas replicas)
        {
            var port = FreePort();
            var config = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "haproxy.cfg")))
                .Replace("bind :8000", $"bind 127.0.0.1:{port}", StringComparison.Ordinal)
                .Replace("r1:8000", HostPort(replicas.One), StringComparison.Ordinal)
                .Replace("r2:8000", HostPort(replicas.Two), StringComparison.Ordinal);
            var directory = new TempDirectory();
            var file = directory.File("haproxy.cfg");
            await File.WriteAllTextAsync(file, config);
            var start = new ProcessStartInfo(HaproxyFactAttribute.Executable!) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "-db", "-f", file })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
            process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var balancer = new Balancer(process, directory, new Uri($"http://127.0.0.1:{port}/"), log);
            await balancer.WaitUntilBothHealthyAsync();
            return balancer;
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
            _directory.Dispose();
        }

        /// <summary>Until HAProxy listens and its health checks have found both replicas up.</summary>
        private async Task WaitUntilBothHealthyAsync()
        {
            using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (seen.Count < 2)
            {
                Assert.False(_process.HasExited, "haproxy exited: is deploy/haproxy.cfg valid? (haproxy -c -f deploy/haproxy.cfg)");
                Assert.True(DateTime.UtcNow < deadline, "haproxy did not route to both replicas within 30 s:\n" + Log);
                try
                {
                    // A fresh connection each time, so leastconn can pick either replica.
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health", UriKind.Relative)) { Headers = { ConnectionClose = true } };
                    using var reply = await http.SendAsync(request);
                    if (reply.IsSuccessStatusCode)
                    {
                        seen.Add((string)JsonNode.Parse(await reply.Content.ReadAsStringAsync())!["replica"]!);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(100);
            }
        }

        private static string HostPort(ChaosLabAppFactory server) => $"127.0.0.1:{server.ServerAddress.Port}";

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

/// <summary>A test that runs HAProxy: skipped without it unless CHAOSLAB_REQUIRE_HAPROXY=1 (CI installs it).</summary>
public sealed class HaproxyFactAttribute : FactAttribute
{
    public const string RequireVariable = "CHAOSLAB_REQUIRE_HAPROXY";

    public static string? Executable { get; } = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists);

    public HaproxyFactAttribute()
    {
        if (Executable is null && Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"HAProxy is not installed (Debian: apt-get install haproxy). Set {RequireVariable}=1 to make this a failure instead of a skip.";
        }
    }
}

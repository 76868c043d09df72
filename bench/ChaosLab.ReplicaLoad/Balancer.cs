using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChaosLab.BenchServers;

namespace ChaosLab.ReplicaLoad;

/// <summary>
/// HAProxy running deploy/haproxy.cfg with the replicas' loopback addresses in place of the compose
/// service names (as the deploy test does), plus two bench-only lines: room for every held
/// session, and a response header naming the server it chose, so the tool can count each
/// replica's sessions although HAProxy, not the tool, placed them.
/// </summary>
internal sealed class Balancer : IAsyncDisposable
{
    public const string ServerHeader = "X-Bench-Server";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;

    private Balancer(Process process, Uri address, ConcurrentQueue<string> log) => (_process, Address, _log) = (process, address, log);

    public Uri Address { get; }

    public static async Task<Balancer> StartAsync(string directory, ServerProcess r1, ServerProcess r2)
    {
        var port = FreePort();
        var config = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "deploy", "haproxy.cfg")))
            .Replace("global\n", "global\n    maxconn 9000\n", StringComparison.Ordinal)
            .Replace("defaults\n", "defaults\n    maxconn 9000\n", StringComparison.Ordinal)
            .Replace("bind :8000", $"bind 127.0.0.1:{port}\n    http-response set-header {ServerHeader} %[srv_name]", StringComparison.Ordinal)
            .Replace("r1:8000", r1.Address.Authority, StringComparison.Ordinal)
            .Replace("r2:8000", r2.Address.Authority, StringComparison.Ordinal);
        var file = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(file, config);
        var start = new ProcessStartInfo(LoadOptions.HaproxyExecutable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-db", "-f", file })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;

        // One log line per request: keep the last few, shown if it fails.
        var log = new ConcurrentQueue<string>();
        void Keep(string? line)
        {
            log.Enqueue(line ?? "");
            while (log.Count > 50 && log.TryDequeue(out _))
            {
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var balancer = new Balancer(process, new Uri($"http://127.0.0.1:{port}/"), log);
        try
        {
            await balancer.WaitUntilBothHealthyAsync();
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>Until HAProxy listens and its health checks have found both replicas up.</summary>
    private async Task WaitUntilBothHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        while (seen.Count < 2)
        {
            if (_process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("HAProxy did not route to both replicas within 30 s:\n" + string.Join('\n', _log));
            }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

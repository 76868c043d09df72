using System.Diagnostics;
using System.Net.Http.Headers;

namespace ChaosLab.DashboardBench;

/// <summary>
/// Times every request <c>repeats</c> times, round-robin over the list (so a burst of load from
/// elsewhere hits every request alike): time to the response headers and to the last byte.
/// </summary>
internal sealed class PageTimer(HttpClient client, int repeats)
{
    public const double TargetMs = 300;

    /// <summary>A request that takes longer is not repeated: it is reported as timed out.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task RunAsync(IReadOnlyList<TimedRequest> requests)
    {
        var samples = requests.ToDictionary(r => r, _ => (Headers: new List<double>(), Full: new List<double>()));
        var sizes = new Dictionary<TimedRequest, (int Status, long Bytes)>();
        var timedOut = new HashSet<TimedRequest>();
        for (var round = -1; round < repeats; round++)
        {
            foreach (var request in requests.Where(r => !timedOut.Contains(r)))
            {
                using var timeout = new CancellationTokenSource(Timeout);
                var watch = Stopwatch.StartNew();
                using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(request.Url, UriKind.Relative));
                message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.Url.StartsWith("/web", StringComparison.Ordinal) ? "text/html" : "application/json"));
                HttpResponseMessage response;
                byte[] body;
                double headers;
                try
                {
                    response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    headers = watch.Elapsed.TotalMilliseconds;
                    body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    timedOut.Add(request);
                    continue;
                }

                var full = watch.Elapsed.TotalMilliseconds;
                sizes[request] = ((int)response.StatusCode, body.LongLength);
                response.Dispose();
                if (round >= 0)
                {
                    samples[request].Headers.Add(headers);
                    samples[request].Full.Add(full);
                }
            }

            Console.Write($"\rRound {round + 1} of {repeats}");
        }

        Console.WriteLine();
        Console.WriteLine($"{"request",-46} {"status",6} {"KB",7} {"TTFB p50",9} {"max",8} {"full p50",9} {"max",8}");
        foreach (var request in requests)
        {
            if (timedOut.Contains(request))
            {
                Console.WriteLine($"{request.Name,-46} timed out after {Timeout.TotalSeconds:F0} s  OVER 300 ms");
                continue;
            }

            var (headers, full) = samples[request];
            var (status, bytes) = sizes[request];
            var over = Median(full) > TargetMs ? "  OVER 300 ms" : "";
            Console.WriteLine($"{request.Name,-46} {status,6} {bytes / 1024.0,7:F1} {Median(headers),9:F1} {headers.Max(),8:F1} {Median(full),9:F1} {full.Max(),8:F1}{over}");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.ReplicaLoad;

/// <summary>One replica's step and submission latencies, ms, added from many sessions at once.</summary>
internal sealed class LatencyLog
{
    private readonly ConcurrentBag<double> _steps = [];
    private readonly ConcurrentBag<double> _submits = [];

    public IReadOnlyCollection<double> Steps => _steps;

    public IReadOnlyCollection<double> Submits => _submits;

    public void AddStep(double ms) => _steps.Add(ms);

    public void AddSubmit(double ms) => _submits.Add(ms);
}

internal sealed record Percentiles(double P50, double P90, double P99)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return new Percentiles(At(0.50), At(0.90), At(0.99));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{P50:F1} / {P90:F1} / {P99:F1}");
}

/// <summary>Failed sessions by phase and replica ("?" when HAProxy never said where), with the first few reasons.</summary>
internal sealed class ErrorLog
{
    private readonly ConcurrentQueue<(string Phase, string Replica, string Message)> _errors = new();

    public int Total => _errors.Count;

    public string Sample => _errors.IsEmpty ? "" : "; first: " + string.Join(" | ", _errors.Take(3).Select(e => $"[{e.Phase} {e.Replica}] {e.Message}"));

    public void Add(string phase, string replica, Exception ex) => _errors.Enqueue((phase, replica, ex.Message));

    /// <param name="replica">null: every replica, including unknown ones.</param>
    public int Count(string phase, string? replica) => _errors.Count(e => e.Phase == phase && (replica is null || e.Replica == replica));
}

/// <summary>What one replica's <c>/api/episodes</c> says about the run's agent: the total and the first page's ids, to compare replicas.</summary>
internal sealed record EpisodeList(int Total, string FirstPage)
{
    public static async Task<EpisodeList> ReadAsync(HttpClient http, Uri replica, string agent)
    {
        var page = (await http.GetFromJsonAsync<JsonNode>(new Uri(replica, $"/api/episodes?agent={agent}&sort=-started_at&page_size=50")))!;
        var ids = page["items"]!.AsArray().Select(item => (string)item!["id"]!);
        return new EpisodeList((int)page["total"]!, string.Join(',', ids));
    }
}

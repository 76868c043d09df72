using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Tests.Web.Authoring;

namespace ChaosLab.Tests.Web.Telemetry;

/// <summary>The server with its own replica id, so its session gauges are told apart from other test servers'.</summary>
public sealed class MetricsAppFactory() : ChaosLabAppFactory(new Dictionary<string, string>
{
    ["ChaosLab:ReplicaId"] = Replica,
    ["ChaosLab:Metrics:WorkItemRefreshInterval"] = "00:00:00.2",
})
{
    public const string Replica = "metrics-test-replica";
}

/// <summary>A server whose operator turned the metrics off, as the public Space's Dockerfile does.</summary>
public sealed class MetricsOffAppFactory() : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:Metrics:Enabled"] = "false" });

/// <summary>
/// The metrics tests run alone, after the parallel ones: OpenTelemetry subscribes to meters by name
/// across the process, and while other test servers' meters of the same name were alive, a
/// scrape in CI once lacked this server's own step counter.
/// </summary>
[CollectionDefinition(nameof(MetricsAlone), DisableParallelization = true)]
public sealed class MetricsAlone;

/// <summary><c>/metrics</c> over real HTTP: Prometheus text of what the engine did, an admin key when one is set, 404 when off.</summary>
[Collection(nameof(MetricsAlone))]
public sealed partial class MetricsEndpointTests(MetricsAppFactory app) : IClassFixture<MetricsAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task Get_AfterResetAndSteps_PrometheusTextOfStepsLatencySessionsAndRecorder()
    {
        using var reset = await _client.PostAsync(new Uri("/reset", UriKind.Relative), Json("""{"seed": 3, "task_id": "task1", "tier": "warmup"}"""));
        var token = (await reset.Content.ReadFromJsonAsync<JsonObject>())!["episode_token"]!.GetValue<string>();
        for (var i = 0; i < 2; i++)
        {
            using var step = await _client.PostAsync(new Uri($"/step?episode_token={token}", UriKind.Relative),
                Json("""{"action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "6*7"}}}"""));
            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        }

        using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        // At least: other test servers in this process play the tools suite on meters of the same name.
        Assert.True(Sample(text, "chaoslab_steps_total", "suite=\"tools\"") >= 2, text);
        Assert.True(Sample(text, "chaoslab_resets_total", "suite=\"tools\"") >= 1, text);
        Assert.True(Sample(text, "chaoslab_step_duration_seconds_count", "suite=\"tools\"") >= 2, text);
        Assert.Matches("""chaoslab_step_duration_seconds_bucket\{[^}]*suite="tools"[^}]*le="0.0005"\} \d""", text);
        Assert.Equal(1, Sample(text, "chaoslab_sessions_open", $"replica=\"{MetricsAppFactory.Replica}\""));
        Assert.Equal(4096, Sample(text, "chaoslab_sessions_capacity", $"replica=\"{MetricsAppFactory.Replica}\""));
        Assert.Matches(SampleLine("chaoslab_recorder_queue_depth"), text);
        Assert.Matches(SampleLine("chaoslab_store_write_duration_seconds_count"), text);
        // ASP.NET Core's own meters come along.
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WorkItems_CountedInTheBackgroundAndServedByStatus()
    {
        // The count is a query the scrape does not wait for: it appears once the refresher has run.
        var text = "";
        for (var attempt = 0; attempt < 50 && !text.Contains("chaoslab_evaluation_work_items{", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            text = await _client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        // The counts themselves are ChaosLabGaugesTests' (other test servers here count their own stores).
        Assert.Matches("""chaoslab_evaluation_work_items\{[^}]*status="pending"[^}]*\} \d""", text);
        Assert.Matches("""chaoslab_evaluation_work_items\{[^}]*status="leased"[^}]*\} \d""", text);
    }

    [Fact]
    public async Task Post_MethodNotAllowed()
    {
        using var response = await _client.PostAsync(new Uri("/metrics", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnderTheDashboardPathBase_NotServed()
    {
        using var response = await _client.GetAsync(new Uri("/web/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("chaoslab_", text, StringComparison.Ordinal);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include <paramref name="label"/>.</summary>
    private static double Sample(string text, string metric, string label)
    {
        var match = Assert.Single(text.Split('\n'), line => line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal));
        return double.Parse(match.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Regex SampleLine(string metric) => new($@"(?m)^{Regex.Escape(metric)}\{{[^}}]*\}} \d");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

/// <summary>With <c>ChaosLab:AdminKey</c> set, the metrics are the operator's.</summary>
public sealed class MetricsAdminKeyTests(AdminKeyAppFactory app) : IClassFixture<AdminKeyAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task Get_NoKey_401ProblemSayingWhatToSend()
    {
        using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Reading the metrics needs the operator's admin key", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WrongKey_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-admin-key-at-all");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_AdminKey_200PrometheusText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKeyAppFactory.Key);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chaoslab_sessions_capacity{", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class MetricsOffTests(MetricsOffAppFactory app) : IClassFixture<MetricsOffAppFactory>
{
    [Fact]
    public async Task Get_Disabled_404LikeAnyUnknownPath()
    {
        using var client = app.CreateHttpClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not Found", body!["detail"]!.GetValue<string>());
    }
}

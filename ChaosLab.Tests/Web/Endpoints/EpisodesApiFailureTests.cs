using System.Net;
using System.Text.Json.Nodes;
using ChaosLab.Core.Recording;
using ChaosLab.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static ChaosLab.Tests.Infrastructure.EpisodeSamples;

namespace ChaosLab.Tests.Web.Endpoints;

/// <summary>What clients see when the store breaks under a running server: each test breaks its own server.</summary>
public sealed class EpisodesApiFailureTests : IDisposable
{
    private readonly ChaosLabAppFactory _app = new();
    private readonly HttpClient _client;

    public EpisodesApiFailureTests() => _client = _app.CreateHttpClient();

    [Fact]
    public async Task GetHealth_StoreUnavailableThenBack_DegradedWithReasonThenHealthy()
    {
        var recorder = _app.Services.GetRequiredService<EpisodeRecorder>();
        var degraded = WhenHealth(recorder, h => !h.Healthy);
        var away = _app.DataDirectory + "-away";
        Directory.Move(_app.DataDirectory, away);
        recorder.EpisodeStarted(Start(Info("ep-outage")), Reset());

        await degraded;
        using (var response = await _client.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("degraded", (string?)health["status"]);
            Assert.Contains("chaoslab.db", (string?)health["reason"], StringComparison.Ordinal);
        }

        var healthy = WhenHealth(recorder, h => h.Healthy);
        Directory.Move(away, _app.DataDirectory);
        await healthy;

        Assert.Equal("healthy", (string?)JsonNode.Parse(await _client.GetStringAsync(new Uri("/health", UriKind.Relative)))!["status"]);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/api/episodes/ep-outage", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ListEpisodes_StoreBroken_InternalServerErrorProblemWithoutDetails()
    {
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "chaoslab.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE episodes RENAME TO episodes_gone";
            await command.ExecuteNonQueryAsync();
        }

        using var response = await _client.GetAsync(new Uri("/api/episodes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(500, (int)problem["status"]!);
        Assert.DoesNotContain("Sqlite", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static Task<RecorderHealth> WhenHealth(EpisodeRecorder recorder, Func<RecorderHealth, bool> condition)
    {
        var reached = new TaskCompletionSource<RecorderHealth>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, RecorderHealth health)
        {
            if (condition(health))
            {
                recorder.HealthChanged -= OnChanged;
                reached.TrySetResult(health);
            }
        }

        recorder.HealthChanged += OnChanged;
        return reached.Task;
    }
}

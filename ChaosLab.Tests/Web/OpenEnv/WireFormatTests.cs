using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>How values are written on every OpenEnv transport: one timestamp format, readable text.</summary>
public sealed partial class WireFormatTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    private readonly HttpClient _client = app.CreateHttpClient();

    [Fact]
    public async Task HttpResetAndState_Time_SameIsoUtcFormatWithMilliseconds()
    {
        using var reset = await _client.PostAsync(new Uri("/reset", UriKind.Relative), Json("""{"seed":3}"""));
        var reply = JsonNode.Parse(await reset.Content.ReadAsStringAsync())!;
        var token = reply["episode_token"]!.GetValue<string>();

        var state = JsonNode.Parse(await _client.GetStringAsync(new Uri($"/state?episode_token={token}", UriKind.Relative)))!;

        var observed = reply["observation"]!["time"]!.GetValue<string>();
        Assert.Matches(WireTime(), observed);
        Assert.Equal(observed, state["time"]!.GetValue<string>());
    }

    [Fact]
    public async Task WebSocketState_Time_SameFormatAsTheObservation()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));

        var reset = await client.RequestAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["seed"] = 3 } });
        var state = await client.RequestAsync(new JsonObject { ["type"] = "state" });

        var observed = reset["data"]!["observation"]!["time"]!.GetValue<string>();
        Assert.Matches(WireTime(), observed);
        Assert.Equal(observed, state["data"]!["time"]!.GetValue<string>());
    }

    [Fact]
    public async Task HttpError_MessageWithApostrophes_WrittenReadably()
    {
        using var response = await _client.PostAsync(new Uri("/reset", UriKind.Relative), Json("""{"suite":"nope"}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Unknown suite 'nope'.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketError_MessageWithApostrophes_WrittenReadably()
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress("/ws"));

        await client.SendAsync(new JsonObject { ["type"] = "reset", ["data"] = new JsonObject { ["suite"] = "nope" } });
        var frame = await client.ReceiveRawAsync();

        Assert.Contains("\"type\":\"error\"", frame, StringComparison.Ordinal);
        Assert.Contains("Unknown suite 'nope'.", frame, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", frame, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiProblem_MessageWithApostrophes_WrittenReadably()
    {
        using var response = await _client.GetAsync(new Uri("/api/episodes?fault=bogus", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown fault 'bogus'.", body, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex WireTime();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Mcp;

namespace ChaosLab.Tests.Web.Replicas;

/// <summary>
/// Sessions live in one replica's process: their credentials name the replica, and another
/// replica answers 421 naming the holder (over real HTTP, on a server that is replica "r1").
/// </summary>
public sealed class ReplicaRoutingTests(ReplicaRoutingTests.ReplicaOneFactory app) : IClassFixture<ReplicaRoutingTests.ReplicaOneFactory>
{
    private readonly HttpClient _http = app.CreateHttpClient();

    [Fact]
    public async Task Reset_TokenStartsWithThisReplicaAndTheReplyNamesIt()
    {
        using var response = await PostAsync("/reset", """{"scenario_id": "W01", "seed": 7}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("r1", Assert.Single(response.Headers.GetValues(OpenEnvHttpEndpoints.ReplicaHeader)));
        var token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["episode_token"]!;
        Assert.Matches("^r1\\.[0-9a-f]{32}$", token);

        using var step = await PostAsync("/step", """{"episode_token": "TOKEN", "action": {"type": "call_tool", "tool_name": "calculator", "arguments": {"expression": "1+1"}}}""".Replace("TOKEN", token, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, step.StatusCode);
    }

    [Theory]
    [InlineData("/step", """{"episode_token": "r2.0123456789abcdef0123456789abcdef", "action": {"type": "submit_answer", "answer": "x"}}""")]
    [InlineData("/state?episode_token=r2.0123456789abcdef0123456789abcdef", null)]
    public async Task StepOrState_TokenOfAnotherReplica_421NamingIt(string path, string? body)
    {
        using var response = body is null ? await _http.GetAsync(new Uri(path, UriKind.Relative)) : await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Equal("r2", Assert.Single(response.Headers.GetValues(OpenEnvHttpEndpoints.ReplicaHeader)));
        Assert.Contains("held by replica 'r2'", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("r1.0123456789abcdef0123456789abcdef")]
    [InlineData("not a replica.0123")]
    public async Task Step_TokenOfNoOpenEpisodeHereOrOfNoKnownShape_403AsBefore(string token)
    {
        using var response = await PostAsync("/step", """{"episode_token": "TOKEN", "action": {"type": "submit_answer", "answer": "x"}}""".Replace("TOKEN", token, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains(OpenEnvHttpEndpoints.ReplicaHeader));
    }

    [Fact]
    public async Task Mcp_SessionHeaderOfAnotherReplica_421WithAJsonRpcError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/mcp", UriKind.Relative))
        {
            Content = new StringContent("""{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(McpHttpEndpoints.SessionHeader, "r2.0123456789abcdef0123456789abcdef");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Equal("r2", Assert.Single(response.Headers.GetValues(OpenEnvHttpEndpoints.ReplicaHeader)));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(-32600, (int)error["code"]!);
        Assert.Contains("held by replica 'r2'", (string)error["message"]!, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    public sealed class ReplicaOneFactory() : ChaosLabAppFactory(new Dictionary<string, string> { ["ChaosLab:ReplicaId"] = "r1" });
}

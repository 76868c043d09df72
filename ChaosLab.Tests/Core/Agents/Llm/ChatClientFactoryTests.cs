using ChaosLab.Core.Agents.Llm;
using ChaosLab.Tests.Infrastructure.FakeOpenAi;
using Microsoft.Extensions.AI;

namespace ChaosLab.Tests.Core.Agents.Llm;

/// <summary>A profile's chat client against the fake server: headers, body, retries and failures, over real HTTP.</summary>
public sealed class ChatClientFactoryTests : IAsyncLifetime
{
    private const string Key = "sk-test-SECRET-4242";
    private const string KeyVariable = "CHAOSLAB_TEST_KEY";

    private readonly InstantDelays _time = new();
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetResponse_ProfileWithKeyVariable_SendsHeaderAndBodyAsWritten()
    {
        var profile = AgentProfiles.Parse($$"""
            p:
              parameters:
                url: "{{_server.BaseUrl}}"
                headers:
                  Authorization: "Bearer ${{{KeyVariable}}}"
                  X-Team: chaos
                body:
                  model: my-model
                  max_tokens: 77
                  temperature: 0.3
                  top_p: 0.5
                  seed: 11
            """).Get("p");
        _server.Enqueue(FakeReply.Text("hi"));
        using var client = ChatClientFactory.Create(profile, _time, Environment);

        var response = await client.GetResponseAsync("hello");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("hi", response.Text);
        Assert.Equal("Bearer " + Key, request.Header("Authorization"));
        Assert.Equal("chaos", request.Header("X-Team"));
        Assert.Equal("my-model", request.Model);
        Assert.Equal(77, request.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.3, request.Body["temperature"]!.GetValue<double>());
        Assert.Equal(0.5, request.Body["top_p"]!.GetValue<double>());
        Assert.Equal(11, request.Body["seed"]!.GetValue<int>());
        Assert.Equal(1, RetryingChatClient.AttemptsOf(response));
    }

    [Fact]
    public async Task GetResponse_ProfileWithoutHeaders_SendsNoAuthorization()
    {
        _server.Enqueue(FakeReply.Text("hi"));
        using var client = ChatClientFactory.Create(Profile(), _time, Environment);

        await client.GetResponseAsync("hello");

        Assert.Null(Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task GetResponse_KeyVariableUnset_NamesVariableAndSendsNothing()
    {
        using var client = ChatClientFactory.Create(Profile(keyVariable: "CHAOSLAB_UNSET_VARIABLE"), _time, Environment);

        var error = await Assert.ThrowsAsync<ProfileVariableException>(() => client.GetResponseAsync("hello"));

        Assert.Equal("CHAOSLAB_UNSET_VARIABLE", error.Variable);
        Assert.Contains("environment variable CHAOSLAB_UNSET_VARIABLE (used by header Authorization) is not set", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetResponse_RateLimited_WaitsRetryAfterThenSucceeds()
    {
        _server.Enqueue(FakeReply.RateLimited(TimeSpan.FromSeconds(7)), FakeReply.Text("ok"));
        using var client = ChatClientFactory.Create(Profile(retries: 3), _time, Environment);

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, RetryingChatClient.AttemptsOf(response));
        Assert.Equal([TimeSpan.FromSeconds(7)], _time.Delays);
    }

    [Fact]
    public async Task GetResponse_RetryAfterBeyondCap_WaitsTheCap()
    {
        _server.Enqueue(FakeReply.RateLimited(TimeSpan.FromHours(1)), FakeReply.Text("ok"));
        using var client = ChatClientFactory.Create(Profile(retries: 1), _time, Environment);

        await client.GetResponseAsync("hello");

        Assert.Equal([RetryingChatClient.MaxRetryAfter], _time.Delays);
    }

    [Fact]
    public async Task GetResponse_ServerErrors_ExponentialBackoffThenSucceeds()
    {
        _server.Enqueue(FakeReply.ServerError(), FakeReply.ServerError(), FakeReply.Error(503, "overloaded"), FakeReply.Text("ok"));
        using var client = ChatClientFactory.Create(Profile(retries: 3), _time, Environment);

        var response = await client.GetResponseAsync("hello");

        Assert.Equal(4, RetryingChatClient.AttemptsOf(response));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _time.Delays);
    }

    [Fact]
    public async Task GetResponse_SlowerThanTimeout_RetriedThenSucceeds()
    {
        _server.Enqueue(FakeReply.Text("late").After(TimeSpan.FromSeconds(20)), FakeReply.Text("ok"));
        using var client = ChatClientFactory.Create(Profile(retries: 1, timeoutSeconds: 0.5), _time, Environment);

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, RetryingChatClient.AttemptsOf(response));
    }

    [Fact]
    public async Task GetResponse_ServerErrorsBeyondRetries_GivesUpWithProfileUrlAndStatus()
    {
        _server.Enqueue(FakeReply.ServerError(), FakeReply.ServerError(), FakeReply.ServerError(), FakeReply.Text("too late"));
        using var client = ChatClientFactory.Create(Profile(retries: 2), _time, Environment);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(500, error.Failure.Status);
        Assert.Equal(
            $"agent profile 'fake': model endpoint {_server.ChatCompletionsUrl} HTTP 500 (server_error): The server had an error while processing your request. (after 3 requests)",
            error.Message);
    }

    [Fact]
    public async Task GetResponse_Unauthorized_NotRetriedAndKeyScrubbedFromEchoedMessage()
    {
        _server.Enqueue(FakeReply.Error(401, $"Incorrect API key provided: {Key}.", "invalid_api_key"));
        using var client = ChatClientFactory.Create(Profile(keyVariable: KeyVariable, retries: 3), _time, Environment);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(1, error.Attempts);
        Assert.Single(_server.Requests);
        Assert.Contains("HTTP 401 (invalid_api_key): Incorrect API key provided: ***.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task GetResponse_NothingListening_UnreachableAfterRetries()
    {
        using var client = ChatClientFactory.Create(Profile(url: ClosedPort.Url(), retries: 1), _time, Environment);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(ModelEndpointFailureKind.Unreachable, error.Failure.Kind);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("unreachable: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_CallerCancels_CancellationNotAnEndpointFailure()
    {
        _server.Enqueue(FakeReply.Text("late").After(TimeSpan.FromSeconds(20)));
        using var client = ChatClientFactory.Create(Profile(retries: 3), _time, Environment);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hello", cancellationToken: cancellation.Token));

        Assert.Single(_server.Requests);
    }

    private static string? Environment(string name) => name == KeyVariable ? Key : null;

    private AgentProfile Profile(string? keyVariable = null, int retries = 0, double timeoutSeconds = 10, string? url = null)
    {
        var profile = AgentProfiles.Parse(_server.ProfileYaml(keyVariable: keyVariable, retries: retries, timeoutSeconds: timeoutSeconds)).Get("fake");
        return url is null ? profile : profile with { Endpoint = new Uri(url + "/") };
    }
}

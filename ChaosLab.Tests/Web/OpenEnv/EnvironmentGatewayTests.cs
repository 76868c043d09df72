using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.OpenEnv;
using ChaosLab.Web.OpenEnv.Sessions;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>The start sequence every transport shares, over a suite of the tests' own.</summary>
public sealed class EnvironmentGatewayTests : IAsyncLifetime
{
    private RecordingHarness _harness = null!;
    private EnvironmentGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _harness = await RecordingHarness.StartAsync();
        _gateway = TestGateway.Create(_harness, new SuiteCatalog([new ToySuite("toy", "toy-bot")]), maxSessions: 1);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task StartAsync_ResetRefused_ClosesTheSessionItOpened()
    {
        using var parameters = JsonDocument.Parse("""{"scenario_id":"nope"}""");

        var launch = await _gateway.StartAsync(parameters.RootElement, ClientKinds.Http, SessionLifetime.OneEpisode, CancellationToken.None);

        Assert.False(launch.Started);
        Assert.Null(launch.Session);
        Assert.Equal("scenario_id", Assert.Single(launch.Reset.Errors).Path);
        Assert.Equal(0, _gateway.Sessions.ActiveSessions);
    }

    [Fact]
    public async Task StartAsync_NoSlotFree_ServerFullWithTheCapacityMessage()
    {
        Assert.NotNull(_gateway.Sessions.TryOpen(ClientKinds.WebSocket, _gateway.DefaultSuite, SessionLifetime.Socket));

        var launch = await _gateway.StartAsync(default, ClientKinds.Mcp, SessionLifetime.UntilClosed, CancellationToken.None);

        Assert.True(launch.ServerFull);
        Assert.Contains("Server at capacity: 1/1", launch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepAsync_OneEpisodeSessionEnds_GivesItsSlotBackAndStaysReadable()
    {
        var launch = await _gateway.StartAsync(default, ClientKinds.Http, SessionLifetime.OneEpisode, CancellationToken.None);
        using var action = JsonDocument.Parse("""{"type":"submit_answer","answer":"done"}""");

        var step = await launch.Session!.StepAsync(action.RootElement, CancellationToken.None);

        Assert.True(step.Value!.Done);
        Assert.Equal(0, _gateway.Sessions.ActiveSessions);
        Assert.Same(launch.Session, _gateway.Sessions.Find(launch.Session.Id));
    }

    [Fact]
    public async Task StartTrustedAsync_ReservedAgentName_StartsWhereAClientWouldBeRefused()
    {
        using var parameters = JsonDocument.Parse("""{"agent":"toy-bot"}""");
        var request = new ResetRequest("toy", new ResetOptions { Seed = 4 }, "toy-bot");

        var client = await _gateway.StartAsync(parameters.RootElement, ClientKinds.Http, SessionLifetime.OneEpisode, CancellationToken.None);
        var server = await _gateway.StartTrustedAsync(request, ClientKinds.Eval, CancellationToken.None);

        Assert.Contains("reserved", client.Message, StringComparison.Ordinal);
        Assert.True(server.Started);
        Assert.Equal(ClientKinds.Eval, server.Session!.ClientKind);
    }
}

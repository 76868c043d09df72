using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>What a person who runs the server reads on its console.</summary>
public sealed class ConsoleOutputTests
{
    private static readonly TimeSpan SeedingTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Start_EmptyStore_PrintsDashboardAddressAndSeedingStartAndEnd()
    {
        using var data = new TempDirectory();

        await using var server = await ServerProcess.StartAsync(
            data.Path,
            "--Logging:LogLevel:ChaosLab=Information",
            "--ChaosLab:Seeding:Enabled=true",
            "--ChaosLab:Seeding:SeedsPerScenario=1");

        // The address Kestrel really bound (port 0 here), with the dashboard's path.
        var dashboard = await server.WaitForOutputAsync("ChaosLab dashboard: ", SeedingTimeout);
        Assert.EndsWith($"ChaosLab dashboard: {new Uri(server.Address, "/web/")}", dashboard, StringComparison.Ordinal);
        var started = await server.WaitForOutputAsync("First-start seeding: ", SeedingTimeout);
        Assert.Matches(@"playing \d+ episodes", started);
        var finished = await server.WaitForOutputAsync("First-start seeding finished: ", SeedingTimeout);
        Assert.Matches(@"\d+ reference episodes recorded", finished);
    }

    [Theory]
    [InlineData("http://[::]:8000", "http://localhost:8000/web/")]
    [InlineData("http://0.0.0.0:8000", "http://localhost:8000/web/")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234/web/")]
    [InlineData("https://example.org:443/", "https://example.org:443/web/")]
    public void DashboardAddresses_BoundAddress_BrowsableDashboardUrl(string bound, string expected)
    {
        Assert.Equal([expected], ChaosLab.Web.Hosting.StartupAnnouncement.DashboardAddresses([bound]));
    }
}

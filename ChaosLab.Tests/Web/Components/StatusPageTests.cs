using Bunit;
using ChaosLab.Core;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Core.Persistence.Schema;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Pages;
using ChaosLab.Web.Model;
using ChaosLab.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components;

public sealed class StatusPageTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public async Task Render_FreshInstall_ShowsVersionZeroEpisodesAndHonestEmptySuites()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        Register(_directory.Path);

        var page = RenderPage<Status>();

        Assert.Equal("ChaosLab", page.Find("h1").TextContent.Trim());
        Assert.Matches(@"^v\d+\.\d+\.\d+", page.Find("[data-testid=version]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=episode-count]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=suite-count]").TextContent);
        Assert.Contains("No suites are installed", page.Find("[data-testid=suites-empty]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[aria-label='Requests per second over the last minute']"));
        Assert.Equal("Pause", page.Find("[data-testid=toggle-live]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_StoredEpisodes_ShowsTheirCount()
    {
        await new SchemaMigrator(_clock).MigrateAsync(_directory.File("chaoslab.db"));
        Register(_directory.Path);
        await using (var services = BuildPersistence(_directory.Path))
        {
            var store = services.GetRequiredService<EpisodeStore>();
            for (var i = 0; i < 1_204; i++)
            {
                await store.AddAsync(Episode($"ep-{i}"));
            }
        }

        var page = RenderPage<Status>();

        Assert.Equal("1,204", page.Find("[data-testid=episode-count]").TextContent);
        Assert.Matches(@"^\d+(\.\d+)? (KB|MB)$", page.Find("[data-testid=store-file-size]").TextContent);
        Assert.Contains("1,204 episodes", page.Find("[data-testid=store-growth]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_UnreadableStore_ShowsInlineErrorInsteadOfFailing()
    {
        // No schema was created: the query fails the way a broken store would.
        Register(_directory.Path);

        var page = RenderPage<Status>();

        Assert.Empty(page.FindAll("[data-testid=episode-count]"));
        Assert.Contains("could not be read", page.Find("[data-testid=episode-count-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("could not be read", page.Find("[data-testid=store-size-error]").TextContent, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _directory.Dispose();
    }

    private void Register(string dataDirectory)
    {
        var services = Services;
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = dataDirectory }));
        services.AddChaosLabPersistence();
        services.AddSingleton<ServerInfo>();
        services.AddSingleton<RequestRateMonitor>();
        services.AddSingleton(new SuiteCatalog([]));
        services.AddScoped<StatusViewModel>();
    }

    private static ServiceProvider BuildPersistence(string dataDirectory) => new ServiceCollection()
        .AddSingleton(Options.Create(new ChaosLabOptions { DataDirectory = dataDirectory }))
        .AddChaosLabPersistence()
        .BuildServiceProvider();

    private static EpisodeEntity Episode(string id) => new()
    {
        Id = id,
        Suite = "tools",
        TaskId = "task1",
        Tier = "warmup",
        ScenarioId = "W01",
        Seed = 1,
        Agent = "naive",
        ClientKind = "ws",
        StartedAt = Now,
    };
}

using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Controls;
using ChaosLab.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Components;

public sealed class SeedingBannerTests : DashboardTestContext
{
    [Fact]
    public void Banner_WhileRunning_ShowsProgressAndGoesWhenSeedingEnds()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var progress = new SeedingProgress();
        progress.Start(189);
        progress.Advance();
        progress.Advance();
        Services.AddSingleton(progress);
        Services.AddSingleton<TimeProvider>(clock);

        var banner = RenderPage<SeedingBanner>();

        Assert.Equal("2 / 189", banner.Find("[data-testid=seeding-count]").TextContent);
        Assert.Equal("2", banner.Find("[aria-label='Seeding progress']").GetAttribute("aria-valuenow"));

        progress.Finish(SeedingState.Completed, "done");
        clock.Advance(TimeSpan.FromSeconds(1));

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid=seeding-banner]")));
    }
}

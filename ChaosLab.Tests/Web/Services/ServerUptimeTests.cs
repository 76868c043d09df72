using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Model;
using ChaosLab.Web.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Services;

public sealed class ServerUptimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Uptime_FirstAskedAnHourAfterStart_CountsFromTheHostStart()
    {
        using var app = new ClockedApp(Start);

        app.Clock.Advance(TimeSpan.FromHours(1));
        var server = app.Services.GetRequiredService<ServerInfo>();

        Assert.Equal(Start, server.StartedAt);
        Assert.Equal(TimeSpan.FromHours(1), server.Uptime);
        Assert.Equal(StatusViewModel.FormatUptime(TimeSpan.FromHours(1)), app.Services.CreateScope().ServiceProvider.GetRequiredService<StatusViewModel>().Uptime);
    }

    /// <summary>The real host on a clock the test moves; the clock is set before the base class starts the host.</summary>
    private sealed class ClockedApp(DateTimeOffset start) : ChaosLabAppFactory
    {
        public ManualTimeProvider Clock { get; } = new(start);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}

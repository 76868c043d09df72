using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence.Storage;
using ChaosLab.Tests.Infrastructure.Postgres;
using ChaosLab.Web.Model;
using ChaosLab.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Web.Model;

public sealed class StatusViewModelTests
{
    [Theory]
    [InlineData(0, "0m 0s")]
    [InlineData(59, "0m 59s")]
    [InlineData(61, "1m 1s")]
    [InlineData(3_600, "1h 0m 0s")]
    [InlineData(86_399, "23h 59m 59s")]
    [InlineData(90_061, "1d 1h 1m")]
    [InlineData(-5, "0m 0s")]
    public void FormatUptime_Seconds_ReadableText(int seconds, string expected) =>
        Assert.Equal(expected, StatusViewModel.FormatUptime(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(38_293_504, "36.5 MB")]
    [InlineData(2_147_483_648, "2.0 GB")]
    public void FormatBytes_Bytes_BinaryUnits(long bytes, string expected) =>
        Assert.Equal(expected, StatusViewModel.FormatBytes(bytes));

    [Fact]
    public void FormatGrowth_Growth_BytesAndEpisodes()
    {
        Assert.Equal("+1.2 MB (1,200 episodes)", StatusViewModel.FormatGrowth(new StoreGrowth(1_200, 7_000, 1_258_291)));
        Assert.Equal("+0 B (1 episode)", StatusViewModel.FormatGrowth(new StoreGrowth(1, 0, 0)));
    }

    [StoreTheory]
    public async Task RefreshStoreSizeAsync_Store_FillsTheTexts(StoreProvider provider)
    {
        await using var store = await TestStore.CreateAsync(provider, AddStatusPage);
        var model = store.Get<StatusViewModel>();

        await model.RefreshStoreSizeAsync();

        Assert.Null(model.StoreSizeError);
        Assert.Equal(provider == StoreProvider.Postgres ? "Store in PostgreSQL" : "Store on disk", model.StoreSizeLabel);
        Assert.Equal(0, model.StoreSize!.Episodes);
        Assert.Equal(StatusViewModel.FormatBytes(model.StoreSize.Bytes), model.StoreFileSizeText);
        Assert.Equal("no steps recorded yet", model.StoreBytesPerStepText);
        Assert.Equal("+0 B (0 episodes)", model.StoreGrowthLastHourText);
        Assert.Equal("+0 B (0 episodes)", model.StoreGrowthLastDayText);
    }

    [StoreTheory]
    public async Task RefreshStoreSizeAsync_BrokenStore_ReportsTheError(StoreProvider provider)
    {
        // No schema: the episodes table is missing, as in a broken store.
        await using var store = await TestStore.CreateAsync(provider, AddStatusPage, migrate: false);
        var model = store.Get<StatusViewModel>();

        await model.RefreshStoreSizeAsync();

        Assert.Null(model.StoreSize);
        Assert.Null(model.StoreFileSizeText);
        Assert.Contains("could not be read", model.StoreSizeError, StringComparison.Ordinal);
    }

    private static void AddStatusPage(IServiceCollection services) => services
        .AddSingleton<ServerInfo>()
        .AddSingleton<RequestRateMonitor>()
        .AddSingleton(new SuiteCatalog([]))
        .AddSingleton<StatusViewModel>();
}

using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Runs;

namespace ChaosLab.Tests.Web.Runs;

public sealed class RunCompareViewModelTests : IAsyncLifetime
{
    private RunFixture _runs = null!;

    public async Task InitializeAsync() => _runs = await RunFixture.StartAsync();

    public async Task DisposeAsync() => await _runs.DisposeAsync();

    [Fact]
    public async Task LoadAsync_TwoRuns_PairsByKeyWithPairedDifference()
    {
        var items = RunFixture.Items(("W01", "warmup"), ("W02", "warmup"), ("B01", "beginner"), ("B02", "beginner"));
        var a = await _runs.CreateAsync("a", items, harness: "none");
        var b = await _runs.CreateAsync("b", items);
        await ScoreAsync(a.Id, 0.0, 1.0, 0.5, null);
        await ScoreAsync(b.Id, 1.0, 1.0, 0.25, 1.0);
        var model = new RunCompareViewModel(_runs.Store);

        await model.LoadAsync(a.Id, b.Id);

        Assert.Equal(LoadState.Ready, model.State);
        Assert.Equal(["tools/W01/1/1", "tools/B01/1/1", "tools/W02/1/1"], model.Pairs.Select(p => p.Key));
        Assert.Equal(1, model.Unpaired);
        Assert.Equal(0.5, model.MeanA!.Value, 9);
        Assert.Equal(0.75, model.MeanB!.Value, 9);
        Assert.Equal(0.25, model.Delta!.Mean, 9);
        Assert.Equal((1, 1, 1), (model.Wins, model.Losses, model.Ties));
        Assert.Equal(["warmup", "beginner"], model.TierFigure.Traces[0].X);
        Assert.Equal([0.5, 0.5], model.TierFigure.Traces[0].Y);
        Assert.Equal([1.0, 0.25], model.TierFigure.Traces[1].Y);
        Assert.Equal("B: b (naive, h2+h3+h4+h5)", model.TierFigure.Traces[1].Name);
    }

    [Fact]
    public async Task LoadAsync_NothingScoredInBoth_Empty()
    {
        var a = await _runs.CreateAsync("a", RunFixture.Items(("W01", "warmup")));
        var b = await _runs.CreateAsync("b", RunFixture.Items(("W01", "warmup")));
        await _runs.ScoreAsync(a.Id, "tools/W01/1/1", 1);
        var model = new RunCompareViewModel(_runs.Store);

        await model.LoadAsync(a.Id, b.Id);

        Assert.Equal((LoadState.Empty, 1), (model.State, model.Unpaired));
    }

    [Theory]
    [InlineData(null, "x", "Choose two runs to compare")]
    [InlineData("x", "y", "No run with id 'x'.")]
    public async Task LoadAsync_MissingOrUnknownRun_FailsWithMessage(string? a, string? b, string message)
    {
        var model = new RunCompareViewModel(_runs.Store);

        await model.LoadAsync(a, b);

        Assert.Equal(LoadState.Failed, model.State);
        Assert.StartsWith(message, model.Error, StringComparison.Ordinal);
    }

    private async Task ScoreAsync(string runId, params double?[] scores)
    {
        string[] keys = ["tools/W01/1/1", "tools/W02/1/1", "tools/B01/1/1", "tools/B02/1/1"];
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] is { } score)
            {
                await _runs.ScoreAsync(runId, keys[i], score);
            }
        }
    }
}

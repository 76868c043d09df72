using ChaosLab.Tests.Web.Components.Studio;
using ChaosLab.Web.Model.Studio;

namespace ChaosLab.Tests.Web.Model.Studio;

public sealed class ScenarioPreviewViewModelTests
{
    [Theory]
    [InlineData(0, "Between 1 and 200 seeds.")]
    [InlineData(1, null)]
    [InlineData(200, null)]
    [InlineData(201, "Between 1 and 200 seeds.")]
    public void SeedsError_OutsideOneTo200_Explains(int seeds, string? expected) =>
        Assert.Equal(expected, new ScenarioPreviewViewModel(new FakeScenarioPreview()) { Seeds = seeds }.SeedsError);

    [Fact]
    public void Truncate_LongArguments_CutToTheShownLengthWithAnEllipsis()
    {
        var exact = new string('a', ScenarioPreviewViewModel.ArgumentsShown);

        Assert.Equal(exact, ScenarioPreviewViewModel.Truncate(exact));
        Assert.Equal(exact[..^1] + "…", ScenarioPreviewViewModel.Truncate(exact + "b"));
    }

    [Theory]
    [InlineData(-0.2, 0)]
    [InlineData(0.815, 81.5)]
    [InlineData(1.5, 100)]
    public void BarPercent_Score_ClampedToTheBar(double score, double expected) =>
        Assert.Equal(expected, ScenarioPreviewViewModel.BarPercent(score), 9);
}

using ChaosLab.Web.Model;

namespace ChaosLab.Tests.Web.Model;

public sealed class CreditLevelsTests
{
    [Theory]
    [InlineData(0.4, 0.4, CreditLevel.Full)]
    // 0.1 + 0.2 earned of a 0.3 weight: full, despite floating-point rounding.
    [InlineData(0.3, 0.1 + 0.2, CreditLevel.Full)]
    [InlineData(0.6, 0.2, CreditLevel.Partial)]
    [InlineData(0.6, 0, CreditLevel.None)]
    [InlineData(0, 0, CreditLevel.Unweighted)]
    public void Of_WeightAndCredit_HowMuchWasEarned(double weight, double credit, CreditLevel expected) =>
        Assert.Equal(expected, CreditLevels.Of(weight, credit));
}

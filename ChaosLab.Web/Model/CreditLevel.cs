using ChaosLab.Core.Environment;

namespace ChaosLab.Web.Model;

/// <summary>
/// How much of a criterion's weight the grade gave, whatever the suite calls its verdicts: what
/// the grade table colours by, so a new suite's verdict words need no change to the dashboard.
/// </summary>
public enum CreditLevel
{
    /// <summary>The criterion carries no weight: it cannot earn or lose anything.</summary>
    Unweighted,

    /// <summary>No credit.</summary>
    None,

    /// <summary>Some, not all, of the weight.</summary>
    Partial,

    /// <summary>All of the weight.</summary>
    Full,
}

public static class CreditLevels
{
    // Weights and credits are sums of fractions (0.1 + 0.2): compare with room for rounding.
    private const double Tolerance = 1e-9;

    public static CreditLevel Of(GradeCriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        return Of(criterion.Weight, criterion.Credit);
    }

    public static CreditLevel Of(double weight, double credit) =>
        weight <= Tolerance ? CreditLevel.Unweighted
        : credit >= weight - Tolerance ? CreditLevel.Full
        : credit > Tolerance ? CreditLevel.Partial
        : CreditLevel.None;
}

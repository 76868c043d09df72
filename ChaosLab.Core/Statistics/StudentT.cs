namespace ChaosLab.Core.Statistics;

/// <summary>The Student t distribution's 97.5% quantile: the factor of a two-sided 95% interval (the dashboard's and the ablation table's).</summary>
public static class StudentT
{
    // Exact values for 1-30 degrees of freedom (to 9 digits).
    private static readonly double[] Table =
    [
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
        2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
        2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
    ];

    private const double Z975 = 1.959963984540054;

    public static double Quantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Table.Length)
        {
            return Table[degreesOfFreedom - 1];
        }

        // Cornish-Fisher expansion around the normal quantile; within 1e-6 of the exact value from 31 on.
        double v = degreesOfFreedom, z = Z975, z2 = z * z;
        var z3 = z2 * z;
        var z5 = z3 * z2;
        var z7 = z5 * z2;
        var z9 = z7 * z2;
        return z
            + ((z3 + z) / (4 * v))
            + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * v * v))
            + (((3 * z7) + (19 * z5) + (17 * z3) - (15 * z)) / (384 * v * v * v))
            + (((79 * z9) + (776 * z7) + (1482 * z5) - (1920 * z3) - (945 * z)) / (92160 * v * v * v * v));
    }
}

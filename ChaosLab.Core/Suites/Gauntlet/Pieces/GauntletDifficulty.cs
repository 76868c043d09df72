namespace ChaosLab.Core.Suites.Gauntlet.Pieces;

/// <summary>
/// The built-in difficulty of each tier. Tiers cascade like the seed's failure tiers: warmup
/// grades data integrity, beginner adds statistical stability, intermediate adds resilience,
/// expert grades all three under the harshest inputs.
/// </summary>
public static class GauntletDifficulty
{
    public static IReadOnlyList<string> Tiers { get; } = ["warmup", "beginner", "intermediate", "expert"];

    /// <summary>Cases in a public draw (the examples): a few, so they show each failure class without being the grading set.</summary>
    public const int PublicCases = 4;

    public static PieceDifficulty ForTier(IFragilePiece piece, string tier)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var kinds = piece.FaultKinds.Select(k => k.Name).ToList();
        return tier switch
        {
            "warmup" => new PieceDifficulty(0.3, kinds, 8, [1]),
            "beginner" => new PieceDifficulty(0.5, kinds, 10, [1, 2]),
            "intermediate" => new PieceDifficulty(0.75, kinds, 12, [1, 2, 3]),
            "expert" => new PieceDifficulty(1.0, kinds, 12, [1, 2, 3]),
            _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Not a gauntlet tier."),
        };
    }

    /// <summary>The public examples' difficulty: the same knobs, fewer cases.</summary>
    public static PieceDifficulty Public(PieceDifficulty hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return hidden with { Cases = PublicCases };
    }
}

using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Core.Suites.Gauntlet.Scenarios;

/// <summary>
/// The built-in gauntlet scenarios: one per piece and tier, with the tier's difficulty preset
/// (<see cref="GauntletDifficulty"/>) over all of the piece's fault kinds.
/// </summary>
public sealed class GauntletScenarioCatalog
{
    public const string SuiteName = "gauntlet";

    public GauntletScenarioCatalog(IReadOnlyList<IFragilePiece> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var duplicate = pieces.GroupBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two pieces share the id '{duplicate.Key}'.", nameof(pieces));
        }

        Pieces = pieces;
        Tasks = [.. pieces.Select(p => new TaskDescriptor(p.Id, p.Title, p.Guidance, MaxSteps("expert")))];
        All = [.. pieces.SelectMany(p => Tiers.Select(tier => BuiltIn(p, tier)))];
    }

    public static IReadOnlyList<string> Tiers => GauntletDifficulty.Tiers;

    public IReadOnlyList<IFragilePiece> Pieces { get; }

    /// <summary>One task per piece; its step limit is the widest tier's.</summary>
    public IReadOnlyList<TaskDescriptor> Tasks { get; }

    public IReadOnlyList<GauntletScenarioDefinition> All { get; }

    /// <summary>The agent's step limit by tier: room to read, probe, run the examples a few times and submit.</summary>
    public static int MaxSteps(string tier) => tier switch
    {
        "warmup" => 12,
        "beginner" => 14,
        _ => 16,
    };

    public IFragilePiece? Piece(string taskId) => Pieces.FirstOrDefault(p => p.Id == taskId);

    public static string ScenarioId(string taskId, string tier) => $"gauntlet-{taskId}-{tier}";

    private static GauntletScenarioDefinition BuiltIn(IFragilePiece piece, string tier)
    {
        var difficulty = GauntletDifficulty.ForTier(piece, tier);
        return new GauntletScenarioDefinition(
            ScenarioId(piece.Id, tier),
            1,
            SuiteName,
            piece.Id,
            tier,
            piece.Id,
            $"{piece.Title} ({tier})",
            MaxSteps(tier),
            difficulty.Intensity,
            difficulty.Kinds,
            difficulty.Cases,
            difficulty.GradedTiers);
    }
}

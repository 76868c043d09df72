using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// The gauntlet's fault kinds: the adversarial input classes of its pieces, in piece order. A
/// kind is one piece's (its names are unique across every suite), so the kind names a case's
/// injected class and the piece that draws it.
/// </summary>
public static class GauntletFaultKinds
{
    public static IReadOnlyList<FaultKind> Of(IReadOnlyList<IFragilePiece> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var kinds = pieces.SelectMany(p => p.FaultKinds).ToList();
        var duplicate = kinds.GroupBy(k => k.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? kinds
            : throw new ArgumentException($"Two pieces declare the fault kind '{duplicate.Key}': a kind belongs to one piece.", nameof(pieces));
    }
}

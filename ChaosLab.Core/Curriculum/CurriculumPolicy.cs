using System.Globalization;

namespace ChaosLab.Core.Curriculum;

/// <summary>
/// Picks the tier of a curriculum's next episode from its rules and recent outcomes. Pure: the
/// same inputs give the same decision, so the rules are testable without a store.
/// The window holds only episodes played at the current tier: after a move up it starts empty,
/// so successes on an easier tier never count towards leaving a harder one, and a curriculum
/// moves at most one tier per decision. There is no demotion (the reference has none): a trainer
/// that wants to drop back starts a new curriculum.
/// </summary>
public static class CurriculumPolicy
{
    // Shares such as 4 of 10 against 0.4 must pass despite binary fractions.
    private const double Tolerance = 1e-9;

    /// <param name="recentAtTier">
    /// Whether each graded episode played at <paramref name="currentTier"/> succeeded, newest
    /// first; only the first <see cref="CurriculumRules.Window"/> count.
    /// </param>
    public static CurriculumDecision Decide(CurriculumRules rules, string currentTier, IReadOnlyList<bool> recentAtTier)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(recentAtTier);
        var index = rules.IndexOf(currentTier);
        if (index < 0)
        {
            throw new ArgumentException($"Tier '{currentTier}' is not on the curriculum's ladder.", nameof(currentTier));
        }

        var window = recentAtTier.Take(rules.Window).ToArray();
        var successes = window.Count(s => s);
        var measured = $"{successes} of {window.Length} graded episodes at {currentTier} succeeded{(window.Length == 0 ? "" : $" ({Percent((double)successes / window.Length)})")}";
        if (rules.Tiers[index].Advance is not { } bar)
        {
            return new(currentTier, currentTier, Advanced: false, window.Length, successes,
                $"stays at {currentTier}, the top tier: {measured}");
        }

        var next = rules.Tiers[index + 1].Tier;
        var barText = $"the bar is {bar.MinEpisodes} episodes at {Percent(bar.MinSuccessRate)}";
        var cleared = window.Length >= bar.MinEpisodes && (double)successes / window.Length >= bar.MinSuccessRate - Tolerance;
        return cleared
            ? new(next, currentTier, Advanced: true, window.Length, successes, $"advanced from {currentTier} to {next}: {measured}; {barText}")
            : new(currentTier, currentTier, Advanced: false, window.Length, successes, $"stays at {currentTier}: {measured}; {barText} to reach {next}");
    }

    private static string Percent(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture);
}

/// <summary>The tier a curriculum gives its next episode, and why.</summary>
/// <param name="Tier">The tier the episode is played at.</param>
/// <param name="FromTier">The curriculum's tier before this decision.</param>
/// <param name="WindowEpisodes">Graded episodes at <paramref name="FromTier"/> the decision looked at.</param>
/// <param name="WindowSuccesses">Of those, the successes.</param>
public sealed record CurriculumDecision(string Tier, string FromTier, bool Advanced, int WindowEpisodes, int WindowSuccesses, string Reason);

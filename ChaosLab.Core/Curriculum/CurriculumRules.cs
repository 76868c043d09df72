namespace ChaosLab.Core.Curriculum;

/// <summary>
/// When a curriculum moves an agent up: the suite's tiers, easiest first, each with the bar to
/// leave it, and the size of the rolling window the bar is measured on. Stored with the
/// curriculum as JSON, so a run keeps the rules it started with.
/// </summary>
/// <param name="Window">At most this many of the newest graded episodes at the current tier count.</param>
/// <param name="Tiers">The ladder, easiest first; the last tier's bar is null (there is nowhere to go).</param>
public sealed record CurriculumRules(int Window, IReadOnlyList<TierRule> Tiers)
{
    /// <summary>The reference's rolling window.</summary>
    public const int DefaultWindow = 15;

    // The reference's bars, from its easiest tier up: warmup -> beginner after 5 at 60%,
    // beginner -> intermediate after 8 at 50%, intermediate -> expert after 10 at 40%.
    private static readonly AdvanceBar[] DefaultBars = [new(5, 0.6), new(8, 0.5), new(10, 0.4)];

    /// <summary>
    /// The reference's rules laid onto <paramref name="tiers"/> by position, so any suite with
    /// tiers gets a ladder; a suite with more than four tiers repeats the hardest bar.
    /// </summary>
    public static CurriculumRules Default(IReadOnlyList<string> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return new CurriculumRules(DefaultWindow, [.. tiers.Select((tier, i) => new TierRule(
            tier, i == tiers.Count - 1 ? null : DefaultBars[Math.Min(i, DefaultBars.Length - 1)]))]);
    }

    /// <summary>Problems that would make the rules unusable; empty when they are sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Window < 1)
        {
            problems.Add("the window must hold at least one episode");
        }

        if (Tiers.Count == 0)
        {
            problems.Add("there must be at least one tier");
        }

        for (var i = 0; i < Tiers.Count; i++)
        {
            var (tier, bar) = (Tiers[i].Tier, Tiers[i].Advance);
            if (i == Tiers.Count - 1 && bar is not null)
            {
                problems.Add($"'{tier}' is the last tier and cannot have a bar to advance");
            }
            else if (i < Tiers.Count - 1 && bar is null)
            {
                problems.Add($"'{tier}' needs a bar to advance to '{Tiers[i + 1].Tier}'");
            }
            else if (bar is { } b && (b.MinEpisodes < 1 || b.MinEpisodes > Window || b.MinSuccessRate is < 0 or > 1 || double.IsNaN(b.MinSuccessRate)))
            {
                problems.Add($"'{tier}': min_episodes must be 1 to the window ({Window}) and min_success_rate 0 to 1");
            }
        }

        if (Tiers.Select(t => t.Tier).Distinct(StringComparer.Ordinal).Count() != Tiers.Count)
        {
            problems.Add("tiers must not repeat");
        }

        return problems;
    }

    /// <summary>Position of <paramref name="tier"/> on the ladder, or -1.</summary>
    public int IndexOf(string tier)
    {
        for (var i = 0; i < Tiers.Count; i++)
        {
            if (Tiers[i].Tier == tier)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <param name="Advance">The bar to move to the next tier; null for the last tier.</param>
public sealed record TierRule(string Tier, AdvanceBar? Advance);

/// <summary>At least <paramref name="MinEpisodes"/> graded episodes in the window, and this share of them successes.</summary>
public sealed record AdvanceBar(int MinEpisodes, double MinSuccessRate);

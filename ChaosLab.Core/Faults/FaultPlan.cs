namespace ChaosLab.Core.Faults;

/// <summary>
/// The faults of one scenario, as data: explicit rules (designated bad paths, cascades), then a
/// background probability over a set of kinds. At most one fault fires per call: the first
/// rule that fires, else the background roll.
/// </summary>
public sealed record FaultPlan(double BaseProbability, IReadOnlyList<FaultKind> BaseKinds, IReadOnlyList<FaultRule> Rules)
{
    public static FaultPlan None { get; } = new(0, [], []);
}

/// <param name="Target">A tool or component name, or "*" for any.</param>
/// <param name="Reason">Why the rule exists, shown in the replay's fault inspector.</param>
public sealed record FaultRule(FaultKind Kind, string Target, FaultTrigger Trigger, string Reason, IReadOnlyDictionary<string, string>? Parameters = null)
{
    public bool Matches(string target) => Target == "*" || string.Equals(Target, target, StringComparison.Ordinal);
}

/// <summary>
/// When a rule fires. All conditions must hold; every one is a function of the call alone
/// (never of the order of calls), so decisions are reproducible per (call, occurrence).
/// </summary>
/// <param name="Probability">Chance per call in [0, 1]; 1 means always.</param>
/// <param name="ArgumentsContain">Fires only if the canonical arguments contain one of these (case-insensitive).</param>
/// <param name="Occurrences">Fires only on these occurrence indexes of the exact call (0 = first); null = all.</param>
public sealed record FaultTrigger(double Probability, IReadOnlyList<string>? ArgumentsContain = null, IReadOnlyList<int>? Occurrences = null)
{
    public static FaultTrigger Always { get; } = new(1.0);

    public string Describe()
    {
        var parts = new List<string> { Probability >= 1 ? "always" : $"p={Probability.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}" };
        if (ArgumentsContain is { Count: > 0 })
        {
            parts.Add("args contain " + string.Join("|", ArgumentsContain));
        }

        if (Occurrences is { Count: > 0 })
        {
            parts.Add("occurrence in [" + string.Join(",", Occurrences) + "]");
        }

        return string.Join("; ", parts);
    }
}

/// <summary>One call as the fault layer sees it.</summary>
/// <param name="Occurrence">How many times this exact call (target + canonical arguments) was made before.</param>
/// <param name="ApplicableKinds">The kinds this target can show (a calculator has no stale data).</param>
public sealed record FaultCall(long Seed, string ScenarioId, string Target, string CanonicalArguments, int Occurrence, IReadOnlyList<FaultKind> ApplicableKinds);

using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Mast;

/// <summary>
/// Scores a mast episode from what really happened to the hardened pipeline. The episode score, in [0, 1]:
/// <code>
/// S  = held-out runs passed with the submitted config / N      (N = 20 runs of stream heldout)
/// S0 = the same N runs passed with the default config / N
/// H  = max(0, (S - S0) / (1 - S0)), or 0 when S0 = 1           (the share of the default's failures removed;
///                                                              with none to remove, nothing was hardened)
/// D  = mean over the instance's true MAST faults of
///        0.6 if a diagnosis names its exact code + 0.4 if a diagnosis names its agent,
///      times min(1, true faults / diagnoses given)
/// P  = 0.05 per config field changed from its default that addresses none of the instance's
///      faults (role specifications count per agent), at most 0.3
/// score = clamp(0.7 H + 0.3 D - P, 0, 1), rounded to 4 decimals
/// </code>
/// Submitting the defaults earns exactly 0 whatever the fault rate (H = 0, and no diagnosis was
/// given); "everything on" pays P for every field the instance did not need, and the simulator
/// charges the latency and side failures of each. Step rewards are 0 except
/// <see cref="RefusedCallPenalty"/> for a refused call.
/// </summary>
public static class MastScorer
{
    public const int HeldOutRuns = 20;
    public const double HardeningShare = 0.7;
    public const double DiagnosisShare = 0.3;
    public const double ModeCredit = 0.6;
    public const double ComponentCredit = 0.4;
    public const double UnneededFieldPenalty = 0.05;
    public const double MaxUnneededPenalty = 0.3;
    public const double StepRewardBound = 0.01;
    public const double RefusedCallPenalty = -0.01;

    /// <summary>The score a <see cref="MastScore"/> is the breakdown of, from its inputs alone.</summary>
    public static MastScore Score(MastScoreInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var runs = inputs.Runs;
        var s = (double)inputs.PassedWithConfig / runs;
        var s0 = (double)inputs.PassedWithDefaults / runs;
        var hardening = s0 >= 1 ? 0 : Math.Max(0, (s - s0) / (1 - s0));

        var truth = inputs.TrueFaults;
        var modeHits = truth.Count(f => inputs.Diagnoses.Any(d => Same(d.Code, f.Code)));
        var componentHits = truth.Count(f => inputs.Diagnoses.Any(d => Same(d.Component, f.Agent)));
        var spread = inputs.Diagnoses.Count > truth.Count ? (double)truth.Count / inputs.Diagnoses.Count : 1;
        var modeCredit = truth.Count == 0 ? 0 : ModeCredit * modeHits / truth.Count * spread;
        var componentCredit = truth.Count == 0 ? 0 : ComponentCredit * componentHits / truth.Count * spread;
        var diagnosis = modeCredit + componentCredit;

        var unneeded = inputs.Unneeded;
        var penalty = Math.Min(MaxUnneededPenalty, UnneededFieldPenalty * unneeded.Count);
        var score = Math.Round(Math.Clamp((HardeningShare * hardening) + (DiagnosisShare * diagnosis) - penalty, 0, 1), 4);
        return new MastScore(score, s, s0, hardening, modeCredit, componentCredit, diagnosis, unneeded, penalty, spread);
    }

    /// <summary>The episode grade: the score, its components and one criterion per thing judged.</summary>
    /// <param name="answerKey">The true faults, the reference fix and the default config's held-out success rate.</param>
    public static EpisodeGrade Grade(MastScoreInputs inputs, MastScore score, JsonObject answerKey)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(score);
        var runs = inputs.Runs;
        var truth = inputs.TrueFaults;
        var given = inputs.Diagnoses;
        var spreadNote = score.Spread < 1 ? Invariant($" x {score.Spread:0.###} for {given.Count} diagnoses of {truth.Count} faults") : "";
        var components = new List<RewardComponent>
        {
            new("hardening", Math.Round(HardeningShare * score.Hardening, 6), Invariant($"H = {score.Hardening:0.####}: {inputs.PassedWithConfig}/{runs} held-out runs passed with the config, {inputs.PassedWithDefaults}/{runs} with the defaults")),
            new("diagnosis", Math.Round(DiagnosisShare * score.Diagnosis, 6), Invariant($"D = {score.Diagnosis:0.####}{spreadNote}")),
            new("unneeded_settings", -score.Penalty, score.Unneeded.Count == 0 ? "no setting changed that the pipeline did not need" : $"{score.Unneeded.Count} changed setting(s) address none of the pipeline's faults: {string.Join(", ", score.Unneeded)}"),
            new("score", score.Value, "clamp(0.7 H + 0.3 D - P, 0, 1)"),
        };
        var truthText = string.Join(", ", truth.Select(f => $"{f.Code} at {f.Agent}"));
        var givenText = given.Count == 0 ? null : string.Join(", ", given.Select(d => $"{d.Code ?? "no code"} at {d.Component ?? "no component"}"));
        var criteria = new List<GradeCriterion>
        {
            new("hardening", "the hardened pipeline passes the held-out runs the default config fails",
                Invariant($"S = {score.Success:0.##} ({inputs.PassedWithConfig}/{runs}) against S0 = {score.DefaultSuccess:0.##} ({inputs.PassedWithDefaults}/{runs}): H = {score.Hardening:0.####}"),
                score.Hardening >= 0.999 ? "hardened" : score.Hardening > 0 ? "partly hardened" : "not hardened",
                HardeningShare, Math.Round(HardeningShare * score.Hardening, 6)),
            new("diagnosis_mode", "the MAST code of every true fault: " + string.Join(", ", truth.Select(f => f.Code)), givenText,
                Verdict(score.ModeCredit, ModeCredit, given.Count), DiagnosisShare * ModeCredit, Math.Round(DiagnosisShare * score.ModeCredit, 6)),
            new("diagnosis_component", "the agent at fault of every true fault: " + truthText, givenText,
                Verdict(score.ComponentCredit, ComponentCredit, given.Count), DiagnosisShare * ComponentCredit, Math.Round(DiagnosisShare * score.ComponentCredit, 6)),
            new("unneeded_settings", "no setting changed that addresses none of the pipeline's faults",
                score.Unneeded.Count == 0 ? "none" : string.Join(", ", score.Unneeded),
                score.Unneeded.Count == 0 ? "none" : Invariant($"penalty {score.Penalty:0.##}"), 0, 0),
        };
        var outcome = score.Value >= 0.8 ? "hardened" : score.Value > 0 ? "partial" : "failed";
        return new EpisodeGrade(score.Value, outcome, outcome == "hardened", components, criteria, answerKey);
    }

    /// <summary>The grade of an episode that ended at the step limit without a valid submission.</summary>
    public static EpisodeGrade StepLimit(JsonObject answerKey) => new(
        0,
        "step_limit",
        false,
        [new RewardComponent("score", 0, "the step limit was reached without a valid submission")],
        [],
        answerKey);

    private static string Verdict(double credit, double full, int given) =>
        given == 0 ? "missing" : credit >= full - 1e-9 ? "correct" : credit > 0 ? "partial" : "wrong";

    private static bool Same(string? given, string truth) => given is not null && string.Equals(given.Trim(), truth, StringComparison.OrdinalIgnoreCase);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the score is a function of: counts of held-out runs, the truth, the diagnoses and the config's unneeded changes.</summary>
/// <param name="Unneeded">Settings changed from their defaults that address none of the instance's faults
/// (<see cref="Scenarios.MastFixes.UnneededSettings"/>: field names, <c>role_specs/&lt;agent&gt;</c> per role specification).</param>
public sealed record MastScoreInputs(
    int Runs,
    int PassedWithConfig,
    int PassedWithDefaults,
    IReadOnlyList<TrueFault> TrueFaults,
    IReadOnlyList<DiagnosisClaim> Diagnoses,
    IReadOnlyList<string> Unneeded);

/// <summary>A MAST fault of the instance: its code and the agent at fault.</summary>
public sealed record TrueFault(string Code, string Agent);

/// <summary>One diagnosis as graded: a MAST code and a component, either possibly missing.</summary>
public sealed record DiagnosisClaim(string? Code, string? Component);

/// <param name="Success">S: the config's held-out success rate.</param>
/// <param name="DefaultSuccess">S0: the default config's on the same runs.</param>
/// <param name="Spread">min(1, true faults / diagnoses given).</param>
public sealed record MastScore(
    double Value,
    double Success,
    double DefaultSuccess,
    double Hardening,
    double ModeCredit,
    double ComponentCredit,
    double Diagnosis,
    IReadOnlyList<string> Unneeded,
    double Penalty,
    double Spread);

using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces;

/// <summary>
/// The cases of one draw and the expectations that judge them. The expectations stay in the
/// server's process: the sandbox only ever sees the cases' inputs, and nothing it reports is
/// believed beyond what these checks verify against what the server itself generated.
/// </summary>
public abstract class PieceCases
{
    public abstract IReadOnlyList<HarnessCase> Cases { get; }

    /// <summary>
    /// What each case injects, as fault decisions (kind, target <c>case:&lt;id&gt;</c>, where and
    /// how in the parameters), recorded with the grading step and shown in the fault inspector
    /// once the episode is over.
    /// </summary>
    public abstract IReadOnlyList<FaultDecision> Faults { get; }

    /// <summary>
    /// Verdicts for every case, from the report of a run on exactly <see cref="Cases"/>. Every
    /// check of every graded tier has a verdict per case it applies to; a call that did not
    /// return fails the checks that needed it, with the reason.
    /// </summary>
    public abstract IReadOnlyList<CaseVerdict> Check(HarnessReport report);

    /// <summary>A short description of a case for people ("3 sensors, NaN storm at call 2, burst of 4,000"), without its expectations.</summary>
    public abstract string Describe(string caseId);
}

/// <summary>The verdicts of one case.</summary>
public sealed record CaseVerdict(string CaseId, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>Whether every check of tiers 1..<paramref name="tier"/> passed (the cascade: a tier counts only on top of the ones below).</summary>
    public bool PassesThrough(int tier) => Checks.Where(c => c.Tier <= tier).All(c => c.Passed);

    public bool Exercises(int tier) => Checks.Any(c => c.Tier == tier);
}

/// <summary>One requirement checked on one case.</summary>
/// <param name="Tier">The requirement tier (1-3).</param>
/// <param name="Check">The requirement's id, stable across cases ("numeric_output", "chronological", "buffer_bounded").</param>
/// <param name="Message">For a failure, what an engineer needs: "tier 1: a string reading reached the output at index 14 ('ERR' from sensor p-2)"; null when passed.</param>
/// <param name="Evidence">For a failure, the adversarial input that broke it (an excerpt: the events around it, the call index), shown in the replay.</param>
public sealed record CheckResult(int Tier, string Check, bool Passed, string? Message = null, JsonNode? Evidence = null)
{
    public static CheckResult Pass(int tier, string check) => new(tier, check, true);

    public static CheckResult Fail(int tier, string check, string message, JsonNode? evidence = null) => new(tier, check, false, message, evidence);
}

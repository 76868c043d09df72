using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Consumer;

/// <summary>A draw of the consumer's cases and the checks that judge a run on them.</summary>
internal sealed class ConsumerCases(IReadOnlyList<ConsumerCase> cases) : PieceCases
{
    public override IReadOnlyList<HarnessCase> Cases { get; } = [.. cases.Select(c => c.Harness)];

    public override IReadOnlyList<FaultDecision> Faults { get; } = [.. cases.SelectMany(c => c.Faults)];

    /// <summary>The generated cases with their ground truth (for the checks and tests).</summary>
    public IReadOnlyList<ConsumerCase> Generated { get; } = cases;

    public override IReadOnlyList<CaseVerdict> Check(HarnessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. Generated.Select(c => Check(c, report.Find(c.Id)))];
    }

    public override string Describe(string caseId) =>
        Generated.FirstOrDefault(c => c.Id == caseId)?.Description ?? throw new ArgumentOutOfRangeException(nameof(caseId), caseId, "No such case in this draw.");

    private static CaseVerdict Check(ConsumerCase c, CaseRun? run)
    {
        if (run is null || run.Calls.Count != c.Calls.Count)
        {
            const string message = "the harness did not report this case";
            return new CaseVerdict(c.Id, [
                CheckResult.Fail(IntegrityChecks.Tier, IntegrityChecks.ExactlyOnce, "tier 1: " + message),
                CheckResult.Fail(OrderingChecks.Tier, OrderingChecks.PerKeyOrder, "tier 2: " + message),
                CheckResult.Fail(ResilienceChecks.Tier, ResilienceChecks.StateBounded, "tier 3: " + message),
            ]);
        }

        return new CaseVerdict(c.Id, [
            .. IntegrityChecks.Check(c, run.Calls),
            .. OrderingChecks.Check(c, run.Calls),
            .. ResilienceChecks.Check(c, run.Calls),
        ]);
    }
}

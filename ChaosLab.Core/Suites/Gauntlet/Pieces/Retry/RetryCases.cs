using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces.Retry.Checks;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Retry;

/// <summary>The retry piece's cases of one draw, and the checks of the tiers each case exercises.</summary>
internal sealed class RetryCases(IReadOnlyList<RetryCase> cases) : PieceCases
{
    public IReadOnlyList<RetryCase> All { get; } = cases;

    public override IReadOnlyList<HarnessCase> Cases { get; } = [.. cases.Select(c => c.Harness)];

    public override IReadOnlyList<FaultDecision> Faults { get; } = [.. cases.SelectMany(c => c.Faults)];

    public override IReadOnlyList<CaseVerdict> Check(HarnessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. All.Select(c => Check(c, report.Find(c.Id)))];
    }

    public override string Describe(string caseId) =>
        All.FirstOrDefault(c => c.Id == caseId)?.Summary ?? throw new ArgumentOutOfRangeException(nameof(caseId), caseId, "No such case in this draw.");

    private static CaseVerdict Check(RetryCase retryCase, CaseRun? run)
    {
        if (run is null || run.Calls.Count != retryCase.Calls.Count)
        {
            // Not reported: every check of the case fails with the reason.
            var checks = retryCase.Tiers.SelectMany(t => CheckNames(t).Select(n => CheckResult.Fail(t, n, $"tier {t}: the harness did not report case {retryCase.Id}")));
            return new CaseVerdict(retryCase.Id, [.. checks]);
        }

        var view = new RetryCaseRun(retryCase, run);
        var results = new List<CheckResult>(CorrectnessChecks.Check(view));
        if (retryCase.Tiers.Contains(StabilityChecks.Tier))
        {
            results.AddRange(StabilityChecks.Check(view));
        }

        if (retryCase.Tiers.Contains(ResilienceChecks.Tier))
        {
            results.AddRange(ResilienceChecks.Check(view));
        }

        return new CaseVerdict(retryCase.Id, results);
    }

    private static IEnumerable<string> CheckNames(int tier) => tier switch
    {
        1 => ["one_result_per_request", "invalid_rejected", "permanent_not_retried", "transient_retried", "result_matches_response"],
        2 => ["exponential_backoff", "retry_after_honoured", "writes_not_replayed"],
        _ => ["retry_budget", "circuit_breaker", "half_open_probe", "state_bounded", "telemetry_structured", "telemetry_truthful"],
    };
}

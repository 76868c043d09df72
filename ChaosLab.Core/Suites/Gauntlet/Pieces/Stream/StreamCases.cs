using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces.Stream;

/// <summary>A draw of the stream piece's cases with their ground truth, which never leaves the server.</summary>
public sealed class StreamCases : PieceCases
{
    private readonly IReadOnlyList<int> _gradedTiers;

    internal StreamCases(IReadOnlyList<StreamCaseTruth> truths, IReadOnlyList<int> gradedTiers)
    {
        Truths = truths;
        _gradedTiers = gradedTiers;
        Cases = [.. truths.Select(t => t.Case)];
        Faults = [.. truths.SelectMany(t => t.Faults)];
    }

    public IReadOnlyList<StreamCaseTruth> Truths { get; }

    public override IReadOnlyList<HarnessCase> Cases { get; }

    public override IReadOnlyList<FaultDecision> Faults { get; }

    public override IReadOnlyList<CaseVerdict> Check(HarnessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. Truths.Select(truth =>
        {
            var run = new StreamCaseRun(truth, report.Find(truth.Id));
            var checks = new List<CheckResult>();
            if (_gradedTiers.Contains(1))
            {
                checks.AddRange(StreamIntegrityChecks.Check(run));
            }

            if (_gradedTiers.Contains(2))
            {
                checks.AddRange(StreamStatisticsChecks.Check(run));
            }

            if (_gradedTiers.Contains(3))
            {
                checks.AddRange(StreamResilienceChecks.Check(run));
            }

            return new CaseVerdict(truth.Id, checks);
        })];
    }

    public override string Describe(string caseId) =>
        Truths.FirstOrDefault(t => t.Id == caseId)?.Summary ?? throw new ArgumentException($"No case {caseId} in this draw.", nameof(caseId));
}

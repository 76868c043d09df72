using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Mast.Taxonomy;

namespace ChaosLab.Tests.Suites.Mast.Scenarios;

public sealed class MastScenarioCatalogTests
{
    [Fact]
    public void All_EveryTaskAndTier_HasSeveralScenarios()
    {
        foreach (var task in MastScenarioCatalog.Tasks)
        {
            foreach (var tier in MastScenarioCatalog.Tiers)
            {
                Assert.True(MastScenarioCatalog.All.Count(s => s.TaskId == task.Id && s.Tier == tier) >= 2, $"{task.Id} {tier}");
            }
        }

        Assert.InRange(MastScenarioCatalog.All.Count, 28, 40);
        Assert.Equal(MastScenarioCatalog.All.Count, MastScenarioCatalog.All.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void All_EverySimulatedModeAndBackendFault_AppearsAsACandidate()
    {
        var kinds = MastScenarioCatalog.All.SelectMany(s => s.MastFaults.Candidates.Concat(s.BackendFaults?.Candidates ?? [])).Select(c => c.Kind).ToHashSet();

        Assert.All(MastTaxonomy.All.Where(m => m.Simulated), m => Assert.Contains(MastFaultKinds.All, k => MastFaultKinds.ModeOf(k)?.Code == m.Code && kinds.Contains(k.Name)));
        Assert.All(MastFaultRules.BackendKinds, k => Assert.Contains(k.Name, kinds));
    }

    [Fact]
    public void All_EveryScenario_HasSeveralCandidateModesSoItsIdDoesNotRevealTheMode()
    {
        Assert.All(MastScenarioCatalog.All, s => Assert.True(s.MastFaults.Candidates.Count >= 2, s.Id));
        Assert.All(MastScenarioCatalog.All, s => Assert.Equal(MastScenarioCatalog.MaxSteps(s.Tier), s.StepLimit));
    }
}

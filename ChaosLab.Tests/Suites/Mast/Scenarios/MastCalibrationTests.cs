using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Scenarios;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Tests.Suites.Mast.Scenarios;

/// <summary>The calibrated instances against the real simulator: the answer key works, the deployed pipeline does not.</summary>
public sealed class MastCalibrationTests
{
    private const int Seeds = 20;

    public static TheoryData<string> Scenarios => [.. MastScenarioCatalog.All.Select(s => s.Id)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Create_EveryBuiltInOver20Seeds_ReferenceFixPassesItsCalibrationRunsAndTheDefaultsFailMost(string id)
    {
        var scenario = MastScenarioCatalog.All.Single(s => s.Id == id);
        int passedFixed = 0, passedDefaults = 0, runs = 0;
        for (var seed = 1L; seed <= Seeds; seed++)
        {
            var instance = MastInstances.Create(scenario, seed * 7919);
            var fix = MastFixes.ReferenceFix(instance);
            for (var i = 0; i < MastCalibration.Runs; i++)
            {
                passedFixed += PipelineSimulator.Run(instance, fix, new TrialKey(MastCalibration.Stream, i)).Passed ? 1 : 0;
                passedDefaults += PipelineSimulator.Run(instance, ResilienceConfig.Default, new TrialKey("heldout", i)).Passed ? 1 : 0;
                runs++;
            }
        }

        Assert.True(passedFixed >= 0.9 * runs, $"{id}: the reference fix passed {passedFixed} of {runs} calibration runs");
        Assert.True(passedDefaults < 0.5 * runs, $"{id}: the defaults passed {passedDefaults} of {runs} held-out runs");
    }

    [Fact]
    public void Create_SameSeed_SameCalibratedLimits()
    {
        var scenario = MastScenarioCatalog.All.Single(s => s.Id == "mast-verif-e01");

        Assert.Equal(MastInstances.Create(scenario, 99).Limits, MastInstances.Create(scenario, 99).Limits);
    }

    [Fact]
    public void Create_TierFactors_TighterObjectiveAtHigherTiers()
    {
        var warmup = MastScenarioCatalog.All.Single(s => s.Id == "mast-verif-w01");
        var expert = warmup with { Tier = "expert", SloFactor = MastScenarioCatalog.SloFactor("expert") };

        var loose = MastInstances.Create(warmup, 5);
        var tight = MastInstances.Create(expert, 5);

        Assert.True(tight.Limits.SloMs < loose.Limits.SloMs);
        Assert.Equal(loose.Limits.MaxTurns, tight.Limits.MaxTurns);
    }
}

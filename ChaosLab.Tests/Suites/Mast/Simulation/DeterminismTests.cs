using System.Text.Json;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>A run is a pure function of (seed, scenario, config, key): same inputs, same bytes, in any order, on any thread.</summary>
public sealed class DeterminismTests
{
    private static readonly ResilienceConfig Hardened = ResilienceConfig.Default with
    {
        RetryMax = 2, RetryDelayMs = 200, TimeoutMs = 5_000, CircuitBreakerThreshold = 0.5, Fallback = "summarize", ConsistencyCheck = true,
    };

    [Theory]
    [MemberData(nameof(FaultCase.Kinds), MemberType = typeof(FaultCase))]
    public void SameInputs_GiveByteIdenticalRuns(string kind)
    {
        var instance = FaultCase.Of(kind).Instance;

        foreach (var config in new[] { ResilienceConfig.Default, FaultCase.Of(kind).Fix, Hardened })
        {
            var first = PipelineSimulator.RunMany(instance, config, "heldout", 12).Select(Json).ToList();
            var second = PipelineSimulator.RunMany(instance, config, "heldout", 12).Select(Json).ToList();

            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void Runs_DoNotDependOnOrderOrOnOtherRuns()
    {
        var instance = FaultCase.Of("backend_outage").Instance;
        var other = FaultCase.Of("format_mismatch").Instance;
        var keys = Enumerable.Range(0, 30).Select(i => new TrialKey("heldout", i)).ToList();
        var forward = PipelineSimulator.RunMany(instance, Hardened, keys).ToDictionary(r => r.Key, Json);

        var shuffled = new List<(TrialKey, string)>();
        foreach (var key in Enumerable.Reverse(keys))
        {
            // Other instances and configs in between share the thread's clock and codec.
            PipelineSimulator.Run(other, ResilienceConfig.Default, key);
            PipelineSimulator.Run(instance, ResilienceConfig.Default, key);
            shuffled.Add((key, Json(PipelineSimulator.Run(instance, Hardened, key))));
        }

        Assert.All(shuffled, pair => Assert.Equal(forward[pair.Item1], pair.Item2));
    }

    [Fact]
    public void Runs_OnSeveralThreads_MatchTheSequentialOnes()
    {
        var instance = FaultCase.Of("backend_slow").Instance;
        var config = FaultCase.Of("backend_slow").Fix;
        var expected = PipelineSimulator.RunMany(instance, config, "heldout", 40).Select(Json).ToList();
        var results = new string[4][];

        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            results[t] = [.. PipelineSimulator.RunMany(instance, config, "heldout", 40).Select(Json)])).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void DifferentKeysAndSeeds_GiveDifferentRuns()
    {
        var builder = MastInstanceBuilder.ResearchReport().Slo(60_000);
        var instance = builder.Build();
        var reseeded = builder.Seed(8).Build();

        var a = Json(PipelineSimulator.Run(instance, ResilienceConfig.Default, new TrialKey("heldout", 0)) with { Key = default });
        var b = Json(PipelineSimulator.Run(instance, ResilienceConfig.Default, new TrialKey("heldout", 1)) with { Key = default });
        var c = Json(PipelineSimulator.Run(reseeded, ResilienceConfig.Default, new TrialKey("heldout", 0)) with { Key = default });

        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void FaultRolls_DoNotDependOnTheConfig()
    {
        // The score compares a config with the defaults on the same runs: both must meet the same faults.
        var fault = FaultCase.Of("incorrect_verification");

        var plain = PipelineSimulator.RunMany(fault.Instance, ResilienceConfig.Default, "heldout", 30);
        var fixedRuns = PipelineSimulator.RunMany(fault.Instance, fault.Fix, "heldout", 30);

        Assert.Equal(
            plain.Select(r => r.Decisions.Single(d => d.Kind == fault.Kind).Inputs.Roll),
            fixedRuns.Select(r => r.Decisions.Single(d => d.Kind == fault.Kind).Inputs.Roll));
    }

    private static string Json(TrialRun run) => JsonSerializer.Serialize(run);
}

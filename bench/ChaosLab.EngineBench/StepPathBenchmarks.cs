using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.EngineBench;

/// <summary>
/// The per-step path with the cheapest tool (calculator: no world, no SQLite, no faults on most
/// calls): action parsing, argument validation, the fault decision, the observation. A session
/// cannot step past its limit, so the episode includes a reset; one step costs
/// (<see cref="ResetAndNineCalculatorSteps"/> - <see cref="Reset"/>) / 9.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StepPathBenchmarks
{
    private static readonly JsonElement Calculator =
        JsonDocument.Parse("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}""").RootElement;

    private readonly ToolsSuite _suite = new();
    private IEpisodeSession _session = null!;
    private int _seed;

    [GlobalSetup]
    public void Setup() => _session = _suite.CreateSession();

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Baseline = true)]
    public object Reset() => _session.Reset(new ResetOptions { Tier = "warmup", TaskId = "task3", Seed = _seed++ });

    [Benchmark]
    public object ResetAndNineCalculatorSteps()
    {
        _session.Reset(new ResetOptions { Tier = "warmup", TaskId = "task3", Seed = _seed++ });
        object last = null!;
        for (var i = 0; i < 9; i++)
        {
            last = _session.StepAsync(Calculator).AsTask().GetAwaiter().GetResult();
        }

        return last;
    }
}

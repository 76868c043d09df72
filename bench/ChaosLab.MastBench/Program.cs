using System.Diagnostics;
using System.Globalization;
using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;

// The mast simulator's batch cost (issue 13: a 10,000-run batch of a typical instance in under
// a second on one core). One thread, no server: a warm-up batch, then timed batches of the same
// 10,000 held-out runs under the deployed defaults and under the full fix. Reports the median and
// the best batch, and the bytes allocated per run.
//   dotnet run -c Release --project bench/ChaosLab.MastBench [-- rounds, default 5]
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
const int Runs = 10_000;

// A beginner verification pipeline: the writer contradicts itself (FM-3.3) and its model backend
// answers 503 on a fifth of the calls.
var draft = new MastInstance(
    "mast-verify-bench", 1, "verification", "beginner", 20_261_130, "review",
    [
        new PipelineAgent("planner-1", AgentRoles.Planner, "text", "json", 8_192, "You are a helpful assistant."),
        new PipelineAgent("writer-2", AgentRoles.Writer, "json", "text", 8_192, "You are a helpful assistant."),
        new PipelineAgent("reviewer-1", AgentRoles.Reviewer, "text", "text", 8_192, "You are a helpful assistant."),
        new PipelineAgent("verifier-3", AgentRoles.Verifier, "text", "text", 8_192, "You are a helpful assistant."),
    ],
    new TaskSpec("Write a short report.", 5, ["cite_sources", "iso_dates"], 300),
    new PipelineLimits(SloMs: int.MaxValue, MaxTurns: 12),
    [
        new InjectedFault(MastFaultKinds.IncorrectVerification.Name, "reviewer-1", 0.8, new Dictionary<string, string>()),
        new InjectedFault(MastFaultKinds.BackendError.Name, "writer-2", 0.2, new Dictionary<string, string>()),
    ]);

var fix = ResilienceConfig.Default with { ConsistencyCheck = true, RetryMax = 2 };

// The SLO as the scenarios calibrate it: p95 of 16 calibration runs under the fix, x1.45 (beginner).
var calibration = PipelineSimulator.RunMany(draft, fix, "calibration", 16).Select(r => r.LatencyMs).Order().ToList();
var instance = draft with { Limits = draft.Limits with { SloMs = (int)Math.Ceiling(calibration[15] * 1.45 / 100) * 100 } };

var configs = new (string Name, ResilienceConfig Config)[]
{
    ("defaults", ResilienceConfig.Default),
    ("full fix (consistency_check, retry_max 2)", fix),
};

Console.WriteLine($"SLO {instance.Limits.SloMs} ms; {Runs:N0} runs per batch, {rounds} timed batches after a warm-up, one thread, {Environment.ProcessorCount} cores");
foreach (var (name, config) in configs)
{
    var warm = PipelineSimulator.RunMany(instance, config, "warmup", Runs);
    var times = new List<double>();
    var cpu = new List<double>();
    var allocated = 0L;
    var passed = 0;
    for (var round = 0; round < rounds; round++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var runs = PipelineSimulator.RunMany(instance, config, "heldout", Runs);
        clock.Stop();
        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
        allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / Runs;
        passed = runs.Count(r => r.Passed);
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    cpu.Sort();
    // Wall time suffers from whatever else runs on the machine; the process's CPU time (GC included) less so.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: wall median {times[times.Count / 2]:F0} ms (best {times[0]:F0}), CPU median {cpu[cpu.Count / 2]:F0} ms per {Runs:N0} runs; {allocated:N0} B per run; {passed:N0} passed ({warm.Count(r => r.Passed):N0} in the warm-up)"));
}

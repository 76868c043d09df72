using System.Globalization;
using ChaosLab.Core.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Core.Sandbox;

/// <summary>
/// Caps on a whole run rather than on each of its processes: the attack that found the gap forked
/// 12 children of 200 MB each and used 2.3 GB of host memory in one call.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class RunResourceCapTests
{
    private const long MiB = 1024 * 1024;

    private static readonly SandboxLimits Limits = SandboxLimits.Default with
    {
        WallTime = TimeSpan.FromSeconds(15),
        CpuTime = TimeSpan.FromSeconds(5),
        RunMemoryBytes = 512 * MiB,
    };

    /// <summary>Forks 12 children that each fill 200 MB, then reports how many got their memory.</summary>
    private const string TwelveForks = """
        import os, time
        children = []
        for _ in range(12):
            pid = os.fork()
            if pid == 0:
                try:
                    block = b'x' * (200 * 1024 * 1024)
                    time.sleep(1)
                    os._exit(0)
                except MemoryError:
                    os._exit(3)
            children.append(pid)
        filled = sum(1 for pid in children if os.waitpid(pid, 0)[1] == 0)
        print(len(children), filled)
        """;

    private readonly BubblewrapSandbox _sandbox = SharedSandbox.Instance;

    [SandboxFact(RequiresCgroup = true)]
    public async Task RunPython_TwelveForksOf200MB_TotalMemoryStaysUnderRunCap()
    {
        var result = await _sandbox.RunPythonAsync(new SandboxRequest(TwelveForks, Limits: Limits));

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        var counts = result.Stdout.Split(' ').Select(count => int.Parse(count, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12, counts[0]);
        Assert.InRange(counts[1], 0, 2);
        Assert.NotNull(result.PeakMemoryBytes);
        Assert.InRange(result.PeakMemoryBytes.Value, 200 * MiB, Limits.RunMemoryBytes);
        Assert.Contains("[sandbox] run memory limit of 536870912 bytes reached", result.Stderr, StringComparison.Ordinal);
    }

    [SandboxFact(RequiresCgroup = true)]
    public async Task RunPython_MainProcessOverRunCap_MemoryLimitExceeded()
    {
        // The address-space limit allows the block, the run's cap does not: the kernel kills it.
        var limits = Limits with { MemoryBytes = 512 * MiB, RunMemoryBytes = 128 * MiB };

        var result = await _sandbox.RunPythonAsync(new SandboxRequest("block = b'x' * (300 * 1024 * 1024)\nprint('survived')", Limits: limits));

        SandboxAssert.Outcome(SandboxOutcome.MemoryLimitExceeded, result);
        Assert.Empty(result.Stdout);
        Assert.Contains("the kernel killed 1 process(es)", result.Stderr, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RunPython_ForkBombWithoutHandler_ContainedAndReported()
    {
        var result = await _sandbox.RunPythonAsync(new SandboxRequest("import os\nwhile True:\n    os.fork()", Limits: Limits));

        // The first failed fork raises in the main process and ends the run; whatever else ends it
        // first (the limits), the outcome says so and nothing outlives it.
        Assert.True(
            result.Outcome == SandboxOutcome.Failed && result.Stderr.Contains("BlockingIOError", StringComparison.Ordinal)
                || result.Outcome == SandboxOutcome.TimedOut,
            $"{result.Outcome}: {result.Stderr}");
        await SandboxAssert.NoSandboxedPythonLeftAsync();
    }

    [SandboxFact]
    public async Task RunPython_NormalScript_CompletesUnderRunCaps()
    {
        var result = await _sandbox.RunPythonAsync(new SandboxRequest(
            "import json, os\nprint(json.dumps({'sum': sum(range(10)), 'pid': os.getpid() > 0}))", Limits: Limits));

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Equal("{\"sum\": 45, \"pid\": true}\n", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [SandboxFact]
    public async Task RunPython_ConcurrentForkLoops_EachRunGetsItsOwnProcessCap()
    {
        var limits = Limits with { MaxProcesses = 8 };
        const string code = """
            import os, time
            children = 0
            while True:
                try:
                    if os.fork() == 0:
                        time.sleep(2)
                        os._exit(0)
                    children += 1
                except OSError:
                    break
            print(children)
            """;

        var runs = await Task.WhenAll(
            _sandbox.RunPythonAsync(new SandboxRequest(code, Limits: limits)),
            _sandbox.RunPythonAsync(new SandboxRequest(code, Limits: limits)));

        // Each run counts its own processes: the sandbox's init and python, then the children. A
        // count shared between the runs would leave one of them short.
        foreach (var run in runs)
        {
            SandboxAssert.Outcome(SandboxOutcome.Completed, run);
            Assert.Equal((limits.MaxProcesses - 2).ToString(CultureInfo.InvariantCulture), run.Stdout.Trim());
        }
    }

    [SandboxFact(RequiresCgroup = true)]
    public async Task RunPython_ConcurrentRunsWithDifferentCaps_EachHeldToItsOwn()
    {
        var code = "import time\nblock = b'x' * (200 * 1024 * 1024)\ntime.sleep(1)\nprint('kept')";

        var results = await Task.WhenAll(
            _sandbox.RunPythonAsync(new SandboxRequest(code, Limits: Limits with { RunMemoryBytes = 128 * MiB })),
            _sandbox.RunPythonAsync(new SandboxRequest(code, Limits: Limits with { RunMemoryBytes = 384 * MiB })));

        SandboxAssert.Outcome(SandboxOutcome.MemoryLimitExceeded, results[0]);
        SandboxAssert.Outcome(SandboxOutcome.Completed, results[1]);
        Assert.Equal("kept\n", results[1].Stdout);
        Assert.InRange(results[1].PeakMemoryBytes!.Value, 200 * MiB, 384 * MiB);
    }

    [SandboxFact(RequiresCgroup = true)]
    public async Task RunPython_RunEnded_ItsCgroupIsRemoved()
    {
        var marker = "/tmp/marker-" + Guid.NewGuid().ToString("N");
        var run = _sandbox.RunPythonAsync(new SandboxRequest(
            $"import time\nheld = open('{marker}', 'w')\ntime.sleep(1)\nprint('done')", Limits: Limits));

        var name = await SandboxAssert.RunCgroupNameAsync(marker);
        var layout = _sandbox.Cgroups!;
        Assert.True(Directory.Exists(Path.Combine(layout.MemoryParent, name)), "the run's cgroup exists while it runs");
        var result = await run;

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.False(Directory.Exists(Path.Combine(layout.MemoryParent, name)), "memory cgroup left behind");
        Assert.False(Directory.Exists(Path.Combine(layout.PidsParent, name)), "pids cgroup left behind");
    }

    [SandboxFact]
    public void Availability_NamesTheResourceControlInUse()
    {
        var availability = _sandbox.Availability;

        Assert.Equal(_sandbox.Cgroups?.Kind ?? SandboxResourceControl.Rlimits, availability.ResourceControl);
        Assert.Contains("resource control: " + availability.ResourceControlLabel, availability.Reason, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RlimitsOnly_ReportsRlimitsAndStillRuns()
    {
        using var sandbox = new BubblewrapSandbox(new BubblewrapSandboxOptions { ResourceControl = SandboxResourceControlPreference.RlimitsOnly });

        var result = await sandbox.RunPythonAsync(new SandboxRequest("print('ok')", Limits: Limits));

        Assert.Equal(SandboxResourceControl.Rlimits, sandbox.Availability.ResourceControl);
        Assert.Contains("MaxProcesses x MemoryBytes", sandbox.Availability.Reason, StringComparison.Ordinal);
        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Null(result.PeakMemoryBytes);
    }

    [Fact]
    public void AddCodeSandbox_DefaultRunMemoryTooSmall_FailsValidation()
    {
        using var provider = new ServiceCollection()
            .AddCodeSandbox()
            .Configure<BubblewrapSandboxOptions>(options => options.DefaultLimits = SandboxLimits.Default with { RunMemoryBytes = MiB })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BubblewrapSandboxOptions>>().Value);
        Assert.Contains("DefaultLimits:RunMemoryBytes must be at least 32 MiB", error.Message, StringComparison.Ordinal);
    }
}

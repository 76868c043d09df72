using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Tests.Core.Sandbox;

/// <summary>
/// Real bwrap, real python. Each escape the reference systems allowed (reading the server's
/// files and environment, network, unbounded resources, code in the grader's process) is tried
/// here and must fail.
/// </summary>
[Collection(SandboxTestGroup.Name)]
public sealed class BubblewrapSandboxTests
{
    private static readonly SandboxLimits Quick = SandboxLimits.Default with
    {
        WallTime = TimeSpan.FromSeconds(3),
        CpuTime = TimeSpan.FromSeconds(1),
    };

    private readonly BubblewrapSandbox _sandbox = SharedSandbox.Instance;

    private async Task<SandboxResult> RunAsync(string code, string? stdin = null, SandboxLimits? limits = null,
        IReadOnlyDictionary<string, string>? files = null)
    {
        Assert.True(_sandbox.Availability.IsAvailable, _sandbox.Availability.Reason);
        return await _sandbox.RunPythonAsync(new SandboxRequest(code, stdin, limits ?? Quick, files));
    }

    [SandboxFact]
    public async Task RunPython_Print_CompletesWithOutput()
    {
        var result = await RunAsync("print(1 + 1)\nimport sys\nprint('err', file=sys.stderr)");

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.False(result.OutputTruncated);
    }

    [SandboxFact]
    public async Task RunPython_NonZeroExit_Failed()
    {
        var result = await RunAsync("import sys\nprint('before')\nsys.exit(3)");

        SandboxAssert.Outcome(SandboxOutcome.Failed, result);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("before\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_Stdin_IsReadable()
    {
        var result = await RunAsync("import sys\ndata = sys.stdin.read()\nprint(len(data.split()), data.upper(), end='')",
            stdin: "alpha beta\ngamma é\n");

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Equal("4 ALPHA BETA\nGAMMA É\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_SyntaxError_FailedWithTraceback()
    {
        var result = await RunAsync("def broken(:\n    pass");

        SandboxAssert.Outcome(SandboxOutcome.Failed, result);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SyntaxError", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("main.py", result.Stderr, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RunPython_InputFiles_ReadableButReadOnly()
    {
        var files = new Dictionary<string, string> { ["data.csv"] = "a,b\n1,2\n" };
        var result = await RunAsync("""
            print(open('data.csv').read(), end='')
            try:
                open('data.csv', 'w').write('tampered')
                print('WRITABLE')
            except OSError as e:
                print('readonly', type(e).__name__)
            """, files: files);

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Equal("a,b\n1,2\nreadonly OSError\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_SameCode_SameOutput()
    {
        const string code = "print(hash('chaoslab'), sorted({'b', 'a', 'c'}), list({'x': 1, 'y': 2}))\nimport os\nprint(os.getuid(), os.getcwd())";

        var first = await RunAsync(code);
        var second = await RunAsync(code);

        SandboxAssert.Outcome(SandboxOutcome.Completed, first);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.EndsWith("65534 /tmp\n", first.Stdout, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RunPython_HostPaths_NotVisible()
    {
        var result = await RunAsync("""
            import os
            for path in ['/work', '/root', '/home', '/etc', '/etc/passwd', '/var', '/opt', '/srv', '/mnt', '/run']:
                print(path, os.path.exists(path))
            print(sorted(os.listdir('/')))
            """);

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.DoesNotContain("True", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("['bin', 'dev', 'lib', 'lib64', 'proc', 'sbin', 'tmp', 'usr']", result.Stdout, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RunPython_ServerSource_NotReadable()
    {
        var ownSource = typeof(BubblewrapSandboxTests).Assembly.Location;

        var result = await RunAsync($"open({ToPythonLiteral(ownSource)}, 'rb').read()");

        SandboxAssert.Outcome(SandboxOutcome.Failed, result);
        Assert.Contains("FileNotFoundError", result.Stderr, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RunPython_ServerEnvironment_NotVisibleAnywhere()
    {
        const string name = "CHAOSLAB_SANDBOX_TEST_SECRET";
        const string secret = "s3cr3t-value-7f1c";
        System.Environment.SetEnvironmentVariable(name, secret);
        try
        {
            // Also every /proc/<pid>/environ: bwrap's own init is PID 1 in the sandbox.
            var result = await RunAsync("""
                import os
                print(sorted(os.environ))
                for pid in [p for p in os.listdir('/proc') if p.isdigit()]:
                    try:
                        print(open(f'/proc/{pid}/environ', 'rb').read())
                    except OSError as e:
                        print(pid, type(e).__name__)
                """);

            SandboxAssert.Outcome(SandboxOutcome.Completed, result);
            Assert.StartsWith("['HOME', 'LANG', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', 'PYTHONUNBUFFERED']\n",
                result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(name, result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }
    }

    [SandboxFact]
    public async Task RunPython_ConnectToHostListener_Fails()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await RunAsync($$"""
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(1)
            try:
                s.connect(('127.0.0.1', {{port}}))
                print('CONNECTED')
            except OSError as e:
                print('blocked', type(e).__name__)
            """);

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.StartsWith("blocked", result.Stdout, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [SandboxFact]
    public async Task RunPython_WriteOutsideTmp_Fails()
    {
        var result = await RunAsync("""
            import os
            for path in ['/usr/pwned', '/pwned', '/proc/pwned', '/bin/pwned', '/tmp/ok']:
                try:
                    open(path, 'w').write('x')
                    print(path, 'WRITTEN')
                except OSError as e:
                    print(path, 'denied')
            """);

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Equal("/usr/pwned denied\n/pwned denied\n/proc/pwned denied\n/bin/pwned denied\n/tmp/ok WRITTEN\n", result.Stdout);
        Assert.False(File.Exists("/usr/pwned"));
    }

    [SandboxFact]
    public async Task RunPython_PatchingBuiltins_DoesNotReachTheServer()
    {
        // The Resilience Gauntlet's grader was fooled by a submission patching math.isnan in its own process.
        var result = await RunAsync("import math\nmath.isnan = lambda x: False\nprint(math.isnan(float('nan')))");

        Assert.Equal("False\n", result.Stdout);
        Assert.True(double.IsNaN(double.NaN));
        var again = await RunAsync("import math\nprint(math.isnan(float('nan')))");
        Assert.Equal("True\n", again.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_ForkLoop_BoundedByProcessLimit()
    {
        var limits = Quick with { MaxProcesses = 8 };

        var result = await RunAsync("""
            import os, time
            children = 0
            for _ in range(100):
                try:
                    if os.fork() == 0:
                        time.sleep(1)
                        os._exit(0)
                    children += 1
                except OSError:
                    break
            print(children)
            """, limits: limits);

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        var children = int.Parse(result.Stdout, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(children, 1, limits.MaxProcesses - 1);
    }

    [SandboxFact]
    public async Task RunPython_ForkBomb_KilledAndLeavesNoProcess()
    {
        var limits = Quick with { WallTime = TimeSpan.FromSeconds(1.5) };
        var stopwatch = Stopwatch.StartNew();

        var result = await RunAsync("""
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """, limits: limits);

        stopwatch.Stop();
        SandboxAssert.Outcome(SandboxOutcome.TimedOut, result);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        await SandboxAssert.NoSandboxedPythonLeftAsync();
    }

    [SandboxFact]
    public async Task RunPython_MemoryBomb_MemoryLimitExceeded()
    {
        var result = await RunAsync("blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))");

        SandboxAssert.Outcome(SandboxOutcome.MemoryLimitExceeded, result);
        Assert.Contains("MemoryError", result.Stderr, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task RunPython_BusyLoop_KilledAtCpuLimit()
    {
        // On a loaded machine a second of CPU can take many seconds of wall time, so the wall limit
        // is far away: whatever the load, the CPU limit must be what ends the loop. The loop reports
        // its own CPU time as it goes; the last report shows how much it had used when it was killed.
        var limits = Quick with { WallTime = TimeSpan.FromSeconds(120) };
        const string code = """
            import sys, time
            next_report = 0.0
            while True:
                used = time.process_time()
                if used >= next_report:
                    print(f"{used:.3f}", flush=True)
                    next_report = used + 0.01
            """;

        var result = await RunAsync(code, limits: limits);

        SandboxAssert.Outcome(SandboxOutcome.TimedOut, result);
        Assert.Contains("CPU-time limit of 1 s exceeded", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wall-time limit", result.Stderr, StringComparison.Ordinal);
        var lastReport = double.Parse(result.Stdout.TrimEnd().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);

        // Killed at the soft limit (SIGXCPU). The kernel checks it on scheduler ticks with its own
        // accounting, which Python's clock reads up to ~0.15 s lower on this machine under load.
        Assert.InRange(lastReport, limits.CpuTime.TotalSeconds - 0.25, limits.CpuTime.TotalSeconds + 0.1);
        Assert.True(result.Elapsed < limits.WallTime, $"took {result.Elapsed}");
    }

    [SandboxFact]
    public async Task RunPython_Sleep_KilledAtWallLimit()
    {
        var limits = Quick with { WallTime = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var result = await RunAsync("import time\nprint('started')\ntime.sleep(60)", limits: limits);

        stopwatch.Stop();
        SandboxAssert.Outcome(SandboxOutcome.TimedOut, result);
        Assert.Null(result.ExitCode);
        Assert.Equal("started\n", result.Stdout);
        Assert.Contains("wall-time limit", result.Stderr, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        await SandboxAssert.NoSandboxedPythonLeftAsync();
    }

    [SandboxFact]
    public async Task RunPython_HugeOutput_TruncatedAndKilled()
    {
        var limits = Quick with { MaxOutputBytes = 4096 };
        var before = GC.GetTotalMemory(forceFullCollection: false);

        var result = await RunAsync("while True:\n    print('x' * 10**6)", limits: limits);

        SandboxAssert.Outcome(SandboxOutcome.OutputLimitExceeded, result);
        Assert.True(result.OutputTruncated);
        Assert.Equal(4096, result.Stdout.Length);
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - before < 64L * 1024 * 1024);
    }

    [SandboxFact]
    public async Task RunPython_LargeFile_BoundedByFileLimit()
    {
        var result = await RunAsync("""
            try:
                with open('big.bin', 'wb') as f:
                    f.write(b'x' * (4 * 1024 * 1024))
                print('WROTE')
            except OSError as e:
                print('limited', e.errno)
            """);

        SandboxAssert.Outcome(SandboxOutcome.Completed, result);
        Assert.Equal("limited 27\n", result.Stdout); // EFBIG
    }

    [SandboxFact]
    public async Task RunPython_TrivialRun_MedianUnderHalfSecond()
    {
        var elapsed = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var result = await RunAsync("print(1)");
            elapsed.Add(stopwatch.Elapsed);
            Assert.Equal("1\n", result.Stdout);
        }

        elapsed.Sort();
        var median = elapsed[elapsed.Count / 2];
        Console.WriteLine($"sandboxed print(1): median {median.TotalMilliseconds:F1} ms over {elapsed.Count} runs");
        Assert.True(median < TimeSpan.FromMilliseconds(500), $"median {median}");
    }

    [Fact]
    public async Task RunPython_BubblewrapMissing_RefusedAndNotRun()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"chaoslab-refused-{Guid.NewGuid():N}");
        using var sandbox = new BubblewrapSandbox(new BubblewrapSandboxOptions { BubblewrapPath = "/nonexistent/bwrap" });

        var result = await sandbox.RunPythonAsync(new SandboxRequest($"open({ToPythonLiteral(marker)}, 'w').write('ran')"));

        Assert.False(sandbox.Availability.IsAvailable);
        Assert.Contains("/nonexistent/bwrap", sandbox.Availability.Reason, StringComparison.Ordinal);
        SandboxAssert.Outcome(SandboxOutcome.Refused, result);
        Assert.Null(result.ExitCode);
        Assert.Contains(sandbox.Availability.Reason, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task RunPython_PythonOutsideUsr_Refused()
    {
        using var sandbox = new BubblewrapSandbox(new BubblewrapSandboxOptions { PythonPath = "/nonexistent/python3" });

        var result = await sandbox.RunPythonAsync(new SandboxRequest("print(1)"));

        SandboxAssert.Outcome(SandboxOutcome.Refused, result);
        Assert.Contains("python", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPython_InputFileNameWithPath_Throws()
    {
        var files = new Dictionary<string, string> { ["../escape.txt"] = "x" };

        await Assert.ThrowsAsync<ArgumentException>(() => _sandbox.RunPythonAsync(new SandboxRequest("print(1)", Files: files)));
    }

    private static string ToPythonLiteral(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}

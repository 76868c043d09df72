using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Tests.Core.Sandbox;

namespace ChaosLab.Tests.Suites.Gauntlet.Harness;

[Collection(SandboxTestGroup.Name)]
public sealed class GauntletHarnessTests
{
    private static readonly GauntletHarness Harness = new(SharedSandbox.Instance);

    [SandboxFact]
    public async Task Run_CarriesSerializedStateBetweenCalls_AndKeepsNaNAndDeques()
    {
        const string code = """
            from collections import deque
            counter = 0
            def process_batch(events, state):
                global counter
                counter += 1
                window = state.setdefault("window", deque(maxlen=3))
                window.extend(events)
                print("call", counter)
                return {"seen": list(window), "module_counter": counter, "nan": float("nan")}
            """;
        var run = await RunAsync(code, [new HarnessCase("c1", [Events(1, 2), Events(3, double.NaN)])]);

        var calls = run.Report!.Cases.Single().Calls;
        Assert.All(calls, c => Assert.Equal(CallStatus.Ok, c.Status));
        Assert.Equal("[1,2]", PyValue.Get(calls[0].Returned, "seen")!.ToJsonString());
        Assert.Equal("""[2,3,{"$float":"nan"}]""", PyValue.Get(calls[1].Returned, "seen")!.ToJsonString());
        Assert.Equal("""{"$deque":[2,3,{"$float":"nan"}],"maxlen":3}""", PyValue.Get(calls[1].State, "window")!.ToJsonString());

        // Each call is a fresh process: module globals do not carry state, only the state does.
        Assert.Equal(1, PyValue.Get(calls[1].Returned, "module_counter")!.GetValue<int>());
        Assert.Equal("call 1\n", calls[1].Stdout);
        Assert.True(PyValue.TryNumber(PyValue.Get(calls[0].Returned, "nan"), out var nan) && double.IsNaN(nan));
    }

    [SandboxFact]
    public async Task Run_ScriptedDependency_RecordsEveryAttemptAndTheVirtualClock()
    {
        const string code = """
            def process_batch(request, state):
                for attempt in range(5):
                    try:
                        return transport(request)
                    except TransientError:
                        sleep(2 ** attempt)
                return None
            """;
        var script = new DependencyScript(
            [ScriptedResponse.Raising("TransientError", "503"), ScriptedResponse.Returns(JsonValue.Create("ok"))],
            ScriptedResponse.Returns(JsonValue.Create("later")),
            Key: "url",
            Gates: new Dictionary<string, DependencyGate> { ["b"] = new(10, ScriptedResponse.Raising("TransientError", "429")) },
            Latency: 0.5);
        var cases = new[]
        {
            new HarnessCase("c1", [new JsonObject { ["url"] = "a" }, new JsonObject { ["url"] = "b" }], Dependencies: new Dictionary<string, DependencyScript> { ["transport"] = script }),
        };
        var run = await RunAsync(code, cases, ["transport"]);

        var calls = run.Report!.Cases.Single().Calls;
        Assert.Equal("ok", calls[0].Returned!.GetValue<string>());
        Assert.Equal([0, 1], calls[0].Dependencies.Select(d => d.Attempt));
        Assert.Equal([0.0, 1.5], calls[0].Dependencies.Select(d => d.At));
        Assert.Equal([1.0], calls[0].Sleeps);

        // "b" is gated until t = 10: closed answers do not use up its script.
        Assert.Equal("ok", calls[1].Returned!.GetValue<string>());
        Assert.Equal(["429", "429", "429", "503", "ok"], calls[1].Dependencies.Select(d => d.Response.Message ?? d.Response.Value!.GetValue<string>()));
        Assert.Equal((5 * 0.5) + 1 + 2 + 4 + 8, calls[1].Clock - calls[0].Clock, 6);
    }

    [SandboxFact]
    public async Task Run_HangsCrashesStormsAndFloods_EndTheirOwnCallOnly()
    {
        const string code = """
            import os
            def process_batch(kind, state):
                if kind == "hang":
                    while True:
                        try:
                            while True:
                                pass
                        except BaseException:
                            pass
                if kind == "exit":
                    os._exit(3)
                if kind == "storm":
                    while True:
                        try:
                            publish(1)
                        except Exception:
                            pass
                if kind == "flood":
                    return list(range(10 ** 6))
                return kind
            """;
        var publish = new Dictionary<string, DependencyScript> { ["publish"] = DependencyScript.Always(ScriptedResponse.Raising("TransientError", "down")) };
        var cases = new[]
        {
            new HarnessCase("c1", [Str("exit"), Str("ok"), Str("storm"), Str("flood"), Str("hang"), Str("ok")], Dependencies: publish),
        };
        var run = await RunAsync(code, cases, ["publish"]);

        var calls = run.Report!.Cases.Single().Calls;
        Assert.Equal(
            [CallStatus.Crashed, CallStatus.Ok, CallStatus.DependencyStorm, CallStatus.TooLarge, CallStatus.TimedOut, CallStatus.Ok],
            calls.Select(c => c.Status));
        Assert.Equal("the process exited with status 3 before returning", calls[0].Describe());
        Assert.Equal(HarnessLimits.Default.MaxDependencyCalls, calls[2].Dependencies.Count);
    }

    [SandboxFact]
    public async Task Run_AfterTooManyHungCalls_SkipsTheRestSoTheRunEndsFast()
    {
        const string code = "def process_batch(kind, state):\n    while kind == 'hang':\n        pass\n    return kind\n";
        var run = await RunAsync(code, [new HarnessCase("c1", [Str("hang"), Str("hang"), Str("ok")]), new HarnessCase("c2", [Str("ok")])]);

        Assert.Equal([CallStatus.TimedOut, CallStatus.TimedOut, CallStatus.Skipped], run.Report!.Cases[0].Calls.Select(c => c.Status));
        Assert.Equal(CallStatus.Skipped, run.Report.Cases[1].Calls.Single().Status);
    }

    [SandboxFact]
    public async Task Run_SyntaxError_IsALoadErrorWithTheLine()
    {
        var run = await RunAsync("def process_batch(events, state)\n    return events\n", [new HarnessCase("c1", [Str("x")])]);

        Assert.Equal("SyntaxError", run.Report!.LoadError!.Type);
        Assert.Equal("line 1", run.Report.LoadError.Where);
    }

    [SandboxFact]
    public async Task Run_MissingEntryPoint_RaisesInEveryCall()
    {
        var run = await RunAsync("def other(events, state):\n    return 1\n", [new HarnessCase("c1", [Str("x")])]);

        var call = run.Report!.Cases.Single().Calls.Single();
        Assert.Equal(CallStatus.Raised, call.Status);
        Assert.Equal("NameError", call.Error!.Type);
    }

    [SandboxFact]
    public async Task Run_ACallCannotWriteTheHarnessReport_NorSurviveKillingTheHarness()
    {
        // The harness is undumpable: its stdout cannot be reopened through /proc by a call.
        const string forge = """
            import os
            def process_batch(kind, state):
                if kind == "forge":
                    fd = os.open("/proc/%d/fd/1" % os.getppid(), os.O_WRONLY)
                    os.write(fd, b'{"harness": 1, "cases": []}\n')
                if kind == "kill":
                    os.kill(os.getppid(), 9)
                return kind
            """;
        var forged = await RunAsync(forge, [new HarnessCase("c1", [Str("forge")])]);
        var call = forged.Report!.Cases.Single().Calls.Single();
        Assert.Equal(CallStatus.Raised, call.Status);
        Assert.Equal("PermissionError", call.Error!.Type);

        var killed = await RunAsync(forge, [new HarnessCase("c1", [Str("kill")])]);
        Assert.Null(killed.Report);
        Assert.NotNull(killed.Failure);
    }

    [SandboxFact]
    public async Task Run_NothingOfACallButTheStateReachesTheNext_NoFileNoProcess()
    {
        // A file or a daemon could carry a buffer past the state's bound.
        const string code = """
            import os, time
            def process_batch(kind, state):
                if kind == "plant":
                    with open("/tmp/stash", "w") as f:
                        f.write("kept")
                    with open("/dev/shm/stash", "w") as f:
                        f.write("kept")
                    pid = os.fork()
                    if pid == 0:
                        os.setsid()
                        while True:
                            time.sleep(1)
                    state["daemon"] = pid
                    return "planted"
                alive = True
                try:
                    os.kill(state["daemon"], 0)
                except ProcessLookupError:
                    alive = False
                return [os.path.exists("/tmp/stash"), os.path.exists("/dev/shm/stash"), alive]
            """;
        var run = await RunAsync(code, [new HarnessCase("c1", [Str("plant"), Str("look")])]);

        var calls = run.Report!.Cases.Single().Calls;
        Assert.Equal("planted", calls[0].Returned!.GetValue<string>());
        Assert.Equal("[false,false,false]", calls[1].Returned!.ToJsonString());
    }

    private static async Task<HarnessRun> RunAsync(string code, IReadOnlyList<HarnessCase> cases, IReadOnlyList<string>? dependencies = null)
    {
        var run = await Harness.RunAsync(code, "process_batch", dependencies ?? [], cases);
        Assert.True(run.Failure is null || run.Report is null, run.Failure);
        return run;
    }

    private static JsonValue Str(string value) => JsonValue.Create(value);

    private static JsonArray Events(params double[] values) => new([.. values.Select(PyValue.Real)]);
}

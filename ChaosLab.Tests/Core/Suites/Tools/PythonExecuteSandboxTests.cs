using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using ChaosLab.Tests.Core.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosLab.Tests.Core.Suites.Tools;

[Collection(SandboxTestGroup.Name)]
public sealed class PythonExecuteSandboxTests
{
    [SandboxFact]
    public async Task PythonExecute_RealSandbox_ReadsOnlyFilesTheAgentWrote()
    {
        var session = (ToolsSession)new ToolsSuite(SharedSandbox.Instance).CreateSession();
        session.Start(ScenarioCatalog.Find("W01")! with { BadPaths = [], FaultProbability = 0 }, 5, "py");
        await session.StepAsync(ToolsTestKit.Call("write_file", new JsonObject { ["path"] = "/workspace/figures.csv", ["content"] = "x\n3\n4\n" }));
        var code = "import csv, os\nrows = list(csv.reader(open('figures.csv')))\nprint(sum(int(r[0]) for r in rows[1:]) * 6, sorted(f for f in os.listdir('.') if f.endswith('.csv')))";
        var action = ToolsTestKit.Call("python_execute", new JsonObject { ["code"] = code });
        var result = (await session.StepAsync(action)).Value!;
        Assert.Equal("ok", result.Observation["status"]!.ToString());
        Assert.Equal("42 ['figures.csv']", result.Observation["result"]!["stdout"]!.ToString().Trim());
    }

    [SandboxFact]
    public async Task PythonExecute_RealSandbox_NoNetworkNoServerSecrets()
    {
        var session = (ToolsSession)new ToolsSuite(SharedSandbox.Instance).CreateSession();
        session.Start(ScenarioCatalog.Find("W01")! with { BadPaths = [], FaultProbability = 0 }, 5, "py");
        var code = "import os, socket\nprint(sorted(k for k in os.environ if 'CHAOS' in k or 'KEY' in k))\ntry:\n  socket.create_connection(('1.1.1.1', 80), timeout=1); print('net')\nexcept OSError: print('nonet')";
        var result = (await session.StepAsync(ToolsTestKit.Call("python_execute", new JsonObject { ["code"] = code }))).Value!;
        Assert.Equal("[]\nnonet", result.Observation["result"]!["stdout"]!.ToString().Trim());
    }

    [Fact]
    public void AddToolsSuite_RegistersSuiteForTheCatalog()
    {
        var provider = new ServiceCollection().AddToolsSuite().AddSingleton<SuiteCatalog>().BuildServiceProvider();
        Assert.IsType<ToolsSuite>(provider.GetRequiredService<SuiteCatalog>().Find("tools"));
    }
}

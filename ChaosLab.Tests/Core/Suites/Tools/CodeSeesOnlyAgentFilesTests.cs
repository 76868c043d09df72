using System.Text.Json.Nodes;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>python_execute is no clean path to facts: the sandbox gets only what the agent itself wrote.</summary>
public sealed class CodeSeesOnlyAgentFilesTests
{
    private static (ToolsSession Session, ScenarioInstance Instance, CapturingSandbox Sandbox) Start()
    {
        var sandbox = new CapturingSandbox();
        var session = (ToolsSession)new ToolsSuite(sandbox).CreateSession();
        var definition = ScenarioCatalog.Find("W01")! with { BadPaths = [], FaultProbability = 0 };
        Assert.True(session.Start(definition, 17, "code").Succeeded);
        return (session, ScenarioTemplate.Instantiate(definition, 17), sandbox);
    }

    [Fact]
    public void PythonExecute_NothingWritten_SandboxGetsNoFiles()
    {
        var (session, _, sandbox) = Start();
        CallTool(session, "python_execute", new JsonObject { ["code"] = "print(1)" });
        var request = Assert.Single(sandbox.Requests);
        Assert.Empty(request.Files ?? new Dictionary<string, string>());
    }

    [Fact]
    public void PythonExecute_AnyCall_RequestHoldsNoWorldData()
    {
        var (session, instance, sandbox) = Start();
        CallTool(session, "write_file", new JsonObject { ["path"] = "/workspace/notes.txt", ["content"] = "my notes" });
        CallTool(session, "python_execute", new JsonObject { ["code"] = "print(open('notes.txt').read())" });
        var request = Assert.Single(sandbox.Requests);
        var staged = string.Concat(request.Files!.Select(f => f.Key + "\n" + f.Value)) + request.Code + request.Stdin;
        foreach (var country in instance.World.Countries)
        {
            Assert.DoesNotContain(country.Name, staged, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var company in instance.World.Companies)
        {
            Assert.DoesNotContain(company.Name, staged, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void PythonExecute_FileWrittenWithWriteFile_VisibleByName()
    {
        var (session, _, sandbox) = Start();
        CallTool(session, "write_file", new JsonObject { ["path"] = "/workspace/figures.csv", ["content"] = "a,b\n1,2\n" });
        CallTool(session, "python_execute", new JsonObject { ["code"] = "print(open('figures.csv').read())" });
        Assert.Equal("a,b\n1,2\n", Assert.Single(sandbox.Requests).Files!["figures.csv"]);
    }

    [Fact]
    public void FilesForCode_NestedOrReservedNames_LeftOut()
    {
        var (session, _, sandbox) = Start();
        CallTool(session, "write_file", new JsonObject { ["path"] = "/workspace/sub/deep.txt", ["content"] = "x" });
        CallTool(session, "write_file", new JsonObject { ["path"] = "/workspace/main.py", ["content"] = "x" });
        CallTool(session, "write_file", new JsonObject { ["path"] = "/workspace/ok.txt", ["content"] = "y" });
        var step = CallTool(session, "python_execute", new JsonObject { ["code"] = "print(1)" });
        Assert.Equal("ok", step.Observation["status"]!.ToString());
        Assert.Equal(["ok.txt"], Assert.Single(sandbox.Requests).Files!.Keys);
    }

    [Fact]
    public void PythonExecute_Description_PromisesNoPreloadedData()
    {
        var description = ToolRegistry.Find(ToolNames.PythonExecute)!.Description;
        Assert.DoesNotContain(".csv", description, StringComparison.Ordinal);
        Assert.Contains("write_file", description, StringComparison.Ordinal);
    }

    private sealed class CapturingSandbox : ICodeSandbox
    {
        public List<SandboxRequest> Requests { get; } = [];

        public SandboxAvailability Availability { get; } = SandboxAvailability.Available("test", SandboxResourceControl.Rlimits);

        public Task<SandboxResult> RunPythonAsync(SandboxRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(new SandboxResult(SandboxOutcome.Completed, 0, "", "", false, TimeSpan.Zero));
        }
    }
}

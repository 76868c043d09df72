using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.EngineBench;

/// <summary>
/// Reset and step costs of the tools suite per tier: what an RL trainer pays per episode before
/// any network. Seeds rotate so every iteration builds a different world.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ToolsEngineBenchmarks
{
    private static readonly JsonElement[] Actions =
    [
        Parse("""{"type":"call_tool","tool_name":"web_search","arguments":{"query":"population capital"}}"""),
        Parse("""{"type":"call_tool","tool_name":"database_query","arguments":{"sql":"SELECT name, population FROM countries LIMIT 5"}}"""),
        Parse("""{"type":"call_tool","tool_name":"document_search","arguments":{"query":"annual revenue filing"}}"""),
        Parse("""{"type":"call_tool","tool_name":"knowledge_base_lookup","arguments":{"entity":"capital"}}"""),
        Parse("""{"type":"call_tool","tool_name":"calculator","arguments":{"expression":"(17 + 25) * 3"}}"""),
        Parse("""{"type":"call_tool","tool_name":"scratchpad_write","arguments":{"key":"note","value":"checked"}}"""),
    ];

    private readonly ToolsSuite _suite = new();
    private IEpisodeSession _session = null!;
    private int _seed;
    private int _action;

    [Params("warmup", "beginner", "intermediate", "expert")]
    public string Tier { get; set; } = "warmup";

    [GlobalSetup]
    public void Setup() => _session = _suite.CreateSession();

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    /// <summary>A reset alone (world generation; the workspace is built on first use).</summary>
    [Benchmark]
    public object Reset() => _session.Reset(new ResetOptions { Tier = Tier, TaskId = "task3", Seed = _seed++ });

    /// <summary>A reset and the first retrieval call: what the first step of an episode really costs.</summary>
    [Benchmark]
    public object ResetAndFirstRetrieval()
    {
        _session.Reset(new ResetOptions { Tier = Tier, TaskId = "task3", Seed = _seed++ });
        return _session.StepAsync(Actions[0]).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A whole scripted 10-step episode (task3's limit): reset, 9 tool calls, submit.</summary>
    [Benchmark(OperationsPerInvoke = 10)]
    public object Episode()
    {
        _session.Reset(new ResetOptions { Tier = Tier, TaskId = "task3", Seed = _seed++ });
        object last = null!;
        for (var i = 0; i < 9; i++)
        {
            last = _session.StepAsync(Actions[(_action++) % Actions.Length]).AsTask().GetAwaiter().GetResult();
        }

        return last;
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}

using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.EngineBench;

/// <summary>
/// Reset and step costs of the tools suite per tier: what an RL trainer pays per episode before
/// any network. Seeds rotate so every iteration builds a different world (nothing per seed is
/// reused between iterations).
/// <list type="bullet">
/// <item><see cref="WholeEpisode"/> is issue 11's target 2: reset, six tool calls (web_search,
/// document_search, database_query, knowledge_base_lookup, calculator, scratchpad_write), submit
/// and grade. It counts 8 operations, so Mean and Allocated are per step; the episode is 8x.</item>
/// <item>First against later call of one tool (target 1): the first web_search of an episode costs
/// <see cref="ResetAndFirstRetrieval"/> - <see cref="Reset"/>, a later one
/// <see cref="ResetAndLaterRetrieval"/> - <see cref="ResetAndFirstRetrieval"/>; likewise for
/// database_query with <see cref="ResetAndFirstQuery"/> and <see cref="ResetAndLaterQuery"/>.
/// Both searches (and both queries) do the same amount of work, with different words.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ToolsEngineBenchmarks
{
    private static readonly JsonElement Search = Call("web_search", """{"query":"population capital"}""");
    private static readonly JsonElement LaterSearch = Call("web_search", """{"query":"revenue company"}""");
    private static readonly JsonElement Query = Call("database_query", """{"sql":"SELECT name, population FROM countries LIMIT 5"}""");
    private static readonly JsonElement LaterQuery = Call("database_query", """{"sql":"SELECT name, capital FROM countries LIMIT 5"}""");

    private static readonly JsonElement[] Episode =
    [
        Search,
        Call("document_search", """{"query":"annual revenue filing"}"""),
        Query,
        Call("knowledge_base_lookup", """{"entity":"capital"}"""),
        Call("calculator", """{"expression":"(17 + 25) * 3"}"""),
        Call("scratchpad_write", """{"key":"note","value":"checked"}"""),
        JsonDocument.Parse("""{"type":"submit_answer","answer":"The answer is 42."}""").RootElement,
    ];

    private readonly ToolsSuite _suite = new();
    private IEpisodeSession _session = null!;
    private int _seed;

    [Params("warmup", "beginner", "intermediate", "expert")]
    public string Tier { get; set; } = "warmup";

    [GlobalSetup]
    public void Setup() => _session = _suite.CreateSession();

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    /// <summary>A reset alone (world generation; the workspace is built on first use).</summary>
    [Benchmark]
    public object Reset() => NewEpisode();

    /// <summary>A reset and the episode's first web_search (the corpus and its search index are built on it).</summary>
    [Benchmark]
    public object ResetAndFirstRetrieval()
    {
        NewEpisode();
        return Step(Search);
    }

    /// <summary>A reset, the first web_search and a later one.</summary>
    [Benchmark]
    public object ResetAndLaterRetrieval()
    {
        NewEpisode();
        Step(Search);
        return Step(LaterSearch);
    }

    /// <summary>A reset and the episode's first database_query (the database is opened and the countries table filled on it).</summary>
    [Benchmark]
    public object ResetAndFirstQuery()
    {
        NewEpisode();
        return Step(Query);
    }

    /// <summary>A reset, the first database_query and a later one.</summary>
    [Benchmark]
    public object ResetAndLaterQuery()
    {
        NewEpisode();
        Step(Query);
        return Step(LaterQuery);
    }

    /// <summary>Issue 11 target 2: reset + 6 tool calls + submit and grade; reported per step (8 operations).</summary>
    [Benchmark(OperationsPerInvoke = 8)]
    public object WholeEpisode()
    {
        NewEpisode();
        object last = null!;
        foreach (var action in Episode)
        {
            last = Step(action);
        }

        return last;
    }

    private EnvironmentResult<StepResult> NewEpisode() => _session.Reset(new ResetOptions { Tier = Tier, TaskId = "task3", Seed = _seed++ });

    private EnvironmentResult<StepResult> Step(JsonElement action) => _session.StepAsync(action).AsTask().GetAwaiter().GetResult();

    private static JsonElement Call(string tool, string arguments) =>
        JsonDocument.Parse($$"""{"type":"call_tool","tool_name":"{{tool}}","arguments":{{arguments}}}""").RootElement;
}

using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.EngineBench;

/// <summary>The schema check every tool call pays before the suite acts (a valid calculator call).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ToolCatalogBenchmarks
{
    private static readonly JsonElement Args = JsonDocument.Parse("""{"expression":"(17 + 25) * 3"}""").RootElement;

    [Benchmark]
    public object? CheckCalculatorCall() => ToolRegistry.Catalog.Check(ToolNames.Calculator, Args);
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;
using static ChaosLab.Tests.Core.Suites.Tools.ToolsTestKit;

namespace ChaosLab.Tests.Core.Suites.Tools;

/// <summary>
/// Guards against gross regressions of the hot path. Targets (Release, one core): reset median
/// at most 2 ms (measured ~0.17 ms), non-sandbox step median at most 100 us (measured ~16 us).
/// Bounds here are looser because tests run in Debug on shared machines; medians keep them stable.
/// </summary>
public sealed class PerformanceTests
{
    [Fact]
    public void Reset_Median_Under2Milliseconds()
    {
        var session = Suite.CreateSession();
        var ids = ScenarioCatalog.All.Select(s => s.Id).ToArray();
        for (var i = 0; i < 200; i++)
        {
            session.Reset(new ResetOptions { ScenarioId = ids[i % ids.Length], Seed = i });
        }

        var times = new List<double>();
        for (var i = 0; i < 600; i++)
        {
            var watch = Stopwatch.StartNew();
            session.Reset(new ResetOptions { ScenarioId = ids[i % ids.Length], Seed = 1000 + i });
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Assert.InRange(times[times.Count / 2], 0, 2.0);
    }

    [Fact]
    public void Step_NonSandboxTool_MedianUnder250Microseconds()
    {
        var action = Call("calculator", new JsonObject { ["expression"] = "(1 + 2) * 3 / 4" });
        var session = Suite.CreateSession();
        var times = new List<double>();
        for (var i = 0; i < 3000; i++)
        {
            if (i % 9 == 0)
            {
                session.Reset(new ResetOptions { ScenarioId = "E09", Seed = i });
            }

            var watch = Stopwatch.StartNew();
            TryStep(session, action);
            times.Add(watch.Elapsed.TotalMicroseconds);
        }

        times.Sort();
        Assert.InRange(times[times.Count / 2], 0, 250);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Recording;
using ChaosLab.Web.Hosting;

// Fills a temporary database with episodes through the real recorder, then times
// GET /api/episodes page queries against the real server. Usage: ChaosLab.Bench [episodes]
var episodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var dataDirectory = Path.Combine(Path.GetTempPath(), "chaoslab-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dataDirectory);

var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--ChaosLab:DataDirectory", dataDirectory]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddChaosLab();
await using var app = builder.Build();
app.UseChaosLab();
await app.StartAsync();
var address = new Uri(app.Urls.First());

try
{
    var recorder = app.Services.GetRequiredService<IEpisodeRecorder>();
    var fill = Stopwatch.StartNew();
    var next = -1;
    await Parallel.ForEachAsync(Enumerable.Range(0, 32), async (_, cancellationToken) =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < episodes)
        {
            await RecordAsync(recorder, n, cancellationToken);
        }
    });
    fill.Stop();
    Console.WriteLine($"Recorded {episodes:N0} episodes ({episodes * 6:N0} steps) in {fill.Elapsed.TotalSeconds:F1} s: " +
        $"{episodes * 6 / fill.Elapsed.TotalSeconds:N0} steps/s through the recorder");

    using var client = new HttpClient { BaseAddress = address };
    string[] queries =
    [
        "/api/episodes",
        "/api/episodes?suite=tools&tier=hard",
        "/api/episodes?agent=resilient&min_score=0.5&sort=-score",
        "/api/episodes?fault=rate_limit",
        "/api/episodes?fault=truncate&fault=stale&suite=mast",
        "/api/episodes?q=globex",
        "/api/episodes?outcome=correct&sort=steps&page=50",
        "/api/episodes?from=2026-11-21T12:00:00Z&to=2026-11-22T00:00:00Z&page_size=500",
        "/api/episodes?sort=agent&page=1000",
    ];
    Console.WriteLine($"{"query",-80} {"median ms",10} {"p95 ms",8} {"total",8}");
    foreach (var query in queries)
    {
        await client.GetStringAsync(new Uri(query, UriKind.Relative)); // warm-up
        var times = new List<double>();
        var total = "";
        for (var i = 0; i < 30; i++)
        {
            var watch = Stopwatch.StartNew();
            var body = await client.GetStringAsync(new Uri(query, UriKind.Relative));
            times.Add(watch.Elapsed.TotalMilliseconds);
            total = JsonNode.Parse(body)!["total"]!.ToString();
        }

        times.Sort();
        Console.WriteLine($"{query,-80} {times[times.Count / 2],10:F1} {times[(int)Math.Ceiling(times.Count * 0.95) - 1],8:F1} {total,8}");
    }
}
finally
{
    await app.StopAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dataDirectory, recursive: true);
}

static async Task RecordAsync(IEpisodeRecorder recorder, int n, CancellationToken cancellationToken)
{
    string[] suites = ["tools", "mast", "gauntlet"];
    string[] tiers = ["easy", "medium", "hard", "expert"];
    string[] agents = ["naive", "retrying", "resilient", "llm", "human"];
    string[] outcomes = ["correct", "partial", "wrong", "no_answer", "step_limit"];
    string[] faults = ["rate_limit", "timeout", "stale", "truncate", "wrong_number", "empty"];
    string[] questions = ["What was ACME's revenue in 2025?", "How many employees does Globex have?", "When did Initech ship v2?"];
    var start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero).AddSeconds(n * 3);
    var id = $"ep-{n:D7}";
    var info = new EpisodeInfo(id, suites[n % 3], $"task{n % 4}", tiers[n / 3 % 4], $"S{n % 40:D2}", 1, n, 10);
    recorder.EpisodeStarted(
        new EpisodeStart(info, agents[n / 7 % 5], n % 2 == 0 ? "ws" : "eval", start),
        new StepResult(new JsonObject { ["question"] = questions[n % 3] }, 0, false, new StepRecord(0, null, null, null, [], [], start, null)));
    for (var i = 1; i <= 5; i++)
    {
        var done = i == 5;
        var fault = new FaultDecision(faults[(n + i) % 6], "search", (n * i) % 5 == 0, "probability", "roll", new Dictionary<string, string>(),
            new FaultDecisionInputs(n, info.ScenarioId, "search", "{}", i, 0.1, 0.2));
        var action = done
            ? new JsonObject { ["type"] = "submit", ["answer"] = $"{n % 97} billion" }
            : new JsonObject { ["type"] = "call_tool", ["tool"] = "search", ["arguments"] = new JsonObject { ["q"] = $"query {i}" } };
        var score = n % 11 / 10.0;
        var result = new StepResult(
            new JsonObject { ["result"] = $"document {i} of episode {n}", ["status"] = 200 },
            done ? score : 0.05,
            done,
            new StepRecord(i, action, $"clean {i}", $"delivered {i}", [fault], [new RewardComponent("progress", 0.05, "step")], start.AddSeconds(i), null),
            done ? new EpisodeGrade(score, outcomes[n % 5], outcomes[n % 5] == "correct", [], [], new JsonObject { ["answer"] = "12.5 billion" }) : null);
        await recorder.StepRecordedAsync(id, result, TimeSpan.FromMilliseconds(1), cancellationToken);
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChaosLab.Tests.EndToEnd;

/// <summary>
/// Crash consistency of the recorder, end to end: the real server as its own process is killed
/// with SIGKILL while 40 WebSocket clients play, then restarted on the same data directory. What
/// the clients were told is compared with what the store kept.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Clients = 40;
    // Enough finished episodes that complete ones are checked, while every client is mid-flight.
    private const int FinishedBeforeKill = 30;
    // Final steps sent while the store is stalled: none can be durable, so none may be replied to.
    private const int StalledFinals = 10;
    private const int ToolStepsPerEpisode = 3;
    private const string Abandoned = "abandoned";
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

    // A final reply waits for durability at most this long; longer than any stall here, so a
    // slow, loaded machine cannot turn "replied" into "not yet durable" and fail the test.
    private const string RecordingMaxWait = "--ChaosLab:Recording:MaxWait=00:01:00";
    private static readonly TimeSpan ClientsEndTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ServerKilled_DuringConcurrentEpisodes_RestartLeavesNoneRunningAndEveryRepliedEpisodeComplete()
    {
        using var data = new TempDirectory();
        var database = new SqliteFile(data.File("chaoslab.db"));
        var ledger = new EpisodeLedger(FinishedBeforeKill);

        await using (var server = await ServerProcess.StartAsync(data.Path, RecordingMaxWait))
        {
            using var crash = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients)
                .Select(client => PlayUntilCrashAsync(server.WebSocketAddress("/ws"), client, ledger, crash.Token))
                .ToArray();
            await MilestoneAsync(ledger.EnoughFinished, clients, PlayTimeout);

            // Stall the recorder, as a backup holding the lock would, so the kill finds records
            // queued and final steps waiting to be durable: unstalled, the writer commits within
            // microseconds and a kill almost never lands in that window. The stall stays well
            // inside the recorder's MaxWait (raised to a minute here), after which a final reply
            // goes out regardless.
            await using (await HoldWriteLockWithARunningEpisodeStoredAsync(database))
            {
                await MilestoneAsync(ledger.FinalsSent(StalledFinals), clients, StallTimeout);
                await crash.CancelAsync();
                await server.KillAsync();
            }

            await Task.WhenAll(clients).WaitAsync(ClientsEndTimeout);
        }

        Assert.Equal("ok", await database.IntegrityCheckAsync());

        await using (var restarted = await ServerProcess.StartAsync(data.Path))
        {
            Assert.Equal("healthy", await restarted.HealthStatusAsync());
            using var http = restarted.CreateHttpClient();
            var stored = await StoredEpisodesAsync(http);

            output.WriteLine(Describe(ledger.Episodes, stored));
            output.WriteLine(restarted.Output);
            Assert.All(stored.Values, AssertEndedWithContiguousSteps);
            Assert.All(ledger.Episodes, told => AssertStoredAsTold(told, stored.GetValueOrDefault(told.Id)));
            Assert.True(
                stored.Values.Count(e => e.Outcome != Abandoned) >= FinishedBeforeKill,
                $"Fewer than {FinishedBeforeKill} complete episodes were stored.");
            Assert.True(
                stored.Values.Any(e => e.Outcome == Abandoned),
                "The kill interrupted no recorded episode, so this run proved nothing about recovery.");

            // Killed as well: the file must also hold up to a crash right after recovery.
            await restarted.KillAsync();
        }

        Assert.Equal("ok", await database.IntegrityCheckAsync());
    }

    /// <summary>
    /// Takes the write lock at a moment when the store holds at least one running episode, so the
    /// kill is sure to interrupt a recorded one: a lock taken while the writer was behind could
    /// find every episode in flight still queued (seen once), and the run would prove nothing.
    /// </summary>
    private static async Task<IAsyncDisposable> HoldWriteLockWithARunningEpisodeStoredAsync(SqliteFile database)
    {
        var deadline = DateTime.UtcNow + StallTimeout;
        while (true)
        {
            var writeLock = await database.HoldWriteLockAsync();
            if (await database.ScalarAsync<long>("SELECT count(*) FROM episodes WHERE ended_at IS NULL") > 0 || DateTime.UtcNow > deadline)
            {
                return writeLock;
            }

            await writeLock.DisposeAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Waits for <paramref name="milestone"/>; a client that fails first ends the wait with its error.</summary>
    private static async Task MilestoneAsync(Task milestone, Task[] clients, TimeSpan timeout)
    {
        var first = await Task.WhenAny([milestone, .. clients]).WaitAsync(timeout);
        await first;
    }

    /// <summary>One client's episodes, back to back, until the server dies under it.</summary>
    private static async Task PlayUntilCrashAsync(Uri address, int client, EpisodeLedger ledger, CancellationToken crashed)
    {
        try
        {
            await using var wire = await WireClient.ConnectAsync(address);
            for (var episode = 0; ; episode++)
            {
                await PlayEpisodeAsync(wire, (client * 1000) + episode, ledger);
            }
        }
        catch (Exception ex) when (crashed.IsCancellationRequested && ex is WebSocketException or InvalidOperationException or OperationCanceledException)
        {
            // The server is gone; what this client was told is in the ledger.
        }
    }

    private static async Task PlayEpisodeAsync(WireClient wire, int seed, EpisodeLedger ledger)
    {
        var reset = await RequestAsync(wire, new JsonObject
        {
            ["type"] = "reset",
            ["data"] = new JsonObject { ["seed"] = seed, ["agent"] = "crash-test" },
        });
        var episodeId = reset["episode_id"]!.GetValue<string>();
        ledger.Replied(episodeId, 0, done: false);
        for (var step = 1; step <= ToolStepsPerEpisode + 1; step++)
        {
            var action = step <= ToolStepsPerEpisode
                ? new JsonObject { ["type"] = "call_tool", ["tool_name"] = "calculator", ["arguments"] = new JsonObject { ["expression"] = "1+2" } }
                : new JsonObject { ["type"] = "submit_answer", ["answer"] = "x" };
            if (step > ToolStepsPerEpisode)
            {
                ledger.SendingFinal();
            }

            var reply = await RequestAsync(wire, new JsonObject { ["type"] = "step", ["data"] = action });
            var done = reply["done"]!.GetValue<bool>();
            ledger.Replied(episodeId, step, done);
            if (done)
            {
                return;
            }
        }

        Assert.Fail($"Episode {episodeId} did not end on submit_answer.");
    }

    /// <summary>
    /// The <c>data</c> of an observation reply. Any other reply fails the test even after the
    /// kill (an assertion is not among the errors a client expects from a dead server).
    /// </summary>
    private static async Task<JsonObject> RequestAsync(WireClient wire, JsonObject frame)
    {
        var reply = await wire.RequestAsync(frame);
        Assert.True(reply["type"]?.GetValue<string>() == "observation", $"Expected an observation, got {reply.ToJsonString()}");
        return reply["data"]!.AsObject();
    }

    private static async Task<Dictionary<string, StoredEpisode>> StoredEpisodesAsync(HttpClient http)
    {
        var summaries = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var reply = (await http.GetFromJsonAsync<JsonObject>($"/api/episodes?page_size=500&page={page}"))!;
            var items = reply["items"]!.AsArray();
            summaries.AddRange(items.Select(item => item!.AsObject()));
            if (items.Count == 0 || summaries.Count >= reply["total"]!.GetValue<int>())
            {
                break;
            }
        }

        var stored = new Dictionary<string, StoredEpisode>(StringComparer.Ordinal);
        foreach (var summary in summaries)
        {
            var id = summary["id"]!.GetValue<string>();
            var trajectory = (await http.GetFromJsonAsync<JsonObject>($"/api/episodes/{id}"))!;
            stored.Add(id, new StoredEpisode(
                id,
                summary["ended_at"]?.GetValue<string>(),
                summary["outcome"]?.GetValue<string>(),
                summary["abandon_reason"]?.GetValue<string>(),
                summary["step_count"]!.GetValue<int>(),
                trajectory["grade"] is not null,
                [.. trajectory["steps"]!.AsArray().Select(step => step!["index"]!.GetValue<int>())],
                trajectory["steps"]!.AsArray().LastOrDefault()?["done"]?.GetValue<bool>() ?? false));
        }

        return stored;
    }

    /// <summary>What the crash left, for the test log: how much it interrupted differs run to run.</summary>
    private static string Describe(IReadOnlyCollection<ClientEpisode> told, Dictionary<string, StoredEpisode> stored)
    {
        var unfinished = told.Where(e => !e.Finished).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"""
            Clients saw {told.Count} episodes, {told.Count - unfinished.Count} to the end.
            Stored after the restart: {stored.Values.Count(e => e.Outcome != Abandoned)} complete, {stored.Values.Count(e => e.Outcome == Abandoned)} abandoned.
            Of the {unfinished.Count} unfinished: {unfinished.Count(e => !stored.ContainsKey(e.Id))} not stored, {unfinished.Count(e => stored.TryGetValue(e.Id, out var s) && s.Outcome != Abandoned)} complete (final step durable, reply lost), {unfinished.Count(e => stored.TryGetValue(e.Id, out var s) && s.LastStep < e.LastRepliedStep)} stored without steps the client got replies for (queued, lost in the kill).
            """);
    }

    /// <summary>What holds for every stored episode after the restart, whoever started it.</summary>
    private static void AssertEndedWithContiguousSteps(StoredEpisode episode)
    {
        Assert.True(episode.EndedAt is not null && episode.Outcome is not null, $"Episode {episode.Id} is still running.");
        Assert.True(
            episode.StepIndexes.SequenceEqual(Enumerable.Range(0, episode.StepIndexes.Count)),
            $"Episode {episode.Id} has steps [{string.Join(", ", episode.StepIndexes)}], not contiguous from 0.");
        Assert.Equal(episode.LastStep, episode.StepCount);
        if (episode.Outcome == Abandoned)
        {
            Assert.EndsWith($"the last durable step is {episode.LastStep.ToString(CultureInfo.InvariantCulture)}", episode.AbandonReason);
        }
        else
        {
            Assert.True(episode.LastStepDone && episode.HasGrade, $"Episode {episode.Id} ended {episode.Outcome} without its final step or grade.");
        }
    }

    /// <summary>
    /// A final reply is only sent once its episode is durable, so an episode the client saw end
    /// must be stored complete, step for step. A step still in flight at the kill may have been
    /// committed without its reply arriving, so an unfinished episode can hold one step more than
    /// the client saw; non-final steps are committed off the request path, so it can also hold
    /// fewer, or (its start never committed) be missing.
    /// </summary>
    private static void AssertStoredAsTold(ClientEpisode told, StoredEpisode? stored)
    {
        if (told.Finished)
        {
            Assert.True(stored is not null, $"Episode {told.Id} got its final reply but is not stored.");
            Assert.True(
                stored.Outcome != Abandoned && stored.LastStep == told.LastRepliedStep,
                $"Episode {told.Id} got its final reply after step {told.LastRepliedStep} but is stored {stored.Outcome} with last step {stored.LastStep}.");
            return;
        }

        if (stored is null)
        {
            return;
        }

        Assert.True(
            stored.LastStep <= told.LastRepliedStep + 1,
            $"Episode {told.Id} is stored with step {stored.LastStep}, but the client only ever sent step {told.LastRepliedStep + 1}.");
        if (stored.Outcome != Abandoned)
        {
            Assert.Equal(told.LastRepliedStep + 1, stored.LastStep);
        }
    }

    /// <summary>What one client was told about one episode: the last step it got a reply for, and whether that ended it.</summary>
    private sealed record ClientEpisode(string Id, int LastRepliedStep, bool Finished);

    private sealed record StoredEpisode(
        string Id,
        string? EndedAt,
        string? Outcome,
        string? AbandonReason,
        int StepCount,
        bool HasGrade,
        IReadOnlyList<int> StepIndexes,
        bool LastStepDone)
    {
        public int LastStep => StepIndexes.Count - 1;
    }

    /// <summary>Every reply the clients received, shared by all of them, and the milestones the test waits for.</summary>
    private sealed class EpisodeLedger(int finishedToKillAt)
    {
        private readonly ConcurrentDictionary<string, ClientEpisode> _episodes = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _enoughFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _finished;
        private int _finalsSent;
        private FinalsTarget? _finalsTarget;

        public Task EnoughFinished => _enoughFinished.Task;

        public IReadOnlyCollection<ClientEpisode> Episodes => [.. _episodes.Values];

        /// <summary>Completes once <paramref name="more"/> further final steps have been sent.</summary>
        public Task FinalsSent(int more)
        {
            var target = new FinalsTarget(Volatile.Read(ref _finalsSent) + more);
            Volatile.Write(ref _finalsTarget, target);
            // A final sent while the target was being set must not be missed.
            target.Check(Volatile.Read(ref _finalsSent));
            return target.Reached.Task;
        }

        public void SendingFinal()
        {
            var sent = Interlocked.Increment(ref _finalsSent);
            Volatile.Read(ref _finalsTarget)?.Check(sent);
        }

        // Each episode belongs to one client, which waits for every reply, so its entry has one writer.
        public void Replied(string episodeId, int step, bool done)
        {
            _episodes[episodeId] = new ClientEpisode(episodeId, step, done);
            if (done && Interlocked.Increment(ref _finished) >= finishedToKillAt)
            {
                _enoughFinished.TrySetResult();
            }
        }

        private sealed class FinalsTarget(int count)
        {
            public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public void Check(int sent)
            {
                if (sent >= count)
                {
                    Reached.TrySetResult();
                }
            }
        }
    }
}
